/** Public key sets: the `/v1/keys` JSON, or a list of {kid, publicKey}, imported once into WebCrypto keys. */
import { importEd25519, kidOf } from './crypto.ts';
import { fromB64, fromB64url, isRecord } from './encoding.ts';

/** One public key as listed by `GET /v1/keys`, or as pinned in an app (`kid` is recomputed when left out). */
export interface PublicKeyEntry {
  kid?: string;
  /** b64 of the raw 32-byte Ed25519 key. */
  publicKey?: string;
  alg?: string;
  jwk?: { kty?: string; crv?: string; x?: string };
  active?: boolean;
  createdAt?: string;
}

/** What every verifier accepts: the `/v1/keys` response, a list of keys, or an already imported set. */
export type PublicKeysInput = { keys: PublicKeyEntry[] } | PublicKeyEntry[] | PublicKeySet;

/** Imported keys by kid. Build it once with {@link importPublicKeys} and reuse it. */
export class PublicKeySet {
  readonly #keys: ReadonlyMap<string, CryptoKey>;
  constructor(keys: ReadonlyMap<string, CryptoKey>) {
    this.#keys = keys;
  }
  get(kid: string): CryptoKey | undefined {
    return this.#keys.get(kid);
  }
  get kids(): string[] {
    return [...this.#keys.keys()];
  }
}

const cache = new WeakMap<object, Promise<PublicKeySet>>();

async function importEntry(entry: unknown, index: number): Promise<[string, CryptoKey] | null> {
  if (!isRecord(entry)) throw new TypeError(`publicKeys[${index}] is not an object`);
  if (typeof entry.alg === 'string' && entry.alg.toLowerCase() !== 'ed25519') return null; // not ours to use
  const jwk = isRecord(entry.jwk) ? entry.jwk : null;
  const raw =
    typeof entry.publicKey === 'string'
      ? fromB64(entry.publicKey.trim())
      : typeof jwk?.x === 'string'
        ? fromB64url(jwk.x)
        : null;
  if (raw?.length !== 32) {
    throw new TypeError(`publicKeys[${index}]: publicKey must be the b64 of a raw 32-byte Ed25519 key`);
  }
  const kid = await kidOf(raw);
  if (entry.kid !== undefined && entry.kid !== kid) {
    throw new TypeError(`publicKeys[${index}]: kid ${String(entry.kid)} does not match its key (expected ${kid})`);
  }
  return [kid, await importEd25519(raw)];
}

async function load(input: unknown): Promise<PublicKeySet> {
  const list = Array.isArray(input) ? input : isRecord(input) && Array.isArray(input.keys) ? input.keys : null;
  if (!list)
    throw new TypeError('publicKeys must be the /v1/keys JSON ({keys: [...]}) or an array of {kid, publicKey}');
  const entries = await Promise.all(list.map(importEntry));
  return new PublicKeySet(new Map(entries.filter((e) => e !== null)));
}

/**
 * Imports public keys (each kid is recomputed from its key and must match). Throws a TypeError for a malformed
 * key list — a configuration error, not a verification result. Results are cached per input object.
 */
export function importPublicKeys(input: PublicKeysInput): Promise<PublicKeySet> {
  if (input instanceof PublicKeySet) return Promise.resolve(input);
  if (!isRecord(input) && !Array.isArray(input)) return load(input);
  let pending = cache.get(input);
  if (!pending) {
    pending = load(input);
    cache.set(input, pending);
    pending.catch(() => cache.delete(input));
  }
  return pending;
}
