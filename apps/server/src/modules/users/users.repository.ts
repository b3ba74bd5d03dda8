import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { createdAfter } from '../../platform/db/keyset.ts';
import type { UserRow, UsersTable } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export function insertUser(db: Db, values: Insertable<UsersTable>): Promise<UserRow> {
  return db.insertInto('users').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateUser(db: Db, id: string, values: Updateable<UsersTable>): Promise<UserRow> {
  return db.updateTable('users').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteUser(db: Db, id: string): Promise<void> {
  await db.deleteFrom('users').where('id', '=', id).execute();
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export async function countUsers(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Another user with this email (case-insensitive), if any. */
export function findOtherUserWithEmail(db: Db, email: string, exceptId: string | null) {
  let query = db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', email.toLowerCase());
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query.executeTakeFirst();
}

/**
 * Ids of the enabled admins, locked FOR UPDATE: two concurrent demotions/deletions serialize here, so they cannot
 * both see "another admin remains" and leave nobody who can manage users.
 */
export async function lockEnabledAdminIds(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('role', '=', 'admin')
    .where('disabled', '=', false)
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export function listUsers(db: Db, opts: { limit: number; after: Cursor | null }): Promise<UserRow[]> {
  let query = db
    .selectFrom('users')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.after?.v) query = query.where(createdAfter('users', opts.after));
  return query.execute();
}
