import type { SessionAuth } from '../../platform/auth/bearer.ts';
import { SESSION_RENEW_AFTER_MS, SESSION_TTL_SECONDS } from '../../platform/auth/session-cookie.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';

export interface SessionInfo extends SessionAuth {
  email: string;
}

/**
 * Resolves a session id (SHA-256 of the cookie secret) to the session of an enabled user, or null when unknown,
 * expired or the user is disabled. Slides the expiry (12 h after the last use), writing at most once a minute.
 * The role is read from the user on every request, so a role change applies at once.
 */
export function sessionLookup(db: Db, clock: Clock) {
  return async (sessionId: string): Promise<SessionInfo | null> => {
    const row = await db
      .selectFrom('sessions')
      .innerJoin('users', 'users.id', 'sessions.user_id')
      .select([
        'sessions.user_id',
        'sessions.csrf_token_hash',
        'sessions.expires_at',
        'sessions.last_seen_at',
        'users.email',
        'users.name',
        'users.role',
        'users.disabled',
      ])
      .where('sessions.id', '=', sessionId)
      .executeTakeFirst();
    const now = clock.now();
    if (!row || row.disabled || row.expires_at <= now) return null;
    let renewed = false;
    if (now.getTime() - row.last_seen_at.getTime() >= SESSION_RENEW_AFTER_MS) {
      await db
        .updateTable('sessions')
        .set({ last_seen_at: now, expires_at: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000) })
        .where('id', '=', sessionId)
        .execute();
      renewed = true;
    }
    return {
      actor: { kind: 'user', id: row.user_id, name: row.name, role: row.role, productId: null },
      csrfTokenHash: row.csrf_token_hash,
      renewed,
      email: row.email,
    };
  };
}
