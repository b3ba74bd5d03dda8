import { sql } from 'kysely';
import type { RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Config } from '../../platform/config.ts';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { generatePassword, hashPassword } from '../staff-auth/passwords.ts';
import { presentUser } from './users.presenter.ts';
import * as repo from './users.repository.ts';

const FIRST_ADMIN_LOCK_ID = 4_815_162_344;

export interface FirstAdminResult {
  created: boolean;
  email: string;
  /** The generated password (shown once), or null when none was generated (configured, or nothing created). */
  generatedPassword: string | null;
}

/**
 * On the first start (no users at all), creates the admin user KEYWARD_ADMIN_EMAIL with KEYWARD_ADMIN_PASSWORD or a
 * generated password that the caller prints once. An advisory lock keeps two starting processes from both doing it.
 */
export async function ensureFirstAdmin(
  db: Db,
  clock: Clock,
  ctx: RequestContext,
  staff: Pick<Config['staff'], 'adminEmail' | 'adminPassword'>,
): Promise<FirstAdminResult> {
  const none = { created: false, email: staff.adminEmail, generatedPassword: null };
  if ((await repo.countUsers(db)) > 0) return none; // the usual case: no hashing on every start
  const password = staff.adminPassword ?? generatePassword();
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${FIRST_ADMIN_LOCK_ID})`.execute(trx);
    if ((await repo.countUsers(trx)) > 0) return none;
    const now = clock.now();
    const row = await repo.insertUser(trx, {
      email: staff.adminEmail,
      name: 'Keyward Admin',
      role: 'admin',
      password_hash: passwordHash,
      created_at: now,
      updated_at: now,
      last_sign_in_at: null,
    });
    await recordAudit(trx, ctx, clock, {
      action: 'user.created',
      targetType: 'user',
      targetId: row.id,
      after: presentUser(row),
    });
    return { created: true, email: row.email, generatedPassword: staff.adminPassword ? null : password };
  });
}
