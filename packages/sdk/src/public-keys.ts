/** Public key sets: the `/v1/keys` JSON, or a list of {kid, publicKey}, imported once into WebCrypto keys. */
import { importEd25519, kidOf } from './crypto.ts';
import { type Bytes, fromB64, fromB64url, isRecord, toB64 } from './encoding.ts';

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
/** The sets of `cache` that have resolved: verifiers use them without an await. */
const ready = new WeakMap<object, PublicKeySet>();

/**
 * Kids and imported keys per raw public key, shared by every input that lists the key (an app that passes a fresh
 * `{keys}` object per call imports each key once). Keyed by the key's bytes, so a kid only ever maps to its own key.
 */
interface ImportedKey {
  kid: Promise<string>;
  key?: Promise<CryptoKey>;
}
const byRawKey = new Map<string, ImportedKey>();
const MAX_RAW_KEYS = 256;

function importedKey(raw: Bytes): ImportedKey {
  const id = toB64(raw);
  let entry = byRawKey.get(id);
  if (!entry) {
    if (byRawKey.size >= MAX_RAW_KEYS) byRawKey.delete(byRawKey.keys().next().value as string);
    const created: ImportedKey = { kid: kidOf(raw) };
    created.kid.catch(() => byRawKey.delete(id));
    byRawKey.set(id, created);
    entry = created;
  }
  return entry;
}

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
  const imported = importedKey(raw);
  const kid = await imported.kid;
  if (entry.kid !== undefined && entry.kid !== kid) {
    throw new TypeError(`publicKeys[${index}]: kid ${String(entry.kid)} does not match its key (expected ${kid})`);
  }
  if (!imported.key) {
    const key = importEd25519(raw);
    imported.key = key;
    key.catch(() => {
      if (imported.key === key) imported.key = undefined;
    });
  }
  return [kid, await imported.key];
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
    const loading = load(input);
    cache.set(input, loading);
    loading.then(
      (set) => {
        if (cache.get(input) === loading) ready.set(input, set);
      },
      () => cache.delete(input),
    );
    pending = loading;
  }
  return pending;
}

/** {@link importPublicKeys}, without a promise when the set is already imported (the verifiers' hot path). */
export function publicKeySet(input: PublicKeysInput): PublicKeySet | Promise<PublicKeySet> {
  if (input instanceof PublicKeySet) return input;
  return ((isRecord(input) || Array.isArray(input)) && ready.get(input)) || importPublicKeys(input);
}
