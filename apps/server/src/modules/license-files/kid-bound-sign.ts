import type { Signature, Signer } from '../signing/signer.ts';

/*
 * License files and signed keys name the key id inside the signed message (so it cannot be swapped), but
 * Signer.sign only tells which key signed after signing. So: sign the message for the kid we expect; when the
 * signer answers with another kid (first use, or a key rotation in any process), sign again for that one. The
 * remembered kid is only a guess that saves a signature — the returned kid always decides, so a stale guess is
 * harmless (a signature over a message naming a kid that did not make it is thrown away, never shown).
 */

const lastKid = new WeakMap<Signer, string>();
const ATTEMPTS = 3;

/** Signs `messageFor(kid)` with the signer's active key, where kid is the id of the key that signs it. */
export async function signNamingKid(signer: Signer, messageFor: (kid: string) => Uint8Array): Promise<Signature> {
  let kid = lastKid.get(signer) ?? '';
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const result = await signer.sign(messageFor(kid));
    lastKid.set(signer, result.kid);
    if (result.kid === kid) return result;
    kid = result.kid;
  }
  throw new Error('the signing key kept changing while signing');
}
