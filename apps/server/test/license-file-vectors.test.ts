import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, testVectorsMarkdown, withVectors } from '../scripts/test-vectors.ts';
import {
  kidOfPublicKey,
  Rejected,
  verifyEd25519,
  verifyLicenseFile,
  verifyResponseSignature,
  verifySignedKey,
} from './support/spec-verifier.ts';

/*
 * The test vectors at the end of docs/license-files.md: exactly what scripts/test-vectors.ts prints (so the document
 * cannot drift from the code), and valid by the document's own steps — read back from the document, verified with
 * node:crypto only (support/spec-verifier.ts imports nothing from the server).
 */

const doc = readFileSync(DOC_PATH, 'utf8');
const section = doc.slice(doc.indexOf('\n## Test vectors\n') + 1);

/** The fenced code blocks under a "### <title>" heading of the section. */
function blocks(titleStart: string): string[] {
  const part = section.split('\n### ').find((p) => p.startsWith(titleStart));
  if (!part) throw new Error(`no section ${titleStart}`);
  return [...part.matchAll(/```[a-z]*\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

function input(name: string): string {
  const row = section.split('\n').find((l) => l.startsWith(`| ${name}`));
  const value = row?.match(/`([^`]+)`/)?.[1];
  if (!value) throw new Error(`no input ${name}`);
  return value;
}

describe('test vectors in docs/license-files.md', () => {
  it('are exactly what the script prints, at the end of the document', async () => {
    const vectors = await testVectorsMarkdown();
    expect(section).toBe(vectors);
    expect(withVectors(doc, vectors)).toBe(doc);
    expect(doc.endsWith(vectors)).toBe(true);
  });

  const publicKey = input('Public key (b64');
  const kid = input('kid');
  const keys = { [kid]: publicKey };
  const licenseKey = input('License key');
  const fingerprint = input('Machine fingerprint');
  const issuedAt = new Date(input('Issued at'));
  const now = new Date(issuedAt.getTime() + 60_000);

  it('name the key by its kid, and the RFC 8032 TEST 1 public key', () => {
    expect(kidOfPublicKey(publicKey)).toBe(kid);
    expect(Buffer.from(publicKey, 'base64').toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
  });

  it('plain file: verifies, and its payload is the one printed', () => {
    const [payloadJson, envelopeJson, file] = blocks('1. ');
    const payload = verifyLicenseFile(file!, keys, { now });
    expect(payload).toEqual(JSON.parse(payloadJson!));
    expect(JSON.parse(envelopeJson!)).toMatchObject({ v: 1, alg: 'ed25519', kid });
    expect(payload.meta).toEqual({
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(issuedAt.getTime() + 2_592_000_000).toISOString(),
      ttlSeconds: 2_592_000,
    });
    expect(payload.machine).toBeNull();
  });

  it('encrypted file: decrypts with SHA-256(license key) to the same payload', () => {
    const [payloadJson] = blocks('1. ');
    const [envelopeJson, file] = blocks('2. ');
    expect(JSON.parse(envelopeJson!).alg).toBe('aes-256-gcm+ed25519');
    expect(verifyLicenseFile(file!, keys, { now, licenseKey })).toEqual(JSON.parse(payloadJson!));
    expect(() => verifyLicenseFile(file!, keys, { now })).toThrow(new Rejected('KEY_REQUIRED'));
  });

  it('machine-bound file: decrypts only with the fingerprint and states the machine', () => {
    const [payloadJson, , file] = blocks('3. ');
    const payload = verifyLicenseFile(file!, keys, { now, licenseKey, fingerprint });
    expect(payload).toEqual(JSON.parse(payloadJson!));
    expect(payload.machine.fingerprint).toBe(fingerprint);
    expect(() => verifyLicenseFile(file!, keys, { now, licenseKey, fingerprint: 'other' })).toThrow(
      new Rejected('DECRYPT_FAILED'),
    );
  });

  it('signed key: verifies and carries the printed data', () => {
    const [dataJson, key] = blocks('4. ');
    expect(key!.startsWith(`KW1.${kid}.`)).toBe(true);
    expect(verifySignedKey(key!, keys)).toEqual(JSON.parse(dataJson!));
  });

  it('signed response: the signed bytes are the five lines, and the header verifies', () => {
    const [body, signedBytes, headerLine] = blocks('5. ');
    const nonce = section.match(/"nonce": "([^"]+)"/)![1]!;
    const header = headerLine!.replace(/^Keyward-Signature: /, '');
    const ts = header.match(/ts=([^;]+)/)![1]!;
    const request = { method: 'POST', path: '/v1/licenses/validate-key', nonce };
    expect(verifyResponseSignature(header, keys, request, body!)).toEqual({ kid, ts });
    expect(signedBytes!.split('\n')).toHaveLength(5);
    const sig = header.match(/sig=(\S+)/)![1]!;
    expect(verifyEd25519(publicKey, Buffer.from(signedBytes!, 'utf8'), sig)).toBe(true);
    expect(() => verifyResponseSignature(header, keys, { ...request, nonce: 'replayed' }, body!)).toThrow(
      new Rejected('BAD_SIGNATURE'),
    );
  });
});
