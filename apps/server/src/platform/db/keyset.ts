import { type RawBuilder, sql } from 'kysely';
import type { Cursor } from '../http/pagination.ts';

/**
 * The rows after a keyset cursor in ascending (created_at, id) order: `(t.created_at, t.id) > (at, id)`.
 * A row comparison, so PostgreSQL walks the (created_at, id) index.
 */
export function createdAfter(table: string, after: Cursor): RawBuilder<boolean> {
  return sql<boolean>`(${sql.ref(`${table}.created_at`)}, ${sql.ref(`${table}.id`)}) > (${new Date(after.v ?? 0)}::timestamptz, ${after.id}::uuid)`;
}
