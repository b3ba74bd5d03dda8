/** Offline verification of Keyward license files — docs/license-files.md, "Verifying, step by step". */
import { aesGcmDecrypt, pbkdf2Sha256, sha256, verifyEd25519, verifyEd25519Sync } from './crypto.ts';
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

export type LicenseFileAlg = 'ed25519' | 'aes-256-gcm+ed25519' | 'pbkdf2-sha256+aes-256-gcm+ed25519';
/** What a file is bound to: the license (any machine with the key) or one activated machine. */
export type LicenseFileBinding = 'license' | 'machine';

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
      /** Envelope version: 2 (current), or 1 (files made before envelopes named their binding). */
      v: 1 | 2;
      bind: LicenseFileBinding;
      encrypted: boolean;
    } & PayloadStanding)
  | { valid: false; reason: LicenseFileReason; detail: string; payload?: LicenseFilePayload; kid?: string };

const BEGIN = '-----BEGIN KEYWARD LICENSE-----';
const END = '-----END KEYWARD LICENSE-----';
const MAX_TEXT = 4 * 1024 * 1024;
const ALGS: Record<1 | 2, readonly string[]> = {
  1: ['ed25519', 'aes-256-gcm+ed25519'],
  2: ['ed25519', 'aes-256-gcm+ed25519', 'pbkdf2-sha256+aes-256-gcm+ed25519'],
};
/** More PBKDF2 iterations than this are refused (a file that would take minutes to open). */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;

const fail = (reason: LicenseFileReason, detail: string, extra: { payload?: LicenseFilePayload; kid?: string } = {}) =>
  ({ valid: false, reason, detail, ...extra }) as const;

interface Envelope {
  v: 1 | 2;
  alg: LicenseFileAlg;
  kid: string;
  /** Version 2 only; version 1 files say it only in the payload. */
  bind: LicenseFileBinding | null;
  enc: string;
  sig: string;
}

type Failure = { reason: LicenseFileReason; detail: string };

/** Step 1: armour → envelope. */
function readEnvelope(text: string): Envelope | Failure {
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
  if (env.v !== 1 && env.v !== 2) {
    return { reason: 'UNSUPPORTED_VERSION', detail: `Unsupported envelope version ${String(env.v)}` };
  }
  if (typeof env.alg !== 'string' || !ALGS[env.v].includes(env.alg)) {
    return { reason: 'UNSUPPORTED_VERSION', detail: `Unsupported alg ${String(env.alg)}` };
  }
  if (typeof env.kid !== 'string' || typeof env.enc !== 'string' || typeof env.sig !== 'string') {
    return { reason: 'MALFORMED', detail: 'The envelope needs kid, enc and sig strings' };
  }
  if (env.v === 2 && env.bind !== 'license' && env.bind !== 'machine') {
    return { reason: 'MALFORMED', detail: 'A version 2 envelope needs bind: "license" or "machine"' };
  }
  const bind = env.v === 2 ? (env.bind as LicenseFileBinding) : null;
  return { v: env.v, alg: env.alg as LicenseFileAlg, kid: env.kid, bind, enc: env.enc, sig: env.sig };
}

/** Step 3's message: version 2 binds `bind` too. */
const signedMessage = (e: Envelope) =>
  utf8(
    e.v === 1
      ? `keyward-license/1/${e.alg}/${e.kid}/${e.enc}`
      : `keyward-license/2/${e.alg}/${e.kid}/${e.bind}/${e.enc}`,
  );

const ITERATIONS = /^[1-9][0-9]{0,7}$/;

/**
 * Step 4 for encrypted files: `[iterations.salt.]iv.ciphertext.tag` under SHA-256 or PBKDF2 of each secret (the
 * first that decrypts wins; a version 2 envelope says which one it is).
 */
async function decrypt(env: Envelope, secrets: string[]): Promise<Bytes | 'MALFORMED' | null> {
  const parts = env.enc.split('.');
  const pbkdf2 = env.alg === 'pbkdf2-sha256+aes-256-gcm+ed25519';
  const kdf = pbkdf2 ? parts.splice(0, 2) : [];
  const [iv, ciphertext, tag] = parts.map(fromB64url);
  if (parts.length !== 3 || !iv || !ciphertext || !tag || iv.length !== 12 || tag.length !== 16) return 'MALFORMED';
  const salt = pbkdf2 ? fromB64url(kdf[1] ?? '') : null;
  const iterations = pbkdf2 && ITERATIONS.test(kdf[0] ?? '') ? Number(kdf[0]) : 0;
  if (pbkdf2 && (!salt || salt.length < 16 || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS)) {
    return 'MALFORMED';
  }
  for (const secret of secrets) {
    const key = salt ? await pbkdf2Sha256(utf8(secret), salt, iterations) : await sha256(secret);
    const plain = await aesGcmDecrypt(key, iv, ciphertext, tag);
    if (plain) return plain;
  }
  return null;
}

/** The secrets to try: license key, or license key + "\n" + fingerprint for a machine-bound file. */
function secretsOf(env: Envelope, licenseKey: string, fingerprint: string | undefined): string[] {
  const key = canonicalLicenseKey(licenseKey);
  const bound = fingerprint === undefined ? [] : [`${key}\n${fingerprint}`];
  if (env.bind === 'machine') return bound;
  if (env.bind === 'license') return [key];
  // Version 1 does not say which: a machine-bound file uses key + fingerprint, a license file the key alone.
  return [...bound, key];
}

/** Steps 1 to 4: the verified, decrypted payload bytes, or why not. */
async function openFile(
  text: string,
  options: VerifyLicenseFileOptions,
): Promise<{ env: Envelope; bytes: Bytes | null } | Failure> {
  const pending = publicKeySet(options.publicKeys);
  const keys = pending instanceof Promise ? await pending : pending;
  const env = readEnvelope(text);
  if ('reason' in env) return env;
  const key = keys.get(env.kid);
  if (!key) return { reason: 'UNKNOWN_KID', detail: `No known public key has kid ${env.kid}` };
  const sig = fromB64url(env.sig);
  const message = signedMessage(env);
  // Node: a synchronous verify (no async hop); elsewhere WebCrypto's. The same answer either way.
  const verified = sig !== null && (verifyEd25519Sync(key, sig, message) ?? (await verifyEd25519(key, sig, message)));
  if (!verified) {
    return {
      reason: 'BAD_SIGNATURE',
      detail: 'The signature does not verify: the file was changed or signed by another key',
    };
  }
  if (env.alg === 'ed25519') return { env, bytes: fromB64url(env.enc) };
  if (options.licenseKey === undefined)
    return { reason: 'KEY_REQUIRED', detail: 'The file is encrypted: pass the license key' };
  if (env.bind === 'machine' && options.fingerprint === undefined) {
    return { reason: 'WRONG_FINGERPRINT', detail: "The file is bound to a machine: pass this machine's fingerprint" };
  }
  const plain = await decrypt(env, secretsOf(env, options.licenseKey, options.fingerprint));
  if (plain === 'MALFORMED') return { reason: 'MALFORMED', detail: 'enc must be [iterations.salt.]iv.ciphertext.tag' };
  if (!plain) {
    return {
      reason: 'DECRYPTION_FAILED',
      detail: 'The license key (or, for a machine-bound file, the fingerprint) is wrong',
    };
  }
  return { env, bytes: plain };
}

/**
 * Verifies a license file offline: envelope, signature (before decrypting), decryption, the file's TTL, the
 * machine binding and the license's own status and dates. Never throws for a bad file — it answers with a reason;
 * only a malformed `publicKeys` option throws (TypeError).
 */
export async function verifyLicenseFile(text: string, options: VerifyLicenseFileOptions): Promise<LicenseFileResult> {
  const opened = await openFile(text, options);
  if ('reason' in opened) return fail(opened.reason, opened.detail);
  const { env, bytes } = opened;
  const json = bytes ? fromUtf8(bytes) : null;
  const value = json === null ? null : parseJson(json);
  const shape = checkPayloadShape(value);
  if ('reason' in shape) return fail(shape.reason, shape.detail, { kid: env.kid });
  const payload = value as LicenseFilePayload;
  const bind: LicenseFileBinding = payload.machine ? 'machine' : 'license';
  if (env.bind !== null && env.bind !== bind) {
    return fail('MALFORMED', `The envelope says bind ${env.bind}, the payload ${bind}`, { kid: env.kid });
  }

  const now = options.now === undefined ? new Date() : new Date(options.now);
  const lastSeen = options.lastSeenAt ?? null;
  const encrypted = env.alg !== 'ed25519';
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
  return { valid: true, payload, kid: env.kid, alg: env.alg, v: env.v, bind, encrypted, ...result };
}
