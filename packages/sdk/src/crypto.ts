/**
 * Crypto primitives: WebCrypto (globalThis.crypto.subtle: Node >= 20 and modern browsers) everywhere, with Node's
 * own synchronous node:crypto as a fast path on Node (runtime.ts: found at run time, no static node: import).
 * Both give the same answer for the same bytes (Node's WebCrypto and node:crypto are the same OpenSSL).
 */
import { type Bytes, concat, toB64url, utf8 } from './encoding.ts';
import { type NodeCrypto, nodeCrypto } from './runtime.ts';

const subtle = (): SubtleCrypto => {
  const s = globalThis.crypto?.subtle;
  if (!s) throw new Error('Keyward SDK: WebCrypto (globalThis.crypto.subtle) is not available');
  return s;
};

/** node:crypto when the fast path applies, else null (off the hot path: one await). */
async function node(): Promise<NodeCrypto | null> {
  return nodeCrypto();
}

/** A Buffer from node:crypto as the SDK's Bytes (a view, no copy). */
const bytesOf = (b: Uint8Array): Bytes => new Uint8Array(b.buffer as ArrayBuffer, b.byteOffset, b.length);

export async function sha256(data: Bytes | string): Promise<Bytes> {
  const bytes = typeof data === 'string' ? utf8(data) : data;
  const c = await node();
  if (c) return bytesOf(c.createHash('sha256').update(bytes).digest());
  return new Uint8Array(await subtle().digest('SHA-256', bytes));
}

/** Key id of a raw Ed25519 public key: b64url(SHA-256(raw)) truncated to 16 characters. */
export async function kidOf(rawPublicKey: Bytes): Promise<string> {
  return toB64url(await sha256(rawPublicKey)).slice(0, 16);
}

export function importEd25519(rawPublicKey: Bytes): Promise<CryptoKey> {
  return subtle().importKey('raw', rawPublicKey, { name: 'Ed25519' }, false, ['verify']);
}

/** node:crypto KeyObjects of imported CryptoKeys, made once per key; null when a key is not for the fast path. */
const nodeKeys = new WeakMap<CryptoKey, object | null>();

function nodeKeyOf(c: NodeCrypto, key: CryptoKey): object | null {
  let k = nodeKeys.get(key);
  if (k === undefined) {
    // Only what WebCrypto would accept for an Ed25519 verify; anything else takes the WebCrypto path (and fails there).
    const ok = key.type === 'public' && key.algorithm?.name === 'Ed25519' && key.usages.includes('verify');
    try {
      k = ok ? c.KeyObject.from(key) : null;
    } catch {
      k = null; // not a CryptoKey of this runtime's WebCrypto
    }
    nodeKeys.set(key, k);
  }
  return k;
}

/**
 * The Node fast path of {@link verifyEd25519}, synchronous: its answer, or undefined when the fast path does not apply
 * (off Node, node:crypto still loading, a key that is not an Ed25519 verify key of this runtime) — then await
 * verifyEd25519. Lets the license-file check avoid an async hop per call.
 */
export function verifyEd25519Sync(key: CryptoKey, signature: Bytes, message: Bytes): boolean | undefined {
  if (signature.length !== 64) return false;
  const c = nodeCrypto();
  const k = c && !(c instanceof Promise) ? nodeKeyOf(c, key) : null;
  if (!k) return undefined;
  try {
    return (c as NodeCrypto).verify(null, message, k, signature);
  } catch {
    return false;
  }
}

/** Ed25519 verification; false (never a throw) for a signature of the wrong length or a failing one. */
export async function verifyEd25519(key: CryptoKey, signature: Bytes, message: Bytes): Promise<boolean> {
  if (signature.length !== 64) return false;
  await node(); // on Node < 20.16, the one-time load of node:crypto
  const fast = verifyEd25519Sync(key, signature, message);
  if (fast !== undefined) return fast;
  try {
    return await subtle().verify({ name: 'Ed25519' }, key, signature, message);
  } catch {
    return false;
  }
}

/** AES-256-GCM decryption (no additional data, 128-bit tag); null when the key is wrong or the data was changed. */
export async function aesGcmDecrypt(key: Bytes, iv: Bytes, ciphertext: Bytes, tag: Bytes): Promise<Bytes | null> {
  const c = await node();
  try {
    if (c && key.length === 32 && iv.length === 12 && tag.length === 16) {
      const decipher = c.createDecipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
      decipher.setAuthTag(tag);
      return concat(decipher.update(ciphertext), decipher.final());
    }
    const k = await subtle().importKey('raw', key, { name: 'AES-GCM' }, false, ['decrypt']);
    const plain = await subtle().decrypt({ name: 'AES-GCM', iv, tagLength: 128 }, k, concat(ciphertext, tag));
    return new Uint8Array(plain);
  } catch {
    return null;
  }
}

/**
 * PBKDF2-HMAC-SHA-256 → 32 bytes (the AES key of files encrypted under imported keys). WebCrypto on every runtime:
 * on Node it runs off the main thread like node:crypto's asynchronous pbkdf2, so there is no faster path to take.
 */
export async function pbkdf2Sha256(password: Bytes, salt: Bytes, iterations: number): Promise<Bytes> {
  const base = await subtle().importKey('raw', password, 'PBKDF2', false, ['deriveBits']);
  const bits = await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 256);
  return new Uint8Array(bits);
}

/** Random bytes from the platform CSPRNG. */
export function randomBytes(n: number): Bytes {
  return globalThis.crypto.getRandomValues(new Uint8Array(n));
}
