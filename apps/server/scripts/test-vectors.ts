/**
 * Test vectors for docs/license-files.md: `npm run -w @keyward/server test-vectors` prints the "## Test vectors"
 * section (Markdown); `-- --write` also replaces that section at the end of docs/license-files.md. Everything is
 * fixed (Ed25519 seed, dates, IV), so the output never changes unless the format does —
 * test/license-file-spec.test.ts checks the document holds exactly this output and that it verifies.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ed25519KeyFromSeed, keySigner } from '../src/modules/license-files/key-signer.ts';
import {
  armor,
  buildLicenseFile,
  encryptPayload,
  PBKDF2_ITERATIONS,
  pbkdf2FileKey,
  sha256FileKey,
} from '../src/modules/license-files/license-file.format.ts';
import type { LicenseFileSource } from '../src/modules/license-files/license-files.repository.ts';
import { licenseFilePayload } from '../src/modules/license-files/license-payload.ts';
import { signLicenseKey } from '../src/modules/license-files/signed-key.ts';
import { luhnCheckSymbol } from '../src/modules/licenses/license-key.ts';
import { endorsementMessage } from '../src/modules/signing/key-crypto.ts';
import { formatSignatureHeader, nonceOf, responseSigningMessage } from '../src/modules/signing/response-signing.ts';
import type { Signer } from '../src/modules/signing/signer.ts';

/** RFC 8032 §7.1, TEST 1 secret key: any Ed25519 library can cross-check the public key. */
export const VECTOR_SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60';
export const VECTOR_IV_HEX = '000102030405060708090a0b';
/** RFC 8032 §7.1, TEST 2 secret key: the key a rotation makes, signed by the TEST 1 key (the key chain). */
export const VECTOR_NEXT_SEED_HEX = '4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb';
export const VECTOR_SALT_HEX = '101112131415161718191a1b1c1d1e1f';
export const VECTOR_IMPORTED_KEY = 'GLOBEX-LEGACY-2019-000417';
export const VECTOR_ISSUED_AT = '2026-03-01T09:30:00.000Z';
export const VECTOR_TTL_SECONDS = 2_592_000;
export const VECTOR_FINGERPRINT = 'a3f1c9e2-build-server-01';
const RANDOM_PART = '7K3M9QX2HD4T8VB6NR5CWJ1PGY0FE';
export const VECTOR_LICENSE_KEY = `ACME-${(RANDOM_PART + luhnCheckSymbol(RANDOM_PART)).match(/.{6}/g)!.join('-')}`;
const DOC_HEADING = '## Test vectors';

const source: LicenseFileSource = {
  id: '0b9f4c2e-5d1a-4e7b-9c3f-2a8d6e1f4b70',
  key: VECTOR_LICENSE_KEY,
  name: 'Globex Corporation — production',
  license_type: 'subscription',
  starts_at: new Date('2026-01-01T00:00:00.000Z'),
  ends_at: new Date('2027-01-01T00:00:00.000Z'),
  maintenance_ends_at: new Date('2027-01-01T00:00:00.000Z'),
  max_machines: 5,
  domains: ['globex.example'],
  entitlements: ['sso'],
  metadata: { region: 'eu' },
  suspended: false,
  revoked: false,
  product_id: '5e0c7a3b-8f21-4d6e-a9b4-1c2d3e4f5a6b',
  product_code: 'ACME',
  product_name: 'Acme Analytics',
  plan_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  plan_name: 'Enterprise yearly',
  plan_expiration_strategy: 'restrict',
  plan_grace_days: 14,
  plan_floating: true,
  plan_max_machines: 10,
  plan_heartbeat_interval_seconds: null,
  plan_require_fingerprint: false,
  plan_entitlements: ['export.pdf'],
  plan_require_nonce: false,
  plan_max_offline_seconds: 2_592_000,
  plan_max_unbound_files: null,
  account_id: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e6f',
  account_name: 'Globex Corporation',
};
const machine = { id: '6f5e4d3c-2b1a-4098-8f7e-6d5c4b3a2918', fingerprint: VECTOR_FINGERPRINT };

/** Prose wrapped at 120 characters, like the rest of the document. */
function wrap(text: string): string {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    if (current && current.length + 1 + word.length > 120) {
      lines.push(current);
      current = word;
    } else current = current ? `${current} ${word}` : word;
  }
  return [...lines, current].join('\n');
}
const fence = (text: string, lang = '') => `\`\`\`${lang}\n${text.replace(/\n$/, '')}\n\`\`\``;
const envelopeOf = (certificate: string) =>
  Buffer.from(certificate.split('\n').slice(1, -2).join(''), 'base64').toString('utf8');

/** A version 1 file (envelope without `bind`), as Keyward made them before version 2: still verified. */
async function legacyV1File(signer: Signer & { kid: string }, payload: unknown, licenseKey: string, fp: string | null) {
  const json = Buffer.from(JSON.stringify(payload), 'utf8');
  const iv = Buffer.from(VECTOR_IV_HEX, 'hex');
  const enc = await encryptPayload(json, { licenseKey, fingerprint: fp, kdf: { kind: 'sha256' }, iv });
  const alg = 'aes-256-gcm+ed25519';
  const { kid, signature } = await signer.sign(Buffer.from(`keyward-license/1/${alg}/${signer.kid}/${enc}`, 'ascii'));
  return armor({ v: 1, alg, kid, enc, sig: signature.toString('base64url') });
}

/** The Keyward-Signature header and signed bytes of a response to a request with this nonce. */
async function signedResponse(signer: Signer, ts: string, nonce: string | number, body: string) {
  const bound = nonceOf({ nonce });
  const bytes = responseSigningMessage({ method: 'POST', path: '/v1/licenses/validate-key', ts, nonce: bound, body });
  const { kid, signature } = await signer.sign(bytes);
  return { bytes, header: `Keyward-Signature: ${formatSignatureHeader(bound.v, kid, ts, signature)}` };
}

/** The "## Test vectors" section of docs/license-files.md, exactly. */
export async function testVectorsMarkdown(): Promise<string> {
  const signer = keySigner(ed25519KeyFromSeed(Buffer.from(VECTOR_SEED_HEX, 'hex')));
  const next = keySigner(ed25519KeyFromSeed(Buffer.from(VECTOR_NEXT_SEED_HEX, 'hex')));
  const now = new Date(VECTOR_ISSUED_AT);
  const iv = Buffer.from(VECTOR_IV_HEX, 'hex');
  const salt = Buffer.from(VECTOR_SALT_HEX, 'hex');
  const options = { now, ttlSeconds: VECTOR_TTL_SECONDS, expiringWindowDays: 30 };
  const payload = licenseFilePayload(source, { ...options, machine: null });
  const boundPayload = licenseFilePayload(source, { ...options, machine });
  const importedPayload = licenseFilePayload({ ...source, key: VECTOR_IMPORTED_KEY }, { ...options, machine: null });
  const sha256 = { kind: 'sha256' } as const;
  const plain = await buildLicenseFile(signer, payload, null);
  const encrypted = await buildLicenseFile(signer, payload, {
    licenseKey: source.key,
    fingerprint: null,
    kdf: sha256,
    iv,
  });
  const bound = await buildLicenseFile(signer, boundPayload, {
    licenseKey: source.key,
    fingerprint: VECTOR_FINGERPRINT,
    kdf: sha256,
    iv,
  });
  const pbkdf2 = { kind: 'pbkdf2', iterations: PBKDF2_ITERATIONS, salt } as const;
  const imported = await buildLicenseFile(signer, importedPayload, {
    licenseKey: VECTOR_IMPORTED_KEY,
    fingerprint: null,
    kdf: pbkdf2,
    iv,
  });
  const importedAesKey = await pbkdf2FileKey(VECTOR_IMPORTED_KEY, salt, PBKDF2_ITERATIONS);
  const legacy = await legacyV1File(signer, boundPayload, source.key, VECTOR_FINGERPRINT);
  const keyData = {
    lid: source.id,
    prd: source.product_code,
    iat: VECTOR_ISSUED_AT,
    exp: source.ends_at!.toISOString(),
    seats: 5,
  };
  const signedKey = await signLicenseKey(signer, keyData);

  const ts = '2026-03-01T09:30:00.250Z';
  const nonce = 'c2f1d9a4-7b3e-4f0a-9d1c-5e6b7a8f9012';
  const integerNonce = 4_711;
  const responseBody = JSON.stringify({ valid: true, code: 'VALID', detail: 'The license is valid' });
  const stringSigned = await signedResponse(signer, ts, nonce, responseBody);
  const integerSigned = await signedResponse(signer, ts, integerNonce, responseBody);

  const nextPublicKey = next.publicKey.toString('base64');
  const endorsementBytes = endorsementMessage(signer.kid, next.kid, nextPublicKey);
  const endorsement = (await signer.sign(endorsementBytes)).signature.toString('base64url');

  const hex = (b: Buffer) => b.toString('hex');
  return `${[
    DOC_HEADING,
    wrap(
      'Generated by `npm run -w @keyward/server test-vectors` (`-- --write` updates this section) from fixed ' +
        'inputs; `apps/server/test/license-file-vectors.test.ts` checks that this section is exactly what the ' +
        'script prints and that every vector verifies with `node:crypto` alone, following the steps above. Ed25519 ' +
        'signatures are deterministic and the IV and salt are fixed here (never in production), so the bytes are ' +
        'reproducible.',
    ),
    wrap(
      'Decode base64 and base64url strictly: re-encoding the decoded bytes must give back the same text. A lenient ' +
        'decoder ignores the unused low bits of the last character, so a changed character there would go unnoticed.',
    ),
    '### Inputs',
    [
      '| Input | Value |',
      '|---|---|',
      `| Ed25519 seed (hex; RFC 8032 §7.1 TEST 1) | \`${VECTOR_SEED_HEX}\` |`,
      `| Public key (b64 of the raw 32 bytes) | \`${signer.publicKey.toString('base64')}\` |`,
      `| Public key (hex) | \`${hex(signer.publicKey)}\` |`,
      `| kid | \`${signer.kid}\` |`,
      `| License key | \`${source.key}\` |`,
      `| Imported license key | \`${VECTOR_IMPORTED_KEY}\` |`,
      `| Machine fingerprint | \`${VECTOR_FINGERPRINT}\` |`,
      `| Issued at (server clock) | \`${VECTOR_ISSUED_AT}\` |`,
      `| TTL (seconds) | \`${VECTOR_TTL_SECONDS}\` |`,
      `| AES-GCM IV (hex) | \`${VECTOR_IV_HEX}\` |`,
      `| PBKDF2 salt (hex) | \`${VECTOR_SALT_HEX}\` |`,
      `| PBKDF2 iterations | \`${PBKDF2_ITERATIONS}\` |`,
      `| Next key: Ed25519 seed (hex; RFC 8032 §7.1 TEST 2) | \`${VECTOR_NEXT_SEED_HEX}\` |`,
      `| Next key: public key (b64) | \`${nextPublicKey}\` |`,
      `| Next key: kid | \`${next.kid}\` |`,
    ].join('\n'),
    '### 1. Plain license file (`ed25519`)',
    'Payload (the exact JSON bytes; `enc` is their b64url):',
    fence(JSON.stringify(payload), 'json'),
    'Envelope:',
    fence(envelopeOf(plain.certificate), 'json'),
    fence(plain.certificate),
    '### 2. Encrypted license file (`aes-256-gcm+ed25519`)',
    `Same payload. AES key = SHA-256(license key) = \`${hex(sha256FileKey(source.key, null))}\` (hex).`,
    'Envelope:',
    fence(envelopeOf(encrypted.certificate), 'json'),
    fence(encrypted.certificate),
    '### 3. Machine-bound, encrypted license file',
    'Payload (as 1, with `machine` set):',
    fence(JSON.stringify(boundPayload), 'json'),
    'AES key = SHA-256(license key + "\\n" + fingerprint) = ' +
      `\`${hex(sha256FileKey(source.key, VECTOR_FINGERPRINT))}\` (hex).`,
    'Envelope:',
    fence(envelopeOf(bound.certificate), 'json'),
    fence(bound.certificate),
    '### 4. Encrypted under an imported key (`pbkdf2-sha256+aes-256-gcm+ed25519`)',
    'Payload (as 1, with `license.key` the imported key):',
    fence(JSON.stringify(importedPayload), 'json'),
    `AES key = PBKDF2-HMAC-SHA-256(imported key, salt, ${PBKDF2_ITERATIONS}, 32 bytes) = ` +
      `\`${hex(importedAesKey)}\` (hex).`,
    'Envelope:',
    fence(envelopeOf(imported.certificate), 'json'),
    fence(imported.certificate),
    '### 5. A version 1 file (machine-bound, encrypted)',
    wrap(
      'The payload of 3, as files were made before envelope version 2: no `bind`, signed message ' +
        '`keyward-license/1/{alg}/{kid}/{enc}`, same AES key as 3. Verifiers keep accepting it.',
    ),
    'Envelope:',
    fence(envelopeOf(legacy), 'json'),
    fence(legacy),
    '### 6. Signed license key',
    'Data (the exact JSON bytes of the third segment):',
    fence(JSON.stringify(keyData), 'json'),
    'Key:',
    fence(signedKey),
    '### 7. Signed response, string nonce (`v=1`)',
    wrap(
      `Request: \`POST /v1/licenses/validate-key\` with \`"nonce": "${nonce}"\` in its body. Response body (exact bytes):`,
    ),
    fence(responseBody, 'json'),
    'Signed bytes (lines joined with `\\n`, no trailing newline):',
    fence(stringSigned.bytes.toString('utf8')),
    'Header:',
    fence(stringSigned.header),
    '### 8. Signed response, integer nonce (`v=2`)',
    `Request: as 7, with \`"nonce": ${integerNonce}\` (a JSON number). Same response body. Signed bytes:`,
    fence(integerSigned.bytes.toString('utf8')),
    'Header:',
    fence(integerSigned.header),
    '### 9. Key chain',
    wrap(
      'The TEST 1 key vouches for the next key (TEST 2), as a rotation does. Signed bytes (ASCII), then the ' +
        '`endorsement` of the next key as `GET /v1/keys` lists it:',
    ),
    fence(endorsementBytes.toString('ascii')),
    fence(JSON.stringify({ kid: signer.kid, sig: endorsement }), 'json'),
  ].join('\n\n')}\n`;
}

/** docs/license-files.md with its test-vector section (from the heading to the end) replaced. */
export function withVectors(doc: string, vectors: string): string {
  const at = doc.indexOf(`\n${DOC_HEADING}\n`);
  if (at < 0) throw new Error(`docs/license-files.md has no "${DOC_HEADING}" heading`);
  return doc.slice(0, at + 1) + vectors;
}

export const DOC_PATH = fileURLToPath(new URL('../../../docs/license-files.md', import.meta.url));

async function main(args: string[]): Promise<void> {
  const vectors = await testVectorsMarkdown();
  if (args.includes('--write')) writeFileSync(DOC_PATH, withVectors(readFileSync(DOC_PATH, 'utf8'), vectors));
  process.stdout.write(vectors);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) await main(process.argv.slice(2));
