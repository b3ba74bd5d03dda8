import { sql } from 'kysely';
import type { RequestContext } from '../../platform/auth/actor.ts';
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from '../../platform/auth/token-secret.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../audit/audit.write.ts';
import * as repo from './tokens.repository.ts';

const BOOTSTRAP_LOCK_ID = 4_815_162_343;

export interface BootstrapResult {
  /** The secret, only when this call created the first token from a generated secret (shown once). */
  createdSecret: string | null;
  created: boolean;
}

/**
 * Makes sure an admin can get in: when no token exists, creates the first admin token — from
 * KEYWARD_BOOTSTRAP_TOKEN when given (so scripts can drive a fresh server), otherwise a generated one that the
 * caller prints once. A configured bootstrap token is also (re)registered if it is missing, so it always works.
 */
export async function ensureBootstrapToken(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  configured: string | null,
): Promise<BootstrapResult> {
  return db.transaction().execute(async (trx) => {
    // Several processes may start at once on one PostgreSQL: only one may create the first token.
    await sql`select pg_advisory_xact_lock(${BOOTSTRAP_LOCK_ID})`.execute(trx);
    if (configured) {
      const hash = hashTokenSecret(configured);
      if (await repo.findTokenByHash(trx, hash)) return { createdSecret: null, created: false };
    } else if ((await repo.countTokens(trx)) > 0) {
      return { createdSecret: null, created: false };
    }
    const secret = configured ?? generateTokenSecret();
    const row = await repo.insertToken(trx, {
      name: configured ? 'bootstrap (KEYWARD_BOOTSTRAP_TOKEN)' : 'initial admin',
      role: 'admin',
      product_id: null,
      token_hash: hashTokenSecret(secret),
      token_prefix: tokenDisplayPrefix(secret),
      created_at: clock.now(),
      expires_at: null,
    });
    await recordAudit(trx, ctx, clock, {
      action: 'token.created',
      targetType: 'token',
      targetId: row.id,
      after: { id: row.id, name: row.name, role: row.role },
    });
    return { createdSecret: configured ? null : secret, created: true };
  });
}
