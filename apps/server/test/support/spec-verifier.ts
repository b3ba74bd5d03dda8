import { createDecipheriv, createHash, createPublicKey, verify } from 'node:crypto';

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
  | 'FINGERPRINT_MISMATCH';

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
const ALGS = new Set(['ed25519', 'aes-256-gcm+ed25519']);

export interface VerifyOptions {
  now: Date;
  /** For encrypted files: the license key as issued. */
  licenseKey?: string;
  /** This machine's fingerprint. */
  fingerprint?: string;
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

function decrypt(enc: string, aesKey: Buffer): Buffer | null {
  const parts = enc.split('.');
  if (parts.length !== 3) return reject('MALFORMED');
  const [iv, ciphertext, tag] = parts.map((p) => strictDecode(p, 'base64url')) as [Buffer, Buffer, Buffer];
  if (iv.length !== 12 || tag.length !== 16) return reject('MALFORMED');
  try {
    const decipher = createDecipheriv('aes-256-gcm', aesKey, iv, { authTagLength: 16 });
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch {
    return null;
  }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest();

/** "Verifying, step by step" (docs/license-files.md). Returns the payload or throws Rejected. */
export function verifyLicenseFile(text: string, keys: PublicKeys, opts: VerifyOptions): Payload {
  // 1. Armor → envelope.
  const begin = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (begin < 0 || end < begin) reject('MALFORMED');
  const body = text.slice(begin + BEGIN.length, end).replace(/\s+/g, '');
  const envelope = parseJson(strictDecode(body, 'base64'));
  if (typeof envelope !== 'object' || envelope === null || envelope.v !== 1 || !ALGS.has(envelope.alg)) {
    reject('MALFORMED');
  }
  const { alg, kid, enc, sig } = envelope;
  if (typeof kid !== 'string' || typeof enc !== 'string' || typeof sig !== 'string') reject('MALFORMED');
  // 2. The public key.
  const publicKey = Object.hasOwn(keys, kid) ? keys[kid] : undefined;
  if (!publicKey) return reject('UNKNOWN_KID');
  // 3. The signature, before anything else is trusted.
  if (!verifyEd25519(publicKey, Buffer.from(`keyward-license/1/${alg}/${kid}/${enc}`, 'ascii'), sig)) {
    reject('BAD_SIGNATURE');
  }
  // 4. The payload.
  let bytes: Buffer;
  if (alg === 'ed25519') {
    bytes = strictDecode(enc, 'base64url');
  } else {
    if (opts.licenseKey === undefined) return reject('KEY_REQUIRED');
    const candidates = [
      ...(opts.fingerprint === undefined ? [] : [sha256(`${opts.licenseKey}\n${opts.fingerprint}`)]),
      sha256(opts.licenseKey),
    ];
    const plain = candidates.map((k) => decrypt(enc, k)).find((b) => b !== null);
    if (!plain) return reject('DECRYPT_FAILED');
    bytes = plain;
  }
  const payload = parseJson(bytes);
  if (payload?.format !== 'keyward-license/1') reject('MALFORMED');
  // 5. The file's own TTL.
  if (!(new Date(payload.meta.expiresAt).getTime() > opts.now.getTime())) reject('FILE_EXPIRED');
  // 6. The license: its status at issue, its dates against this clock (an ended license stops after its grace
  // period under the restrict and revoke strategies), the machine.
  const l = payload.license;
  const endStops = ['restrict', 'revoke'].includes(payload.plan.expirationStrategy);
  if (['revoked', 'suspended', 'pending'].includes(l.status) || (endStops && l.status === 'expired')) {
    reject('LICENSE_NOT_USABLE');
  }
  if (new Date(l.startsAt) > opts.now) reject('LICENSE_NOT_USABLE');
  const lastDay = l.graceEndsAt ?? l.endsAt;
  if (endStops && lastDay !== null && new Date(lastDay) <= opts.now) reject('LICENSE_NOT_USABLE');
  if (payload.machine !== null && payload.machine.fingerprint !== opts.fingerprint) reject('FINGERPRINT_MISMATCH');
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

/** Signed responses: `Keyward-Signature: v=1; kid=…; ts=…; sig=…` over the five lines of the spec. */
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
  if (v !== '1' || !kid || !ts || !sig) return reject('MALFORMED');
  const publicKey = Object.hasOwn(keys, kid) ? keys[kid] : undefined;
  if (!publicKey) return reject('UNKNOWN_KID');
  const message = [
    'keyward-response/1',
    `${request.method.toUpperCase()} ${request.path}`,
    ts,
    request.nonce === null ? '' : String(request.nonce),
    createHash('sha256').update(body, 'utf8').digest('hex'),
  ].join('\n');
  if (!verifyEd25519(publicKey, Buffer.from(message, 'utf8'), sig)) reject('BAD_SIGNATURE');
  return { kid, ts };
}
