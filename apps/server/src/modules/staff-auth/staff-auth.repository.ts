import type { Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { UsersTable } from '../../platform/db/schema.ts';

/** The sign-in bookkeeping columns of a user (failed attempts, lockout, password, last sign-in). */
export async function updateUserAuth(
  db: Db,
  userId: string,
  values: Pick<
    Updateable<UsersTable>,
    'failed_logins' | 'locked_until' | 'password_hash' | 'last_sign_in_at' | 'updated_at'
  >,
): Promise<void> {
  await db.updateTable('users').set(values).where('id', '=', userId).execute();
}

export async function insertSession(
  db: Db,
  values: {
    id: string;
    user_id: string;
    csrf_token_hash: string;
    created_at: Date;
    expires_at: Date;
    ip: string | null;
    user_agent: string | null;
  },
): Promise<void> {
  await db
    .insertInto('sessions')
    .values({ ...values, last_seen_at: values.created_at })
    .execute();
}

/** Deletes a session; returns its user id when it existed. */
export async function deleteSession(db: Db, id: string): Promise<string | null> {
  const row = await db.deleteFrom('sessions').where('id', '=', id).returning('user_id').executeTakeFirst();
  return row?.user_id ?? null;
}

export async function deleteExpiredSessionsOf(db: Db, userId: string, now: Date): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
}

/** Every expired session (the hourly cleanup; sign-in also removes the user's own). */
export async function deleteExpiredSessions(db: Db, now: Date): Promise<number> {
  const result = await db.deleteFrom('sessions').where('expires_at', '<=', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Password links that expired before `before` (used or not): they can never work again. */
export async function deleteExpiredPasswordResets(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('password_resets').where('expires_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function deleteSessionsOf(db: Db, userId: string): Promise<void> {
  await db.deleteFrom('sessions').where('user_id', '=', userId).execute();
}

export function lockPasswordReset(db: Db, tokenHash: string) {
  return db
    .selectFrom('password_resets')
    .selectAll()
    .where('token_hash', '=', tokenHash)
    .forUpdate()
    .executeTakeFirst();
}

export async function markPasswordResetsUsed(db: Db, userId: string, at: Date): Promise<void> {
  await db
    .updateTable('password_resets')
    .set({ used_at: at })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .execute();
}
