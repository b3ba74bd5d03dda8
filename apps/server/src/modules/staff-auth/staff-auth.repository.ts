import type { Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { UsersTable } from '../../platform/db/schema.ts';

/** The sign-in bookkeeping columns of a user (password, last sign-in). */
export async function updateUserAuth(
  db: Db,
  userId: string,
  values: Pick<Updateable<UsersTable>, 'password_hash' | 'last_sign_in_at' | 'updated_at'>,
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

export interface ThrottleKey {
  emailHash: string;
  ip: string;
}

export interface ThrottleState {
  failures: number;
  blocked_until: Date | null;
  updated_at: Date;
}

/**
 * The throttle row of (email, address), created when missing and locked until the transaction ends: parallel
 * attempts of one pair run one after the other, so each sees the failures before it (exact counts).
 */
export async function lockThrottle(db: Db, key: ThrottleKey, now: Date): Promise<ThrottleState> {
  await db
    .insertInto('sign_in_throttle')
    .values({ email_hash: key.emailHash, ip: key.ip, failures: 0, updated_at: now })
    .onConflict((oc) => oc.columns(['email_hash', 'ip']).doNothing())
    .execute();
  return db
    .selectFrom('sign_in_throttle')
    .select(['failures', 'blocked_until', 'updated_at'])
    .where('email_hash', '=', key.emailHash)
    .where('ip', '=', key.ip)
    .forUpdate()
    .executeTakeFirstOrThrow();
}

export async function saveThrottle(
  db: Db,
  key: ThrottleKey,
  values: { failures: number; blocked_until: Date | null; updated_at: Date },
): Promise<void> {
  await db
    .updateTable('sign_in_throttle')
    .set(values)
    .where('email_hash', '=', key.emailHash)
    .where('ip', '=', key.ip)
    .execute();
}

export async function deleteThrottle(db: Db, key: ThrottleKey): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('email_hash', '=', key.emailHash).where('ip', '=', key.ip).execute();
}

/** Forgets every address's failures for an email (after a password reset: its owner proved the mailbox). */
export async function deleteThrottlesOf(db: Db, emailHash: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('email_hash', '=', emailHash).execute();
}

/** Rows whose failures are forgotten (idle since `before`) and that block nothing any more (the hourly cleanup). */
export async function deleteStaleThrottles(db: Db, before: Date, now: Date): Promise<number> {
  const result = await db
    .deleteFrom('sign_in_throttle')
    .where('updated_at', '<', before)
    .where((eb) => eb.or([eb('blocked_until', 'is', null), eb('blocked_until', '<=', now)]))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
