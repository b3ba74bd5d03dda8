import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.ts';

export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../migrations');

/** Any constant works; it only has to be the same in every process that migrates. */
const MIGRATION_LOCK_ID = 4_815_162_342;

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies the plain-SQL files in migrations/ in name order, each in its own transaction, once. A transaction-level
 * advisory lock makes concurrent starts of several processes safe.
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(
    db,
  );
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const file of files) {
    const ran = await db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);
      const done = await sql<{ name: string }>`select name from schema_migrations where name = ${file}`.execute(trx);
      if (done.rows.length > 0) return false;
      await sql.raw(fs.readFileSync(path.join(dir, file), 'utf8')).execute(trx);
      await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
      return true;
    });
    if (ran) applied.push(file);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}
