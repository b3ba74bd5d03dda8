import { Type } from '@sinclair/typebox';
import { badRequest } from '../errors.ts';
import { isAcceptedDateTime } from './formats.ts';

/** Opaque keyset cursor: the sort value and id of the last row of the previous page. */
export interface Cursor {
  /** ISO date, string or null (nulls sort last). */
  v: string | null;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(raw: string | undefined): Cursor | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'id' in parsed &&
      typeof parsed.id === 'string' &&
      'v' in parsed &&
      (parsed.v === null || typeof parsed.v === 'string')
    ) {
      return { v: parsed.v, id: parsed.id };
    }
  } catch {
    // fall through
  }
  throw badRequest('INVALID_CURSOR', 'The cursor is not one this server issued', [
    { field: '/querystring/cursor', message: 'is not a valid cursor' },
  ]);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID_RE.test(s);
/** A cursor's date: what the API accepts as a date-time (formats.ts), so a forged one cannot reach the database. */
export const isIsoDate = (s: string) => isAcceptedDateTime(s);

/**
 * decodeCursor plus a check of its values: a forged cursor (well-formed JSON, wrong values) must be a 400, not a
 * database error. E.g. `decodeCheckedCursor(raw, (c) => c.v !== null && isIsoDate(c.v) && isUuid(c.id))`.
 */
export function decodeCheckedCursor(raw: string | undefined, valid: (cursor: Cursor) => boolean): Cursor | null {
  const cursor = decodeCursor(raw);
  if (cursor === null || valid(cursor)) return cursor;
  throw badRequest('INVALID_CURSOR', 'The cursor is not one this server issued', [
    { field: '/querystring/cursor', message: 'is not a valid cursor' },
  ]);
}

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size (1–500)' })),
  cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'The nextCursor of the previous page' })),
};

export const pageOf = <T extends import('@sinclair/typebox').TSchema>(item: T) =>
  Type.Object({ data: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

/** Given limit+1 fetched rows, returns the page and the cursor of its last row. */
export function toPage<R, T>(rows: R[], limit: number, present: (r: R) => T, cursorOf: (r: R) => Cursor): Page<T> {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { data: pageRows.map(present), nextCursor: more && last ? encodeCursor(cursorOf(last)) : null };
}
