import { randomBytes } from 'node:crypto';

/**
 * Keyward license keys: `<PRODUCT CODE>-XXXXXX-XXXXXX-XXXXXX-XXXXXX-XXXXXC`.
 * - 29 random Crockford base32 symbols from the CSPRNG = 145 bits (the old seed format had ~83);
 * - C is a Luhn mod 32 check symbol over those 29, so any single mistyped symbol (and any swap of two adjacent
 *   different symbols, but for 0<->Z) is rejected before a database lookup;
 * - Crockford's alphabet has no I, L, O or U; on input I/L read as 1 and O as 0, case and spaces are ignored.
 * The product code in front is for people; a typo there finds no license (NOT_FOUND).
 * Keys that do not have this shape (imported from another system) are looked up verbatim.
 */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const VALUE = new Map<string, number>([...CROCKFORD].map((c, i) => [c, i]));
const RANDOM_SYMBOLS = 29;
const GROUP = 6;
export const KEY_BODY_LENGTH = RANDOM_SYMBOLS + 1;

/** Luhn mod N (N = 32): the symbol that makes the weighted sum divisible by 32. */
export function luhnCheckSymbol(symbols: string): string {
  let sum = 0;
  let double = true; // the check symbol will sit right of the last symbol, so the last one is doubled
  for (let i = symbols.length - 1; i >= 0; i--) {
    let v = VALUE.get(symbols[i] as string);
    if (v === undefined) throw new Error(`not a Crockford symbol: ${symbols[i]}`);
    if (double) {
      v *= 2;
      v = Math.floor(v / 32) + (v % 32);
    }
    sum += v;
    double = !double;
  }
  return CROCKFORD[(32 - (sum % 32)) % 32] as string;
}

export function isValidLuhn(body: string): boolean {
  return luhnCheckSymbol(body.slice(0, -1)) === body.at(-1);
}

function randomSymbols(n: number): string {
  const bytes = randomBytes(n);
  let out = '';
  for (const b of bytes) out += CROCKFORD[b & 31]; // 256 is a multiple of 32: no modulo bias
  return out;
}

function group(body: string): string {
  return body.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-');
}

export function generateLicenseKey(productCode: string): string {
  const random = randomSymbols(RANDOM_SYMBOLS);
  return `${productCode}-${group(random + luhnCheckSymbol(random))}`;
}

const SHAPE = /^([A-Z][A-Z0-9]{1,11})-((?:[0-9A-Z]{6}-){4}[0-9A-Z]{6})$/;

/**
 * THE canonical form of a license key: the one string the lookup searches, the per-key rate limit counts
 * (platform/http/rate-limit.ts hashes it) and every stored or audited key is — so every spelling that finds a
 * license shares that license's budget (docs/client-api.md, "License keys").
 * - A key with the Keyward shape once whitespace is removed and letters are upper-cased: the product code as typed
 *   (upper case), then the 30 symbols with Crockford's look-alikes read (I, L → 1; O → 0), grouped by 6 with dashes.
 *   This holds whether or not the check symbol matches: a mistyped key is refused, and its spellings share a budget.
 * - Any other key (imported from another system, signed `KW1.` keys): exactly as given, without the surrounding
 *   whitespace — case and inner characters matter.
 */
export function canonicalLicenseKey(input: string): string {
  return parseKey(input).key;
}

function parseKey(input: string): { shaped: boolean; key: string } {
  const trimmed = input.trim();
  const match = SHAPE.exec(trimmed.toUpperCase().replace(/\s+/g, ''));
  if (!match) return { shaped: false, key: trimmed };
  const body = match[2]!.replace(/-/g, '').replace(/[IL]/g, '1').replace(/O/g, '0');
  return { shaped: true, key: `${match[1]}-${group(body)}` };
}

export type KeyCheck =
  /** A Keyward-format key whose check symbol matches; `key` is canonical (upper case, Crockford-normalised). */
  | { kind: 'keyward'; key: string }
  /** Keyward shape but the check symbol fails: a typo. */
  | { kind: 'malformed' }
  /** Not a Keyward-format key (e.g. imported); look it up exactly as given, trimmed. */
  | { kind: 'verbatim'; key: string };

/** The canonical key (canonicalLicenseKey) and whether it can name a license at all. */
export function checkLicenseKey(input: string): KeyCheck {
  const { shaped, key } = parseKey(input);
  if (!shaped) return { kind: 'verbatim', key };
  const body = key.slice(key.indexOf('-') + 1).replace(/-/g, '');
  if (/U/.test(body) || !isValidLuhn(body)) return { kind: 'malformed' };
  return { kind: 'keyward', key };
}

/** What account teams paste: exact base64 (no whitespace, no newline) and a Kubernetes Secret. */
export function keyEncodings(key: string, secretName = 'keyward-license', dataKey = 'license-key') {
  const base64 = Buffer.from(key, 'utf8').toString('base64');
  return {
    base64,
    kubernetesSecret: [
      'apiVersion: v1',
      'kind: Secret',
      'metadata:',
      `  name: ${secretName}`,
      'type: Opaque',
      'data:',
      `  ${dataKey}: ${base64}`,
      '',
    ].join('\n'),
    kubectl: `kubectl create secret generic ${secretName} --from-literal=${dataKey}='${key.replace(/'/g, `'\\''`)}'`,
  };
}
