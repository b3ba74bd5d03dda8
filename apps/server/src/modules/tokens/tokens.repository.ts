import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { createdAfter } from '../../platform/db/keyset.ts';
import type { ApiTokenRow, ApiTokensTable } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export function insertToken(db: Db, values: Insertable<ApiTokensTable>): Promise<ApiTokenRow> {
  return db.insertInto('api_tokens').values(values).returningAll().executeTakeFirstOrThrow();
}

export function findTokenByHash(db: Db, hash: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
}

export function findTokenById(db: Db, id: string): Promise<ApiTokenRow | undefined> {
  return db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function countTokens(db: Db): Promise<number> {
  const row = await db
    .selectFrom('api_tokens')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Ids of the admin tokens that still work at `now`, locked FOR UPDATE: two concurrent revocations serialize here,
 * so they cannot both see "another admin remains" and lock everyone out.
 */
export async function lockActiveAdminTokenIds(db: Db, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('role', '=', 'admin')
    .where('revoked_at', 'is', null)
    .where((eb) => eb.or([eb('expires_at', 'is', null), eb('expires_at', '>', now)]))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export function revokeToken(db: Db, id: string, at: Date): Promise<ApiTokenRow> {
  return db
    .updateTable('api_tokens')
    .set({ revoked_at: at })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function listTokens(
  db: Db,
  opts: { limit: number; after: Cursor | null; includeRevoked: boolean },
): Promise<ApiTokenRow[]> {
  let query = db
    .selectFrom('api_tokens')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(opts.limit + 1);
  if (!opts.includeRevoked) query = query.where('revoked_at', 'is', null);
  const after = opts.after;
  if (after?.v) {
    query = query.where(createdAfter('api_tokens', after));
  }
  return query.execute();
}
