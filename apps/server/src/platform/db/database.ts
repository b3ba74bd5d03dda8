import fs from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type Db = Kysely<DB>;

export interface Database {
  db: Db;
  /**
   * For counters whose last few hundred milliseconds may be lost in a crash (rate-limit windows, validation
   * statistics) — never for license, machine or audit data. On PostgreSQL its connections commit without waiting
   * for the WAL flush (synchronous_commit=off), so a hot counter row does not serialise requests behind the disk;
   * on PGlite it is the same connection as `db`.
   */
  counters: Db;
  kind: 'pglite' | 'postgres';
  /** True when the database answers a trivial query. */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

// int8 (count(*), bigint ids) as JS numbers in both drivers; values stay far below 2^53.
const INT8_OID = 20;

function postgresPool(url: string, max: number, options?: string): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    ...(options ? { options } : {}),
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection can be dropped by the server (restart, failover, admin); without a listener node-postgres
  // would crash the process. The pool replaces the connection on the next checkout.
  pool.on('error', (err) => process.emitWarning(`PostgreSQL connection error on an idle connection: ${err.message}`));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

export async function openDatabase(config: Config['database']): Promise<Database> {
  let db: Db;
  let counters: Db;
  if (config.kind === 'postgres') {
    db = postgresPool(config.url, config.poolSize);
    counters = postgresPool(config.url, Math.max(2, Math.ceil(config.poolSize / 2)), '-c synchronous_commit=off');
  } else {
    if (config.dataDir) fs.mkdirSync(config.dataDir, { recursive: true });
    const client = new PGlite(config.dataDir ?? undefined, {
      parsers: { [INT8_OID]: (v: string) => Number(v) },
    });
    await client.waitReady;
    db = new Kysely<DB>({ dialect: new PGliteDialect(client) });
    counters = db;
  }
  return {
    db,
    counters,
    kind: config.kind,
    async ping() {
      try {
        await sql`select 1`.execute(db);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      if (counters !== db) await counters.destroy();
      await db.destroy();
    },
  };
}
