import { createCipheriv, createHash, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Signer } from '../signing/signer.ts';
import { signNamingKid } from './kid-bound-sign.ts';

/*
 * License files, byte for byte as docs/license-files.md ("License files (offline)") specifies them: a JSON envelope
 * {v, alg, kid, bind, enc, sig}, base64 in PEM-style armor. The signature covers
 * `keyward-license/2/{alg}/{kid}/{bind}/{enc}`. (Version 1 files, without `bind`, are still verified by the SDK; the
 * server makes version 2 only.)
 */

export const LICENSE_FILE_FORMAT = 'keyward-license/1';
export const ENVELOPE_VERSION = 2;
export const ARMOR_BEGIN = '-----BEGIN KEYWARD LICENSE-----';
export const ARMOR_END = '-----END KEYWARD LICENSE-----';
const LINE_LENGTH = 64;
const IV_BYTES = 12;
const SALT_BYTES = 16;
/** PBKDF2-HMAC-SHA-256 work factor for files encrypted under imported keys (OWASP 2023). */
export const PBKDF2_ITERATIONS = 600_000;

const pbkdf2Async = promisify(pbkdf2);

export type LicenseFileAlg = 'ed25519' | 'aes-256-gcm+ed25519' | 'pbkdf2-sha256+aes-256-gcm+ed25519';
/** What the file is bound to: the license (any machine with the key) or one activated machine. */
export type LicenseFileBinding = 'license' | 'machine';

export interface LicenseFileEnvelope {
  v: typeof ENVELOPE_VERSION;
  alg: LicenseFileAlg;
  kid: string;
  bind: LicenseFileBinding;
  enc: string;
  sig: string;
}

/** How the AES key is derived from the secret: SHA-256 (keys Keyward made), or PBKDF2 (imported keys). */
export type FileKdf = { kind: 'sha256' } | { kind: 'pbkdf2'; iterations: number; salt?: Buffer };

/** What an encrypted file is encrypted for: the canonical license key, and the fingerprint of a machine-bound file. */
export interface FileEncryption {
  licenseKey: string;
  fingerprint: string | null;
  kdf: FileKdf;
  /** Fixed IV (test vectors only); otherwise 12 random bytes. */
  iv?: Buffer;
}

export interface BuiltLicenseFile {
  /** The armored text (ends with a newline). */
  certificate: string;
  alg: LicenseFileAlg;
  kid: string;
  bind: LicenseFileBinding;
}

/** The exact bytes signed for a (version 2) license file. */
export function licenseFileMessage(alg: LicenseFileAlg, kid: string, bind: LicenseFileBinding, enc: string): Buffer {
  return Buffer.from(`keyward-license/${ENVELOPE_VERSION}/${alg}/${kid}/${bind}/${enc}`, 'ascii');
}

/** The secret the AES key is derived from: the license key, or license key + "\n" + fingerprint (machine-bound). */
export const fileSecret = (licenseKey: string, fingerprint: string | null): string =>
  fingerprint === null ? licenseKey : `${licenseKey}\n${fingerprint}`;

/** AES-256 key under the SHA-256 scheme: SHA-256 of the secret's UTF-8 bytes. */
export function sha256FileKey(licenseKey: string, fingerprint: string | null): Buffer {
  return createHash('sha256').update(fileSecret(licenseKey, fingerprint), 'utf8').digest();
}

/** AES-256 key under the PBKDF2 scheme: PBKDF2-HMAC-SHA-256(secret, salt, iterations, 32 bytes). */
export function pbkdf2FileKey(secret: string, salt: Buffer, iterations: number): Promise<Buffer> {
  return pbkdf2Async(Buffer.from(secret, 'utf8'), salt, iterations, 32, 'sha256');
}

/**
 * `enc` of an encrypted file: AES-256-GCM, 12-byte IV, 16-byte tag, no additional data —
 * `b64url(iv).b64url(ciphertext).b64url(tag)`, preceded by `<iterations>.b64url(salt).` under PBKDF2.
 */
export async function encryptPayload(plaintext: Buffer, encryption: FileEncryption): Promise<string> {
  const iv = encryption.iv ?? randomBytes(IV_BYTES);
  if (iv.length !== IV_BYTES) throw new Error(`the IV must be ${IV_BYTES} bytes`);
  const { kdf, licenseKey, fingerprint } = encryption;
  let key: Buffer;
  let prefix: string[] = [];
  if (kdf.kind === 'sha256') {
    key = sha256FileKey(licenseKey, fingerprint);
  } else {
    const salt = kdf.salt ?? randomBytes(SALT_BYTES);
    key = await pbkdf2FileKey(fileSecret(licenseKey, fingerprint), salt, kdf.iterations);
    prefix = [String(kdf.iterations), salt.toString('base64url')];
  }
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [...prefix, ...[iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'))].join('.');
}

/** PEM-style armor: the base64 of the envelope JSON wrapped at 64 characters, with a final newline. */
export function armor(envelope: object): string {
  const body = Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
  const lines = body.match(new RegExp(`.{1,${LINE_LENGTH}}`, 'g')) ?? [];
  return `${[ARMOR_BEGIN, ...lines, ARMOR_END].join('\n')}\n`;
}

const algOf = (encryption: FileEncryption | null): LicenseFileAlg =>
  encryption === null
    ? 'ed25519'
    : encryption.kdf.kind === 'sha256'
      ? 'aes-256-gcm+ed25519'
      : 'pbkdf2-sha256+aes-256-gcm+ed25519';

/**
 * Signs the payload (as its JSON bytes) into an armored license file: plain (`ed25519`) or, given `encryption`,
 * encrypted. Encrypt, then sign the ciphertext (verifiers check before decrypting). `bind` is `machine` exactly when
 * the payload names a machine; for an encrypted file the fingerprint is then part of the secret.
 */
export async function buildLicenseFile(
  signer: Signer,
  payload: { machine: { fingerprint: string } | null },
  encryption: FileEncryption | null,
): Promise<BuiltLicenseFile> {
  const bind: LicenseFileBinding = payload.machine ? 'machine' : 'license';
  if (encryption && encryption.fingerprint !== (payload.machine?.fingerprint ?? null)) {
    throw new Error('an encrypted file is encrypted for the machine it names, and only for it');
  }
  const json = Buffer.from(JSON.stringify(payload), 'utf8');
  const alg = algOf(encryption);
  const enc = encryption ? await encryptPayload(json, encryption) : json.toString('base64url');
  const { kid, signature } = await signNamingKid(signer, (k) => licenseFileMessage(alg, k, bind, enc));
  const envelope: LicenseFileEnvelope = {
    v: ENVELOPE_VERSION,
    alg,
    kid,
    bind,
    enc,
    sig: signature.toString('base64url'),
  };
  return { certificate: armor(envelope), alg, kid, bind };
}
