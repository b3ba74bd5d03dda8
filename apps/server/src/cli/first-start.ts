import type { Keyward } from '../app.ts';
import { ensureBootstrapToken } from '../modules/tokens/tokens.bootstrap.ts';
import { ensureFirstAdmin } from '../modules/users/users.bootstrap.ts';
import { systemContext } from '../platform/auth/actor.ts';
import type { Config } from '../platform/config.ts';
import { seedDemoOnce } from './seed.ts';

export interface FirstStartResult {
  /** The generated admin token when this start created it (printed once), else null. */
  adminToken: string | null;
  /** The dashboard admin user when this start created it (the password only when generated; printed once). */
  adminUser: { email: string; password: string | null } | null;
  seeded: boolean;
}

/**
 * What `keyward start` does on an open, migrated app before it listens: the first admin token, the first admin user,
 * the demo data. Each step takes its own advisory lock and looks again under it, so any number of processes may run
 * this at once on one fresh database (the signing key follows when the app gets ready, under its own lock). The
 * migrations before it run under the migration lock (platform/db/migrate.ts).
 */
export async function firstStart(kw: Keyward, config: Config): Promise<FirstStartResult> {
  const ctx = systemContext('bootstrap');
  const bootstrap = await ensureBootstrapToken(kw.database.db, kw.clock, ctx, config.bootstrapToken);
  const firstAdmin = await ensureFirstAdmin(kw.database.db, kw.clock, ctx, config.staff);
  const seeded = config.seedDemoData ? await seedDemoOnce(kw) : false;
  return {
    adminToken: bootstrap.createdSecret,
    adminUser: firstAdmin.created ? { email: firstAdmin.email, password: firstAdmin.generatedPassword } : null,
    seeded,
  };
}
