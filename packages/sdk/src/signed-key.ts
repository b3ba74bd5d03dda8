/** Offline verification of signed license keys: `KW1.<kid>.<b64url(data)>.<b64url(signature)>`. */
import { verifyEd25519 } from './crypto.ts';
import { fromB64url, fromUtf8, isRecord, parseIso, parseJson, utf8 } from './encoding.ts';
import { importPublicKeys, type PublicKeysInput } from './public-keys.ts';

/** The facts a signed key carries, as at issue (renewals and suspensions after that are only seen online). */
export interface SignedKeyData {
  /** License id. */
  lid: string;
  /** Product code. */
  prd: string;
  /** Issued at (ISO). */
  iat: string;
  /** End date (ISO), null for perpetual licenses. */
  exp: string | null;
  /** Seats, null for unlimited. */
  seats: number | null;
}

export type SignedKeyReason = 'MALFORMED' | 'UNSUPPORTED_VERSION' | 'UNKNOWN_KID' | 'BAD_SIGNATURE' | 'LICENSE_EXPIRED';

export type SignedKeyResult =
  | { valid: true; kid: string; data: SignedKeyData }
  | { valid: false; reason: SignedKeyReason; detail: string; data: SignedKeyData | null };

export interface VerifySignedKeyOptions {
  publicKeys: PublicKeysInput;
  now?: Date | number;
}

const fail = (reason: SignedKeyReason, detail: string, data: SignedKeyData | null = null): SignedKeyResult => ({
  valid: false,
  reason,
  detail,
  data,
});

function readData(segment: string): SignedKeyData | null {
  const bytes = fromB64url(segment);
  const json = bytes ? fromUtf8(bytes) : null;
  const d = json === null ? null : parseJson(json);
  if (!isRecord(d) || typeof d.lid !== 'string' || typeof d.prd !== 'string' || !parseIso(d.iat)) return null;
  if (d.exp !== null && !parseIso(d.exp)) return null;
  if (d.seats !== null && !(typeof d.seats === 'number' && Number.isInteger(d.seats))) return null;
  return d as unknown as SignedKeyData;
}

/** True when the text looks like a signed key (`KW1.` prefix) rather than a plain license key. */
export const isSignedKey = (key: string): boolean => /^KW\d+\./.test(key.trim());

/**
 * Verifies a `KW1.` signed license key offline: known kid, Ed25519 signature over `keyward-key/1/<kid>/<data>`,
 * then the end date (`exp`) against the clock.
 */
export async function verifySignedKey(key: string, options: VerifySignedKeyOptions): Promise<SignedKeyResult> {
  const keys = await importPublicKeys(options.publicKeys);
  const parts = typeof key === 'string' ? key.trim().split('.') : [];
  if (parts.length !== 4) return fail('MALFORMED', 'A signed key has four dot-separated parts: KW1.kid.data.sig');
  const [version, kid, segment, sigText] = parts as [string, string, string, string];
  if (version !== 'KW1') {
    return /^KW\d+$/.test(version)
      ? fail('UNSUPPORTED_VERSION', `Unsupported signed key version ${version}`)
      : fail('MALFORMED', 'A signed key starts with KW1.');
  }
  const publicKey = keys.get(kid);
  if (!publicKey) return fail('UNKNOWN_KID', `No known public key has kid ${kid}`);
  const sig = fromB64url(sigText);
  if (!sig || !(await verifyEd25519(publicKey, sig, utf8(`keyward-key/1/${kid}/${segment}`)))) {
    return fail('BAD_SIGNATURE', 'The signature does not verify: the key was changed or signed by another key');
  }
  const data = readData(segment);
  if (!data) return fail('MALFORMED', 'The key data is not {lid, prd, iat, exp, seats}');
  const now = options.now === undefined ? new Date() : new Date(options.now);
  const exp = data.exp === null ? null : parseIso(data.exp);
  if (exp && exp <= now) return fail('LICENSE_EXPIRED', `The license ended on ${exp.toISOString()}`, data);
  return { valid: true, kid, data };
}
