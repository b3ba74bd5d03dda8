import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { Signer } from '../signing/signer.ts';
import { signNamingKid } from './kid-bound-sign.ts';

/*
 * License files, byte for byte as docs/license-files.md ("License files (offline)") specifies them: a JSON envelope
 * {v, alg, kid, enc, sig}, base64 in PEM-style armor. The signature covers `keyward-license/1/{alg}/{kid}/{enc}`.
 */

export const LICENSE_FILE_FORMAT = 'keyward-license/1';
export const ARMOR_BEGIN = '-----BEGIN KEYWARD LICENSE-----';
export const ARMOR_END = '-----END KEYWARD LICENSE-----';
const LINE_LENGTH = 64;
const IV_BYTES = 12;

export type LicenseFileAlg = 'ed25519' | 'aes-256-gcm+ed25519';

export interface LicenseFileEnvelope {
  v: 1;
  alg: LicenseFileAlg;
  kid: string;
  enc: string;
  sig: string;
}

/** What an encrypted file is encrypted for: the canonical license key, and the fingerprint of a machine-bound file. */
export interface FileEncryption {
  licenseKey: string;
  fingerprint: string | null;
  /** Fixed IV (test vectors only); otherwise 12 random bytes. */
  iv?: Buffer;
}

export interface BuiltLicenseFile {
  /** The armored text (ends with a newline). */
  certificate: string;
  alg: LicenseFileAlg;
  kid: string;
}

/** The exact bytes signed for a license file. */
export function licenseFileMessage(alg: LicenseFileAlg, kid: string, enc: string): Buffer {
  return Buffer.from(`${LICENSE_FILE_FORMAT}/${alg}/${kid}/${enc}`, 'ascii');
}

/** AES-256 key: SHA-256(license key), or SHA-256(license key + "\n" + fingerprint) for a machine-bound file. */
export function fileEncryptionKey(licenseKey: string, fingerprint: string | null): Buffer {
  const secret = fingerprint === null ? licenseKey : `${licenseKey}\n${fingerprint}`;
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** `b64url(iv).b64url(ciphertext).b64url(tag)`: AES-256-GCM, 12-byte IV, 16-byte tag, no additional data. */
export function encryptPayload(plaintext: Buffer, encryption: FileEncryption): string {
  const iv = encryption.iv ?? randomBytes(IV_BYTES);
  if (iv.length !== IV_BYTES) throw new Error(`the IV must be ${IV_BYTES} bytes`);
  const cipher = createCipheriv('aes-256-gcm', fileEncryptionKey(encryption.licenseKey, encryption.fingerprint), iv);
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return [iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url')).join('.');
}

/** PEM-style armor: the base64 of the envelope JSON wrapped at 64 characters, with a final newline. */
export function armor(envelope: LicenseFileEnvelope): string {
  const body = Buffer.from(JSON.stringify(envelope), 'utf8').toString('base64');
  const lines = body.match(new RegExp(`.{1,${LINE_LENGTH}}`, 'g')) ?? [];
  return `${[ARMOR_BEGIN, ...lines, ARMOR_END].join('\n')}\n`;
}

/**
 * Signs the payload (as its JSON bytes) into an armored license file: plain (`ed25519`) or, given `encryption`,
 * encrypted (`aes-256-gcm+ed25519`). Encrypt, then sign the ciphertext (verifiers check before decrypting).
 */
export async function buildLicenseFile(
  signer: Signer,
  payload: unknown,
  encryption: FileEncryption | null,
): Promise<BuiltLicenseFile> {
  const json = Buffer.from(JSON.stringify(payload), 'utf8');
  const alg: LicenseFileAlg = encryption ? 'aes-256-gcm+ed25519' : 'ed25519';
  const enc = encryption ? encryptPayload(json, encryption) : json.toString('base64url');
  const { kid, signature } = await signNamingKid(signer, (k) => licenseFileMessage(alg, k, enc));
  const envelope: LicenseFileEnvelope = { v: 1, alg, kid, enc, sig: signature.toString('base64url') };
  return { certificate: armor(envelope), alg, kid };
}
