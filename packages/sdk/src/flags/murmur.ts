/**
 * MurmurHash3 x86 32-bit and Unleash's bucket function (`normalizedValue`), without dependencies.
 *
 * Unleash hashes the string `${groupId}:${id}` and buckets it as `hash % normalizer + 1` (1..normalizer), with seed 0
 * for rollouts and 86028157 for variants. Like the Node SDK (murmurhash3js), every UTF-16 code unit contributes its
 * low byte (`charCodeAt(i) & 0xff`): for ASCII ids this is the standard MurmurHash3 of the UTF-8 bytes, for non-ASCII
 * ids it is what unleash-client (Node) computes. The prefix (`${groupId}:`) and the id are hashed as one string
 * without concatenating them, so bucketing allocates nothing.
 */

export const STRATEGY_SEED = 0;
export const VARIANT_SEED = 86028157;

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** MurmurHash3 x86_32 of `prefix + id` (low byte of each code unit), as an unsigned 32-bit integer. */
export function murmur2(prefix: string, id: string, seed: number): number {
  const pl = prefix.length;
  const len = pl + id.length;
  const blocks = len - (len & 3);
  let h = seed | 0;
  let i = 0;
  for (; i < blocks; i += 4) {
    let k: number;
    if (i + 3 < pl) {
      k =
        (prefix.charCodeAt(i) & 0xff) |
        ((prefix.charCodeAt(i + 1) & 0xff) << 8) |
        ((prefix.charCodeAt(i + 2) & 0xff) << 16) |
        ((prefix.charCodeAt(i + 3) & 0xff) << 24);
    } else if (i >= pl) {
      const j = i - pl;
      k =
        (id.charCodeAt(j) & 0xff) |
        ((id.charCodeAt(j + 1) & 0xff) << 8) |
        ((id.charCodeAt(j + 2) & 0xff) << 16) |
        ((id.charCodeAt(j + 3) & 0xff) << 24);
    } else {
      k = code(prefix, id, pl, i) | (code(prefix, id, pl, i + 1) << 8);
      k |= (code(prefix, id, pl, i + 2) << 16) | (code(prefix, id, pl, i + 3) << 24);
    }
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const rem = len & 3;
  if (rem > 0) {
    let k = 0;
    if (rem === 3) k ^= code(prefix, id, pl, i + 2) << 16;
    if (rem >= 2) k ^= code(prefix, id, pl, i + 1) << 8;
    k ^= code(prefix, id, pl, i);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= len;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function code(prefix: string, id: string, pl: number, i: number): number {
  return (i < pl ? prefix.charCodeAt(i) : id.charCodeAt(i - pl)) & 0xff;
}

/** MurmurHash3 x86_32 of one string (same byte rule as above). */
export function murmur3(key: string, seed = 0): number {
  return murmur2('', key, seed);
}

/**
 * Unleash's bucket: `murmur3("${groupId}:${id}", seed) % normalizer + 1`. `prefix` is `${groupId}:` (precomputed once
 * per strategy or variant set).
 */
export function bucketOf(prefix: string, id: string, normalizer: number, seed: number): number {
  return (murmur2(prefix, id, seed) % normalizer) + 1;
}
