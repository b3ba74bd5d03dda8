import { randomBytes } from 'node:crypto';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import pg from 'pg';
import { buildApp, type Keyward } from '../src/app.ts';
import { ensureBootstrapToken } from '../src/modules/tokens/tokens.bootstrap.ts';
import { systemContext } from '../src/platform/auth/actor.ts';
import { type Clock, ManualClock } from '../src/platform/clock.ts';
import { type Config, loadConfig } from '../src/platform/config.ts';
import { type Database, openDatabase } from '../src/platform/db/database.ts';
import type { LogStream } from '../src/platform/logger.ts';

/**
 * Test databases: PGlite in memory by default; a fresh database on a real PostgreSQL server when
 * KEYWARD_TEST_DATABASE_URL is set (CI runs every DB suite both ways).
 */
export const TEST_PG_URL = process.env.KEYWARD_TEST_DATABASE_URL || null;
export const dbKind = TEST_PG_URL ? 'postgres' : 'pglite';

export const ADMIN_TOKEN = 'kw_test_admin_token_0123456789abcdefghij';
/** KEYWARD_SECRET of every test app and test server (signing keys are encrypted under it). */
export const TEST_SECRET = 'kw-test-secret-0123456789abcdefghijklmnop';

export interface TestDatabase {
  config: Config['database'];
  database: Database;
  drop(): Promise<void>;
}

/** A new, empty database of the kind under test (on `pgServerUrl` instead of the test server when given). */
export async function createTestDatabase(pgServerUrl: string | null = TEST_PG_URL): Promise<TestDatabase> {
  if (!pgServerUrl) {
    const config = { kind: 'pglite', dataDir: null } as const;
    const database = await openDatabase(config);
    return { config, database, drop: () => database.close() };
  }
  const name = `kw_test_${randomBytes(6).toString('hex')}`;
  const adminClient = new pg.Client({ connectionString: pgServerUrl });
  await adminClient.connect();
  await adminClient.query(`create database ${name}`);
  await adminClient.end();
  const url = new URL(pgServerUrl);
  url.pathname = `/${name}`;
  const config = { kind: 'postgres', url: url.toString(), poolSize: 20, connectTimeoutMs: 10_000 } as const;
  const database = await openDatabase(config);
  return {
    config,
    database,
    async drop() {
      await database.close();
      const c = new pg.Client({ connectionString: pgServerUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface TestApp {
  kw: Keyward;
  clock: ManualClock;
  testDb: TestDatabase;
  /** app.inject with the admin token (or the given token) as bearer. */
  request(opts: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export async function startTestApp(
  opts: {
    clock?: ManualClock;
    env?: Record<string, string>;
    configOverrides?: Partial<Config>;
    /** Where the app logs (with env LOG_LEVEL); default nowhere. */
    logStream?: LogStream;
    /** A PostgreSQL server of the test's own (e.g. one it stops and starts) instead of the test database server. */
    pgServerUrl?: string;
  } = {},
): Promise<TestApp> {
  const clock = opts.clock ?? new ManualClock();
  const testDb = await createTestDatabase(opts.pgServerUrl ?? TEST_PG_URL);
  const config = loadConfig(
    { LOG_LEVEL: 'silent', KEYWARD_SEED_DEMO: 'false', KEYWARD_SECRET: TEST_SECRET, ...opts.env },
    { database: testDb.config, ...opts.configOverrides },
  );
  const kw = await buildApp(config, {
    clock: clock as Clock,
    database: testDb.database,
    ...(opts.logStream ? { logStream: opts.logStream } : {}),
  });
  await ensureBootstrapToken(testDb.database.db, clock, systemContext('test'), ADMIN_TOKEN);
  return {
    kw,
    clock,
    testDb,
    request({ token = ADMIN_TOKEN, headers, ...rest }) {
      return kw.app.inject({
        ...rest,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      });
    },
    async close() {
      await kw.close();
      await testDb.drop();
    },
  };
}
