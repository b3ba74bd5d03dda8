/** WebCrypto primitives (globalThis.crypto.subtle: Node >= 20 and modern browsers). No node: imports. */
import { type Bytes, concat, toB64url, utf8 } from './encoding.ts';

const subtle = (): SubtleCrypto => {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('Keyward SDK: WebCrypto (globalThis.crypto.subtle) is not available');
  return s;
};

export async function sha256(data: Bytes | string): Promise<Bytes> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

/** Key id of a raw Ed25519 public key: b64url(SHA-256(raw)) truncated to 16 characters. */
export async function kidOf(rawPublicKey: Bytes): Promise<string> {
  return toB64url(await sha256(rawPublicKey)).slice(0, 16);
}

export function importEd25519(rawPublicKey: Bytes): Promise<CryptoKey> {
  return subtle().importKey('raw', rawPublicKey, { name: 'Ed25519' }, false, ['verify']);
}

/** Ed25519 verification; false (never a throw) for a signature of the wrong length or a failing one. */
export async function verifyEd25519(key: CryptoKey, signature: Bytes, message: Bytes): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    return await subtle().verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return false;
  }
}

/** AES-256-GCM decryption (no additional data, 128-bit tag); null when the key is wrong or the data was changed. */
export async function aesGcmDecrypt(key: Bytes, iv: Bytes, ciphertext: Bytes, tag: Bytes): Promise<Bytes | null> {
  try {
    const k = await subtle().importKey('raw', key, { name: 'AES-GCM' }, false, ['decrypt']);
    const plain = await subtle().decrypt({ name: 'AES-GCM', iv, tagLength: 128 }, k, concat(ciphertext, tag));
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/** Random bytes from the platform CSPRNG. */
export function randomBytes(n: number): Bytes {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
