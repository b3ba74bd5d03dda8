import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';

/** Only touch last_used_at when it is this stale, so authenticating is a read, not a write, on hot paths. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** Resolves a token hash to the actor it authenticates, or null when unknown, expired or revoked. */
export function tokenLookup(db: Db, clock: Clock) {
  return async (tokenHash: string): Promise<Actor | null> => {
    const row = await db
      .selectFrom('api_tokens')
      .select(['id', 'name', 'role', 'product_id', 'expires_at', 'revoked_at', 'last_used_at'])
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    const now = clock.now();
    if (!row || row.revoked_at || (row.expires_at && row.expires_at <= now)) return null;
    if (!row.last_used_at || now.getTime() - row.last_used_at.getTime() > LAST_USED_RESOLUTION_MS) {
      // Bookkeeping only; failure must not fail the request.
      db.updateTable('api_tokens')
        .set({ last_used_at: now })
        .where('id', '=', row.id)
        .execute()
        .catch(() => {});
    }
    return { kind: 'token', id: row.id, name: row.name, role: row.role, productId: row.product_id };
  };
}
