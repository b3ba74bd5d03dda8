import type { Signer } from '../signing/signer.ts';
import { signNamingKid } from './kid-bound-sign.ts';

/*
 * Signed license keys (docs/license-files.md, "Signed license keys"): `KW1.<kid>.<b64url(data JSON)>.<b64url(sig)>`
 * over the message `keyward-key/1/<kid>/<data segment>`. They are stored and looked up verbatim like any key
 * that does not have the Keyward random-key shape.
 */

export const SIGNED_KEY_PREFIX = 'KW1';

/** The facts a signed key states at issue (field order is the order in the key). */
export interface SignedKeyData {
  /** License id. */
  lid: string;
  /** Product code. */
  prd: string;
  /** Issued at (ISO). */
  iat: string;
  /** End date (ISO), null = never ends. */
  exp: string | null;
  /** Seats, null = unlimited. */
  seats: number | null;
}

export function signedKeyMessage(kid: string, dataSegment: string): Buffer {
  return Buffer.from(`keyward-key/1/${kid}/${dataSegment}`, 'ascii');
}

export async function signLicenseKey(signer: Signer, data: SignedKeyData): Promise<string> {
  const ordered: SignedKeyData = { lid: data.lid, prd: data.prd, iat: data.iat, exp: data.exp, seats: data.seats };
  const segment = Buffer.from(JSON.stringify(ordered), 'utf8').toString('base64url');
  const { kid, signature } = await signNamingKid(signer, (k) => signedKeyMessage(k, segment));
  return `${SIGNED_KEY_PREFIX}.${kid}.${segment}.${signature.toString('base64url')}`;
}
