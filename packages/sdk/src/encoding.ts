/** Byte and text encodings used by the Keyward formats (docs/license-files.md). Strict: anything odd is rejected. */
import { type NodeBuffer, nodeBuffer } from './runtime.ts';

/** Bytes backed by a plain ArrayBuffer (what WebCrypto accepts). */
export type Bytes = Uint8Array<ArrayBuffer>;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function table(alphabet: string): Int16Array {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const B64_TABLE = table(B64);
const B64URL_TABLE = table(B64URL);

/**
 * Node: native decoding. The text is canonical exactly when encoding the bytes gives it back — the same strings the
 * portable decoder below accepts (its alphabet, padding and zero unused bits), at a tenth of the cost.
 */
function decodeNative(buffer: NodeBuffer, text: string, encoding: 'base64' | 'base64url'): Bytes | null {
  const bytes = buffer.from(text, encoding);
  return bytes.toString(encoding) === text ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : null;
}

function decode(text: string, lookup: Int16Array, padded: boolean): Bytes | null {
  const buffer = nodeBuffer();
  if (buffer) return decodeNative(buffer, text, padded ? 'base64' : 'base64url');
  return decodePortable(text, lookup, padded);
}

/** The decoder for every runtime: strict, canonical base64 or base64url only. */
function decodePortable(text: string, lookup: Int16Array, padded: boolean): Bytes | null {
  let body = text;
  if (padded) {
    if (text.length % 4 !== 0) return null;
    body = text.replace(/={1,2}$/, '');
  }
  const rest = body.length % 4;
  if (rest === 1) return null;
  const out = new Uint8Array(Math.floor((body.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let o = 0;
  for (let i = 0; i < body.length; i++) {
    const code = body.charCodeAt(i);
    const v = code < 128 ? (lookup[code] ?? -1) : -1;
    if (v < 0) return null;
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (value >> bits) & 0xff;
    }
  }
  // Canonical encodings leave the unused low bits of the last symbol at zero.
  if (bits > 0 && (value & ((1 << bits) - 1)) !== 0) return null;
  return out;
}

function encode(bytes: Uint8Array, alphabet: string, pad: boolean): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    const chars = Math.min(4, Math.ceil(((bytes.length - i) * 8) / 6));
    for (let c = 0; c < chars; c++) out += alphabet[(n >> (18 - 6 * c)) & 63];
  }
  if (pad) while (out.length % 4 !== 0) out += '=';
  return out;
}

/** Standard base64 with padding → bytes, or null when it is not canonical base64. */
export const fromB64 = (text: string): Bytes | null => decode(text, B64_TABLE, true);
/** base64url without padding → bytes, or null when it is not canonical base64url. */
export const fromB64url = (text: string): Bytes | null => decode(text, B64URL_TABLE, false);
export const toB64 = (bytes: Uint8Array): string => encode(bytes, B64, true);
export const toB64url = (bytes: Uint8Array): string => encode(bytes, B64URL, false);

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true });

export const utf8 = (text: string): Bytes => encoder.encode(text);

/** Strict UTF-8 decoding: null for invalid byte sequences. */
export function fromUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

export function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

export function concat(...parts: Uint8Array[]): Bytes {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Parses JSON, returning null instead of throwing. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO-8601 date-time → Date, or null. */
export function parseIso(value: unknown): Date | null {
  if (typeof value !== 'string' || !ISO.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}
