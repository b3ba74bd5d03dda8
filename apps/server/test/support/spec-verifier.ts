import { createDecipheriv, createHash, createPublicKey, pbkdf2Sync, verify } from 'node:crypto';

/*
 * An independent verifier written from docs/license-files.md alone, with node:crypto only: it imports nothing from
 * the server, so tests that pass files produced by the server through it show that the document is the format.
 * Each failure has its own reason.
 */

export type RejectReason =
  | 'MALFORMED'
  | 'UNKNOWN_KID'
  | 'BAD_SIGNATURE'
  | 'KEY_REQUIRED'
  | 'DECRYPT_FAILED'
  | 'FILE_EXPIRED'
  | 'LICENSE_NOT_USABLE'
  | 'FINGERPRINT_MISMATCH'
  | 'CLOCK_ROLLBACK';

export class Rejected extends Error {
  constructor(readonly reason: RejectReason) {
    super(reason);
  }
}

const reject = (reason: RejectReason): never => {
  throw new Rejected(reason);
};

/** Strict decoding: the text must be exactly what encoding the bytes gives (no ignored bits or characters). */
export function strictDecode(text: string, encoding: 'base64' | 'base64url'): Buffer {
  const bytes = Buffer.from(text, encoding);
  if (bytes.toString(encoding) !== text) reject('MALFORMED');
  return bytes;
}

/** kid → raw 32-byte public key (b64), as GET /v1/keys publishes them. */
export type PublicKeys = Record<string, string>;

/** kid = b64url(SHA-256(raw public key)), first 16 characters. */
export const kidOfPublicKey = (rawB64: string) =>
  createHash('sha256').update(Buffer.from(rawB64, 'base64')).digest('base64url').slice(0, 16);

export function verifyEd25519(rawB64: string, message: Buffer, sigB64url: string): boolean {
  const x = Buffer.from(rawB64, 'base64').toString('base64url');
  const key = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x }, format: 'jwk' });
  const sig = strictDecode(sigB64url, 'base64url');
  return sig.length === 64 && verify(null, message, key, sig);
}

const BEGIN = '-----BEGIN KEYWARD LICENSE-----';
const END = '-----END KEYWARD LICENSE-----';
const ALGS: Record<number, string[]> = {
  1: ['ed25519', 'aes-256-gcm+ed25519'],
  2: ['ed25519', 'aes-256-gcm+ed25519', 'pbkdf2-sha256+aes-256-gcm+ed25519'],
};
const STATUSES = ['pending', 'active', 'expiring', 'in_grace', 'expired', 'suspended', 'revoked'];
const KEYWARD_SHAPE = /^([A-Z][A-Z0-9]{1,11})-((?:[0-9A-Z]{6}-){4}[0-9A-Z]{6})$/;

export interface VerifyOptions {
  now: Date;
  /** For encrypted files: the license key (as the user typed it; canonicalised as the document says). */
  licenseKey?: string;
  /** This machine's fingerprint. */
  fingerprint?: string;
  /** Clock-rollback tolerance (default 5 minutes). */
  toleranceMs?: number;
}

// biome-ignore lint/suspicious/noExplicitAny: the payload is whatever JSON the file holds
export type Payload = any;

function parseJson(bytes: Buffer): Payload {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return reject('MALFORMED');
  }
}

function aesGcm(aesKey: Buffer, [iv, ciphertext, tag]: Buffer[]): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, iv!, { authTagLength: 16 });
    decipher.setAuthTag(tag!);
    return Buffer.concat([decipher.update(ciphertext!), decipher.final()]);
  } catch {
    return null;
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** "The license key in the secret": trimmed; Keyward-shaped keys upper-cased, spaces out, I/L → 1, O → 0. */
export function canonicalKey(typed: string): string {
  const trimmed = typed.trim();
  const m = KEYWARD_SHAPE.exec(trimmed.toUpperCase().replace(/\s+/g, ''));
  return m ? `${m[1]}-${m[2]!.replace(/[IL]/g, '1').replace(/O/g, '0')}` : trimmed;
}

/** Step 4 for encrypted files: the secrets to try, then AES-256-GCM under SHA-256 or PBKDF2 of each. */
function decrypt(alg: string, enc: string, secrets: string[]): Buffer | null {
  const parts = enc.split('.');
  let kdf: (secret: string) => Buffer = sha256;
  if (alg === 'pbkdf2-sha256+aes-256-gcm+ed25519') {
    if (parts.length !== 5 || !/^[1-9][0-9]*$/.test(parts[0]!)) return reject('MALFORMED');
    const iterations = Number(parts.shift());
    const salt = strictDecode(parts.shift()!, 'base64url');
    if (iterations > 10_000_000 || salt.length < 16) return reject('MALFORMED');
    kdf = (secret) => pbkdf2Sync(Buffer.from(secret, 'utf8'), salt, iterations, 32, 'sha256');
  }
  if (parts.length !== 3) return reject('MALFORMED');
  const decoded = parts.map((p) => strictDecode(p, 'base64url'));
  if (decoded[0]!.length !== 12 || decoded[2]!.length !== 16) return reject('MALFORMED');
  for (const secret of secrets) {
    const plain = aesGcm(kdf(secret), decoded);
    if (plain) return plain;
  }
  return null;
}

/** "Verifying, step by step" (docs/license-files.md). Returns the payload or throws Rejected. */
export function verifyLicenseFile(text: string, keys: PublicKeys, opts: VerifyOptions): Payload {
  // 1. Armor → envelope.
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) reject('MALFORMED');
  const body = text.slice(begin + BEGIN.length, end).replace(/\s+/g, '');
  const envelope = parseJson(strictDecode(body, 'base64'));
  if (typeof envelope !== 'object' || envelope === null || !ALGS[envelope.v]?.includes(envelope.alg)) {
    reject('MALFORMED');
  }
  const { v, alg, kid, bind, enc, sig } = envelope;
  if (typeof kid !== 'string' || typeof enc !== 'string' || typeof sig !== 'string') reject('MALFORMED');
  if (v === 2 && bind !== 'license' && bind !== 'machine') reject('MALFORMED');
  // 2. The public key.
  const publicKey = Object.hasOwn(keys, kid) ? keys[kid] : undefined;
  if (!publicKey) return reject('UNKNOWN_KID');
  // 3. The signature, before anything else is trusted.
  const message = v === 1 ? `keyward-license/1/${alg}/${kid}/${enc}` : `keyward-license/2/${alg}/${kid}/${bind}/${enc}`;
  if (!verifyEd25519(publicKey, Buffer.from(message, 'ascii'), sig)) reject('BAD_SIGNATURE');
  // 4. The payload.
  let bytes: Buffer;
  if (alg === 'ed25519') {
    bytes = strictDecode(enc, 'base64url');
  } else {
    if (opts.licenseKey === undefined) return reject('KEY_REQUIRED');
    if (bind === 'machine' && opts.fingerprint === undefined) return reject('FINGERPRINT_MISMATCH');
    const key = canonicalKey(opts.licenseKey);
    const withFingerprint = opts.fingerprint === undefined ? [] : [`${key}\n${opts.fingerprint}`];
    const secrets = bind === 'machine' ? withFingerprint : bind === 'license' ? [key] : [...withFingerprint, key];
    const plain = decrypt(alg, enc, secrets);
    if (!plain) return reject('DECRYPT_FAILED');
    bytes = plain;
  }
  const payload = parseJson(bytes);
  if (payload?.format !== 'keyward-license/1') reject('MALFORMED');
  if (v === 2 && (bind === 'machine') !== (payload.machine !== null)) reject('MALFORMED');
  // 5. Clock rollback: the clock may not be before the file was issued (beyond the tolerance).
  const now = opts.now.getTime();
  if (now < new Date(payload.meta.issuedAt).getTime() - (opts.toleranceMs ?? 300_000)) reject('CLOCK_ROLLBACK');
  // 6. The file's own TTL.
  if (!(new Date(payload.meta.expiresAt).getTime() > now)) reject('FILE_EXPIRED');
  // 7. The machine.
  if (payload.machine !== null && payload.machine.fingerprint !== opts.fingerprint) reject('FINGERPRINT_MISMATCH');
  // 8. The license: the status table, then the dates against this clock and the plan's expiration strategy.
  const l = payload.license;
  if (!STATUSES.includes(l.status)) reject('MALFORMED');
  if (l.status === 'suspended' || l.status === 'revoked') reject('LICENSE_NOT_USABLE');
  if (new Date(l.startsAt).getTime() > now) reject('LICENSE_NOT_USABLE');
  const lastDay = l.graceEndsAt ?? l.endsAt;
  const endStops = ['restrict', 'revoke'].includes(payload.plan.expirationStrategy);
  if (endStops && lastDay !== null && new Date(lastDay).getTime() <= now) reject('LICENSE_NOT_USABLE');
  return payload;
}

/** Signed license keys: `KW1.<kid>.<b64url(data)>.<b64url(sig)>` over `keyward-key/1/<kid>/<data segment>`. */
export function verifySignedKey(key: string, keys: PublicKeys): Payload {
  const parts = key.split('.');
  if (parts.length !== 4 || parts[0] !== 'KW1') reject('MALFORMED');
  const [, kid, data, sig] = parts as [string, string, string, string];
  const publicKey = Object.hasOwn(keys, kid) ? keys[kid] : undefined;
  if (!publicKey) return reject('UNKNOWN_KID');
  if (!verifyEd25519(publicKey, Buffer.from(`keyward-key/1/${kid}/${data}`, 'ascii'), sig)) reject('BAD_SIGNATURE');
  return parseJson(strictDecode(data, 'base64url'));
}

/** Signed responses: `Keyward-Signature: v=…; kid=…; ts=…; sig=…` over the five lines of the spec. */
export function verifyResponseSignature(
  header: string,
  keys: PublicKeys,
  request: { method: string; path: string; nonce: string | number | null },
  body: string,
): { kid: string; ts: string } {
  const fields: Record<string, string> = Object.fromEntries(
    header.split(';').map((part) => {
      const at = part.indexOf('=');
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()];
    }),
  );
  const { v, kid, ts, sig } = fields;
  if ((v !== '1' && v !== '2') || !kid || !ts || !sig) return reject('MALFORMED');
  const publicKey = Object.hasOwn(keys, kid) ? keys[kid] : undefined;
  if (!publicKey) return reject('UNKNOWN_KID');
  // The nonce's JSON type decides the version and its line.
  const { nonce } = request;
  const expected = typeof nonce === 'number' ? '2' : '1';
  if (v !== expected) reject('BAD_SIGNATURE');
  const line = nonce === null ? '' : typeof nonce === 'number' ? `i:${nonce}` : nonce;
  const message = [
    `keyward-response/${v}`,
    `${request.method.toUpperCase()} ${request.path}`,
    ts,
    line,
    createHash('sha256').update(body, 'utf8').digest('hex'),
  ].join('\n');
  if (!verifyEd25519(publicKey, Buffer.from(message, 'utf8'), sig)) reject('BAD_SIGNATURE');
  return { kid, ts };
}

/** A published key as GET /v1/keys lists it. */
export interface PublishedKey {
  kid: string;
  publicKey: string;
  endorsement: { kid: string; sig: string } | null;
}

/** "Key chain": the pinned keys extended by every listed key whose endorsement verifies with a trusted key. */
export function followKeyChain(pinned: PublicKeys, published: PublishedKey[]): PublicKeys {
  const trusted: PublicKeys = { ...pinned };
  for (let changed = true; changed; ) {
    changed = false;
    for (const k of published) {
      if (Object.hasOwn(trusted, k.kid) || !k.endorsement || !Object.hasOwn(trusted, k.endorsement.kid)) continue;
      if (kidOfPublicKey(k.publicKey) !== k.kid) continue;
      const message = `keyward-key-endorsement/1/${k.endorsement.kid}/${k.kid}/${k.publicKey}`;
      if (!verifyEd25519(trusted[k.endorsement.kid]!, Buffer.from(message, 'ascii'), k.endorsement.sig)) continue;
      trusted[k.kid] = k.publicKey;
      changed = true;
    }
  }
  return trusted;
}
