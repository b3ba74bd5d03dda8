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

const lock = (trx: Db) => sql`select pg_advisory_xact_lock(${MIGRATION_LOCK_ID})`.execute(trx);

/**
 * Applies the plain-SQL files in migrations/ in name order, each in its own transaction, once. Everything — creating
 * the bookkeeping table included — happens under a transaction-level advisory lock, so several processes starting at
 * once on a fresh database are safe (PostgreSQL's `create table if not exists` is not: two concurrent ones can fail
 * on the catalog's unique index).
 */
export async function migrate(db: Db, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d+_.+\.sql$/.test(f))
    .sort();
  // One transaction to learn what is done (the usual start: everything, and no further transaction).
  const done = await db.transaction().execute(async (trx) => {
    await lock(trx);
    await sql`create table if not exists schema_migrations (name text primary key, applied_at timestamptz not null default now())`.execute(
      trx,
    );
    const rows = await sql<{ name: string }>`select name from schema_migrations`.execute(trx);
    return new Set(rows.rows.map((r) => r.name));
  });
  const applied: string[] = [];
  let alreadyApplied = 0;
  for (const file of files) {
    const ran =
      !done.has(file) &&
      (await db.transaction().execute(async (trx) => {
        await lock(trx);
        // Another process may have applied it since the first look.
        const again = await sql<{ name: string }>`select name from schema_migrations where name = ${file}`.execute(trx);
        if (again.rows.length > 0) return false;
        await sql.raw(fs.readFileSync(path.join(dir, file), 'utf8')).execute(trx);
        await sql`insert into schema_migrations (name) values (${file})`.execute(trx);
        return true;
      }));
    if (ran) applied.push(file);
    else alreadyApplied += 1;
  }
  return { applied, alreadyApplied };
}
