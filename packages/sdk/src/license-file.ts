/** Offline verification of Keyward license files — docs/license-files.md, "Verifying, step by step". */
import { aesGcmDecrypt, sha256, verifyEd25519, verifyEd25519Sync } from './crypto.ts';
import { type Bytes, fromB64, fromB64url, fromUtf8, isRecord, parseJson, utf8 } from './encoding.ts';
import {
  canonicalLicenseKey,
  checkPayload,
  checkPayloadShape,
  type LicenseFilePayload,
  type PayloadReason,
  type PayloadStanding,
} from './license-payload.ts';
import { type PublicKeysInput, publicKeySet } from './public-keys.ts';

export type LicenseFileAlg = 'ed25519' | 'aes-256-gcm+ed25519';

export type LicenseFileReason =
  | PayloadReason
  | 'UNKNOWN_KID'
  | 'BAD_SIGNATURE'
  /** The file is encrypted and no licenseKey was given. */
  | 'KEY_REQUIRED'
  /** The licenseKey (or, for a machine-bound file, the fingerprint) does not decrypt the file. */
  | 'DECRYPTION_FAILED';

export interface VerifyLicenseFileOptions {
  publicKeys: PublicKeysInput;
  /** Needed for encrypted files; for plain files it is compared with the file's license key. */
  licenseKey?: string;
  /** This machine's fingerprint: needed for machine-bound files (and to decrypt encrypted ones). */
  fingerprint?: string;
  /** The time to check against (default: now). */
  now?: Date | number;
  /** Allowed clock skew for "earlier than" checks (issuedAt, lastSeenAt, startsAt). Default 300 s. */
  clockToleranceSeconds?: number;
  /** The latest time this app has seen (see ClockGuard): a clock earlier than this is CLOCK_ROLLBACK. */
  lastSeenAt?: Date | string | number | null;
  /** Release date of this build: under the `maintain` strategy a build released after the end date is expired. */
  releasedAt?: Date | string;
}

export type LicenseFileResult =
  | ({
      valid: true;
      payload: LicenseFilePayload;
      kid: string;
      alg: LicenseFileAlg;
      encrypted: boolean;
    } & PayloadStanding)
  | { valid: false; reason: LicenseFileReason; detail: string; payload?: LicenseFilePayload; kid?: string };

const BEGIN = '-----BEGIN KEYWARD LICENSE-----';
const END = '-----END KEYWARD LICENSE-----';
const MAX_TEXT = 4 * 1024 * 1024;
const ALGS: readonly string[] = ['ed25519', 'aes-256-gcm+ed25519'];

const fail = (reason: LicenseFileReason, detail: string, extra: { payload?: LicenseFilePayload; kid?: string } = {}) =>
  ({ valid: false, reason, detail, ...extra }) as const;

interface Envelope {
  v: 1;
  alg: LicenseFileAlg;
  kid: string;
  enc: string;
  sig: string;
}

/** Step 1: armour → envelope. */
function readEnvelope(text: string): Envelope | { reason: LicenseFileReason; detail: string } {
  if (typeof text !== 'string' || text.length > MAX_TEXT) return { reason: 'MALFORMED', detail: 'Not a license file' };
  const begin = text.indexOf(BEGIN);
  const end = begin < 0 ? -1 : text.indexOf(END, begin + BEGIN.length);
  if (begin < 0 || end < 0) return { reason: 'MALFORMED', detail: 'The BEGIN/END KEYWARD LICENSE lines are missing' };
  // Armour lines end in "\n"; other whitespace (CRLF, spaces) is rare and is stripped in a second try.
  const body = text.slice(begin + BEGIN.length, end);
  const bytes = fromB64(body.replaceAll('\n', '')) ?? fromB64(body.replace(/\s+/g, ''));
  const json = bytes ? fromUtf8(bytes) : null;
  const env = json === null ? null : parseJson(json);
  if (!isRecord(env)) return { reason: 'MALFORMED', detail: 'The file body is not base64 of a JSON envelope' };
  if (env.v !== 1) return { reason: 'UNSUPPORTED_VERSION', detail: `Unsupported envelope version ${String(env.v)}` };
  if (typeof env.alg !== 'string' || !ALGS.includes(env.alg)) {
    return { reason: 'UNSUPPORTED_VERSION', detail: `Unsupported alg ${String(env.alg)}` };
  }
  if (typeof env.kid !== 'string' || typeof env.enc !== 'string' || typeof env.sig !== 'string') {
    return { reason: 'MALFORMED', detail: 'The envelope needs kid, enc and sig strings' };
  }
  return env as unknown as Envelope;
}

/** Step 4 for encrypted files: `iv.ciphertext.tag` under SHA-256(key [+ "\n" + fingerprint]). */
async function decrypt(
  enc: string,
  licenseKey: string,
  fingerprint: string | undefined,
): Promise<Bytes | 'MALFORMED' | null> {
  const parts = enc.split('.');
  const [iv, ciphertext, tag] = parts.map(fromB64url);
  if (parts.length !== 3 || !iv || !ciphertext || !tag || iv.length !== 12 || tag.length !== 16) return 'MALFORMED';
  const key = canonicalLicenseKey(licenseKey);
  // A machine-bound file uses key + fingerprint; a license file the key alone. The envelope does not say which.
  const secrets = fingerprint === undefined ? [key] : [`${key}\n${fingerprint}`, key];
  for (const secret of secrets) {
    const plain = await aesGcmDecrypt(await sha256(secret), iv, ciphertext, tag);
    if (plain) return plain;
  }
  return null;
}

/**
 * Verifies a license file offline: envelope, signature (before decrypting), decryption, the file's TTL, the
 * machine binding and the license's own status and dates. Never throws for a bad file — it answers with a reason;
 * only a malformed `publicKeys` option throws (TypeError).
 */
export async function verifyLicenseFile(text: string, options: VerifyLicenseFileOptions): Promise<LicenseFileResult> {
  const pending = publicKeySet(options.publicKeys);
  const keys = pending instanceof Promise ? await pending : pending;
  const env = readEnvelope(text);
  if ('reason' in env) return fail(env.reason, env.detail);

  const key = keys.get(env.kid);
  if (!key) return fail('UNKNOWN_KID', `No known public key has kid ${env.kid}`);
  const sig = fromB64url(env.sig);
  const message = utf8(`keyward-license/1/${env.alg}/${env.kid}/${env.enc}`);
  // Node: a synchronous verify (no async hop); elsewhere WebCrypto's. The same answer either way.
  const verified = sig !== null && (verifyEd25519Sync(key, sig, message) ?? (await verifyEd25519(key, sig, message)));
  if (!verified) {
    return fail('BAD_SIGNATURE', 'The signature does not verify: the file was changed or signed by another key');
  }

  const encrypted = env.alg === 'aes-256-gcm+ed25519';
  let bytes: Bytes | null;
  if (encrypted) {
    if (options.licenseKey === undefined) return fail('KEY_REQUIRED', 'The file is encrypted: pass the license key');
    const plain = await decrypt(env.enc, options.licenseKey, options.fingerprint);
    if (plain === 'MALFORMED') return fail('MALFORMED', 'enc must be iv.ciphertext.tag (12-byte iv, 16-byte tag)');
    if (!plain) {
      return fail('DECRYPTION_FAILED', 'The license key (or, for a machine-bound file, the fingerprint) is wrong');
    }
    bytes = plain;
  } else {
    bytes = fromB64url(env.enc);
  }
  const json = bytes ? fromUtf8(bytes) : null;
  const value = json === null ? null : parseJson(json);
  const shape = checkPayloadShape(value);
  if ('reason' in shape) return fail(shape.reason, shape.detail, { kid: env.kid });
  const payload = value as LicenseFilePayload;

  const now = options.now === undefined ? new Date() : new Date(options.now);
  const lastSeen = options.lastSeenAt ?? null;
  const result = checkPayload(payload, shape, {
    now,
    toleranceMs: (options.clockToleranceSeconds ?? 300) * 1000,
    // An encrypted file proved the key by decrypting; a plain one is compared.
    licenseKey: encrypted ? undefined : options.licenseKey,
    fingerprint: options.fingerprint,
    lastSeenAt: lastSeen === null ? null : new Date(lastSeen),
    releasedAt: options.releasedAt === undefined ? null : new Date(options.releasedAt),
  });
  if ('reason' in result) return fail(result.reason, result.detail, { payload, kid: env.kid });
  return { valid: true, payload, kid: env.kid, alg: env.alg, encrypted, ...result };
}
