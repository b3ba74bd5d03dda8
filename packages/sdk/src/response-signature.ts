/** Verification of the `Keyward-Signature` header of signed client API responses (docs/license-files.md). */
import { sha256, verifyEd25519 } from './crypto.ts';
import { type Bytes, fromB64url, toHex, utf8 } from './encoding.ts';
import { importPublicKeys, type PublicKeysInput } from './public-keys.ts';

export type ResponseSignatureReason =
  | 'MISSING'
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'UNKNOWN_KID'
  | 'BAD_SIGNATURE'
  | 'STALE';

export type ResponseSignatureResult =
  | { valid: true; kid: string; ts: string }
  | { valid: false; reason: ResponseSignatureReason; detail: string };

export interface VerifyResponseSignatureOptions {
  publicKeys: PublicKeysInput;
  /** The `Keyward-Signature` header (null or undefined when absent). */
  header: string | null | undefined;
  /** HTTP method of the request. */
  method: string;
  /** Request path without query, e.g. `/v1/licenses/validate-key`. */
  path: string;
  /**
   * The nonce sent in the request body, with its JSON type: a string (signed as is, `v=1`) or a safe integer (signed
   * as `i:<decimal>`, `v=2`); omit when none was sent. An empty string is not a nonce (TypeError).
   */
  nonce?: string | number | null;
  /** The exact response body bytes (a string is taken as its UTF-8 bytes). */
  body: Uint8Array | string;
  now?: Date | number;
  /** How far `ts` may be from this clock, either way (default 300 s). */
  toleranceSeconds?: number;
}

export interface SignatureHeader {
  v: string;
  kid: string;
  ts: string;
  sig: string;
}

const TS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Parses `v=1; kid=…; ts=…; sig=…`; null when a part is missing or repeated. */
export function parseSignatureHeader(header: string): SignatureHeader | null {
  const fields = new Map<string, string>();
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) return null;
    const name = part.slice(0, eq).trim();
    if (fields.has(name)) return null;
    fields.set(name, part.slice(eq + 1).trim());
  }
  const [v, kid, ts, sig] = ['v', 'kid', 'ts', 'sig'].map((n) => fields.get(n));
  return v && kid && ts && sig ? { v, kid, ts, sig } : null;
}

/**
 * The version and nonce line a request's nonce is signed with: v=1 for a string (as is) or none (''), v=2 for an
 * integer (`i:<decimal>`) — so "42" and 42 never sign the same bytes.
 */
export function signedNonce(nonce: string | number | null | undefined): { v: '1' | '2'; line: string } {
  if (nonce === null || nonce === undefined) return { v: '1', line: '' };
  if (typeof nonce === 'number') {
    if (!Number.isSafeInteger(nonce)) throw new TypeError('A number nonce must be a safe integer');
    return { v: '2', line: `i:${nonce}` };
  }
  if (typeof nonce !== 'string' || nonce === '') throw new TypeError('A nonce is a non-empty string or an integer');
  return { v: '1', line: nonce };
}

/** The signed bytes: five lines joined with `\n`, no trailing newline; the first names the version. */
export async function responseSignatureMessage(
  method: string,
  path: string,
  ts: string,
  nonce: string | number | null | undefined,
  body: Uint8Array | string,
): Promise<Bytes> {
  const bodyBytes = typeof body === 'string' ? utf8(body) : new Uint8Array(body);
  const { v, line } = signedNonce(nonce);
  const lines = [`keyward-response/${v}`, `${method.toUpperCase()} ${path}`, ts, line, toHex(await sha256(bodyBytes))];
  return utf8(lines.join('\n'));
}

/**
 * Checks a signed response: a known kid, a valid signature over method, path, ts, nonce and the body hash, and a
 * `ts` within the tolerance of this clock. The nonce is inside the signed message, so a response replayed to a
 * request with another nonce — or the same digits as the other JSON type — fails as BAD_SIGNATURE.
 */
export async function verifyResponseSignature(o: VerifyResponseSignatureOptions): Promise<ResponseSignatureResult> {
  const keys = await importPublicKeys(o.publicKeys);
  const expected = signedNonce(o.nonce); // throws TypeError for a nonce no server accepts
  if (!o.header) return { valid: false, reason: 'MISSING', detail: 'The response has no Keyward-Signature header' };
  const h = parseSignatureHeader(o.header);
  if (!h) return { valid: false, reason: 'MALFORMED', detail: 'Keyward-Signature needs v, kid, ts and sig' };
  if (h.v !== '1' && h.v !== '2') {
    return { valid: false, reason: 'UNSUPPORTED_VERSION', detail: `Unsupported signature v=${h.v}` };
  }
  // The version follows from the nonce's type: a response signed for the other type answers another request.
  if (h.v !== expected.v) {
    return { valid: false, reason: 'BAD_SIGNATURE', detail: `A nonce of this type is signed with v=${expected.v}` };
  }
  const key = keys.get(h.kid);
  if (!key) return { valid: false, reason: 'UNKNOWN_KID', detail: `No known public key has kid ${h.kid}` };
  const sig = fromB64url(h.sig);
  const message = await responseSignatureMessage(o.method, o.path, h.ts, o.nonce, o.body);
  if (!TS.test(h.ts) || !sig || !(await verifyEd25519(key, sig, message))) {
    return { valid: false, reason: 'BAD_SIGNATURE', detail: 'The response signature does not verify' };
  }
  const now = o.now === undefined ? Date.now() : new Date(o.now).getTime();
  const skew = Math.abs(now - Date.parse(h.ts));
  if (!(skew <= (o.toleranceSeconds ?? 300) * 1000)) {
    return { valid: false, reason: 'STALE', detail: `The response was signed at ${h.ts}, too far from this clock` };
  }
  return { valid: true, kid: h.kid, ts: h.ts };
}
