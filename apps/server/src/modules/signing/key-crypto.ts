import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  generateKeyPairSync,
  hkdfSync,
  type KeyObject,
  randomBytes,
} from 'node:crypto';

/** Pure key handling for the signing module (no database): key ids, new key pairs, private-key encryption. */

const HKDF_SALT = 'keyward/signing-keys/1';
const ENC_VERSION = 'v1';

/** `kid = b64url(SHA-256(raw 32-byte public key))`, first 16 characters (docs/license-files.md, "Key ids"). */
export function kidOf(rawPublicKey: Buffer): string {
  return createHash('sha256').update(rawPublicKey).digest('base64url').slice(0, 16);
}

/**
 * The key chain (docs/license-files.md, "Key chain"): the bytes the previous active key signs to vouch for the key
 * that replaces it — `keyward-key-endorsement/1/<signer kid>/<new kid>/<b64 raw new public key>`, ASCII.
 */
export function endorsementMessage(signerKid: string, kid: string, publicKeyB64: string): Buffer {
  return Buffer.from(`keyward-key-endorsement/1/${signerKid}/${kid}/${publicKeyB64}`, 'ascii');
}

export interface NewKeyPair {
  kid: string;
  /** Raw 32-byte public key. */
  publicKey: Buffer;
  privateKey: KeyObject;
}

export function generateSigningKeyPair(): NewKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKey(publicKey);
  return { kid: kidOf(raw), publicKey: raw, privateKey };
}

/** The raw 32-byte Ed25519 public key of a public (or private) KeyObject. */
export function rawPublicKey(key: KeyObject): Buffer {
  const jwk = key.export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('not an Ed25519 key');
  return Buffer.from(jwk.x, 'base64url');
}

/** The AES-256 key of one signing key: HKDF-SHA-256(KEYWARD_SECRET, salt, info = kid). */
function wrappingKey(secret: string, kid: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), HKDF_SALT, kid, 32));
}

/** `v1.<b64url iv>.<b64url ciphertext>.<b64url tag>` of the PKCS#8 DER private key (AES-256-GCM, kid as AAD). */
export function encryptPrivateKey(secret: string, kid: string, privateKey: KeyObject): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret, kid), iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const der = privateKey.export({ format: 'der', type: 'pkcs8' });
  const ciphertext = Buffer.concat([cipher.update(der), cipher.final()]);
  return [ENC_VERSION, iv, ciphertext, cipher.getAuthTag()]
    .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
    .join('.');
}

/** Decrypts a stored private key; throws when the secret (or the stored text) is wrong. */
export function decryptPrivateKey(secret: string, kid: string, stored: string): KeyObject {
  const [version, iv, ciphertext, tag, ...rest] = stored.split('.');
  if (version !== ENC_VERSION || iv === undefined || ciphertext === undefined || tag === undefined || rest.length) {
    throw new Error('unknown private key encoding');
  }
  const decipher = createDecipheriv('aes-256-gcm', wrappingKey(secret, kid), Buffer.from(iv, 'base64url'), {
    authTagLength: 16,
  });
  decipher.setAAD(Buffer.from(kid, 'utf8'));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  const der = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]);
  return createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
}
