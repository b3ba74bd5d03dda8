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
  /**
   * Listens to errors of pooled connections outside any query (the server restarted or went away while they were
   * idle); returns the unsubscribe function. Without a listener they become a process warning. PGlite has none.
   */
  onConnectionError(listener: (err: Error) => void): () => void;
  close(): Promise<void>;
}

// int8 (count(*), bigint ids) as JS numbers in both drivers; values stay far below 2^53.
const INT8_OID = 20;

type ErrorListeners = Set<(err: Error) => void>;

function postgresPool(
  config: Extract<Config['database'], { kind: 'postgres' }>,
  max: number,
  listeners: ErrorListeners,
  options?: string,
): Db {
  const pool = new pg.Pool({
    connectionString: config.url,
    max,
    // A server that does not answer (network down, blackholed) fails a checkout after this instead of never.
    connectionTimeoutMillis: config.connectTimeoutMs,
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
  const report = (err: Error) => {
    if (listeners.size === 0) process.emitWarning(`PostgreSQL connection error: ${err.message}`);
    for (const listener of listeners) listener(err);
  };
  pool.on('error', report);
  // A checked-out connection that is between two queries (in a transaction) when the server goes away emits
  // 'error' too, and the pool listens only to idle ones: without this, that would crash the process. Its next query
  // fails with a connection error, reported where it is met; the pool's own listener above reports idle ones.
  pool.on('connect', (client) => client.on('error', () => {}));
  return new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
}

export async function openDatabase(config: Config['database']): Promise<Database> {
  let db: Db;
  let counters: Db;
  const listeners: ErrorListeners = new Set();
  if (config.kind === 'postgres') {
    db = postgresPool(config, config.poolSize, listeners);
    counters = postgresPool(
      config,
      Math.max(2, Math.ceil(config.poolSize / 2)),
      listeners,
      '-c synchronous_commit=off',
    );
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
    onConnectionError(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (counters !== db) await counters.destroy();
      await db.destroy();
    },
  };
}
