/**
 * The key chain (docs/license-files.md, "Key chain"): a rotation signs the new public key with the key it replaces,
 * and `GET /v1/keys` lists that signature as the new key's `endorsement`. An app that pinned a key can then trust
 * the keys that follow it — each link verified — without trusting whatever the network serves.
 */
import { importEd25519, kidOf, verifyEd25519 } from './crypto.ts';
import { fromB64, fromB64url, isRecord, utf8 } from './encoding.ts';
import { importPublicKeys, type PublicKeyEntry } from './public-keys.ts';

/** A key as `GET /v1/keys` lists it, with the signature of the key it replaced. */
export interface PublishedKey extends PublicKeyEntry {
  endorsement?: { kid: string; sig: string } | null;
}

export type KeyChainRejection =
  /** The endorsement does not verify with the endorsing key: a forged or damaged link. */
  | 'BAD_SIGNATURE'
  /** The entry is not a well-formed key (publicKey, kid, endorsement). */
  | 'MALFORMED'
  /** No chain of endorsements leads from a pinned key to this one (e.g. the first key, or a lost secret). */
  | 'NOT_CHAINED';

export interface KeyChainResult {
  /** The pinned keys plus every key the chain reached: persist it and pass it as `publicKeys`. */
  keys: PublicKeyEntry[];
  /** Kids added by following the chain, in the order they were reached. */
  added: string[];
  /** Published keys that were not added, and why. */
  rejected: { kid: string; reason: KeyChainRejection }[];
}

/** The bytes a key signs to vouch for the key that replaces it. */
export const endorsementMessage = (signerKid: string, kid: string, publicKeyB64: string) =>
  utf8(`keyward-key-endorsement/1/${signerKid}/${kid}/${publicKeyB64}`);

const entriesOf = (input: unknown, what: string): unknown[] => {
  const list = Array.isArray(input) ? input : isRecord(input) && Array.isArray(input.keys) ? input.keys : null;
  if (!list) throw new TypeError(`${what} must be the /v1/keys JSON ({keys: [...]}) or an array of keys`);
  return list;
};

/** A published entry's raw key and claimed kid, both checked (kid = truncated SHA-256 of the key). */
async function readPublished(entry: unknown): Promise<{ kid: string; publicKey: string; raw: Uint8Array } | null> {
  if (!isRecord(entry) || typeof entry.kid !== 'string' || typeof entry.publicKey !== 'string') return null;
  if (typeof entry.alg === 'string' && entry.alg.toLowerCase() !== 'ed25519') return null;
  const raw = fromB64(entry.publicKey);
  if (raw?.length !== 32 || (await kidOf(raw)) !== entry.kid) return null;
  return { kid: entry.kid, publicKey: entry.publicKey, raw };
}

/**
 * Extends a pinned key set with the keys `published` (the `GET /v1/keys` JSON) that chain to it: a key is added
 * when its endorsement verifies with a key already trusted — a pinned one, or one added before (so a chain of
 * several rotations is followed). Nothing else is trusted: an unendorsed key, a key endorsed by an unknown kid or a
 * forged endorsement is left out (`rejected`). Throws TypeError only for a malformed `pinned` list.
 */
export async function followKeyChain(
  pinned: { keys: PublicKeyEntry[] } | PublicKeyEntry[],
  published: { keys: PublishedKey[] } | PublishedKey[],
): Promise<KeyChainResult> {
  const pinnedEntries = entriesOf(pinned, 'pinned') as PublicKeyEntry[];
  const trustedSet = await importPublicKeys(pinnedEntries); // checks every pinned kid against its key
  const trusted = new Map<string, CryptoKey>(trustedSet.kids.map((kid) => [kid, trustedSet.get(kid) as CryptoKey]));
  const keys: PublicKeyEntry[] = [...pinnedEntries];
  const added: string[] = [];
  const rejected: KeyChainResult['rejected'] = [];
  const pending: { entry: PublishedKey; kid: string; publicKey: string; raw: Uint8Array }[] = [];
  for (const entry of entriesOf(published, 'published')) {
    const read = await readPublished(entry);
    const kid = isRecord(entry) && typeof entry.kid === 'string' ? entry.kid : '?';
    if (!read) rejected.push({ kid, reason: 'MALFORMED' });
    else if (!trusted.has(read.kid)) pending.push({ entry: entry as PublishedKey, ...read });
  }
  // Each pass adds the keys endorsed by a trusted key; a chain of n rotations takes n passes.
  for (let progress = true; progress && pending.length > 0; ) {
    progress = false;
    for (let i = 0; i < pending.length; i++) {
      const p = pending[i]!;
      const endorsement = p.entry.endorsement;
      const signer = isRecord(endorsement) && typeof endorsement.kid === 'string' ? trusted.get(endorsement.kid) : null;
      if (!signer || !endorsement) continue;
      pending.splice(i--, 1);
      const sig = typeof endorsement.sig === 'string' ? fromB64url(endorsement.sig) : null;
      const ok =
        sig !== null && (await verifyEd25519(signer, sig, endorsementMessage(endorsement.kid, p.kid, p.publicKey)));
      if (!ok) {
        rejected.push({ kid: p.kid, reason: 'BAD_SIGNATURE' });
        continue;
      }
      trusted.set(p.kid, await importEd25519(new Uint8Array(p.raw)));
      keys.push({ kid: p.kid, publicKey: p.publicKey, alg: 'Ed25519' });
      added.push(p.kid);
      progress = true;
    }
  }
  for (const p of pending) rejected.push({ kid: p.kid, reason: 'NOT_CHAINED' });
  return { keys, added, rejected };
}
