import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR } from '../src/platform/db/migrate.ts';
import { TEST_PG_URL, TEST_SECRET } from './harness.ts';

// Needs a PostgreSQL server: `scripts/with-postgres.sh npx vitest run --project server-pg <this file>`.
if (!TEST_PG_URL) throw new Error('first-start.pg.test.ts needs KEYWARD_TEST_DATABASE_URL (scripts/with-postgres.sh)');

/**
 * Three processes start at once on a fresh PostgreSQL database, ten times (issue 10, finding 7: the migrator created
 * its bookkeeping table before taking its lock, and one of two racing processes crashed on
 * `duplicate key … pg_type_typname_nsp_index`). Every round: each process runs what `keyward start` runs (migrate,
 * admin token, admin user, demo data, listen, signing key) at the same moment on a new database; all must start and
 * answer /healthz, and the first-start work must exist exactly once.
 */

const CHILD = fileURLToPath(new URL('./support/first-start-child.ts', import.meta.url));
const PROCESSES = 3;
const ROUNDS = 10;
const MIGRATIONS = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d+_.+\.sql$/.test(f)).length;

interface Child {
  process: ChildProcess;
  next(filter: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  send(message: object): void;
}

function spawnChild(): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
    env: {
      ...process.env,
      KEYWARD_SECRET: TEST_SECRET,
      KEYWARD_SEED_DEMO: 'true',
      KEYWARD_JOBS: 'false',
      LOG_LEVEL: 'silent',
      DATABASE_POOL_SIZE: '4',
    },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const waiting: { filter: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] =
    [];
  const exited = new Promise<never>((_, reject) =>
    child.once('exit', (code) => reject(new Error(`first-start child exited with ${code}: ${stderr}`))),
  );
  exited.catch(() => {});
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const i = waiting.findIndex((w) => w.filter(message));
    if (i >= 0) waiting.splice(i, 1)[0]!.resolve(message);
  });
  return {
    process: child,
    next: (filter) =>
      Promise.race([new Promise<Record<string, unknown>>((resolve) => waiting.push({ filter, resolve })), exited]),
    send: (message) => child.stdin!.write(`${JSON.stringify(message)}\n`),
  };
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>, url = TEST_PG_URL!): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const urlOf = (name: string) => {
  const url = new URL(TEST_PG_URL!);
  url.pathname = `/${name}`;
  return url.toString();
};

const count = async (client: pg.Client, query: string) => Number((await client.query(query)).rows[0].n);

describe(`${PROCESSES} processes starting at once on a fresh PostgreSQL database, ${ROUNDS} times`, () => {
  const children: Child[] = [];
  const databases: string[] = [];

  beforeAll(async () => {
    children.push(...Array.from({ length: PROCESSES }, spawnChild));
    await Promise.all(children.map((c) => c.next((m) => m.ready === true)));
  }, 120_000);

  afterAll(async () => {
    for (const child of children) child.process.kill('SIGKILL');
    await admin(async (client) => {
      for (const name of databases) await client.query(`drop database if exists ${name} with (force)`);
    });
  });

  it('all start, all answer /healthz, and the first-start work exists exactly once', async () => {
    for (let round = 1; round <= ROUNDS; round++) {
      const name = `kw_first_${randomBytes(5).toString('hex')}`;
      databases.push(name);
      await admin((client) => client.query(`create database ${name}`));
      const url = urlOf(name);

      // The same moment for all three: one line each, written back to back.
      const started = children.map((c) => c.next((m) => m.round === round));
      for (const child of children) child.send({ round, url });
      const results = await Promise.all(started);
      for (const result of results) expect(result.error, `round ${round}`).toBeUndefined();

      for (const result of results) {
        const res = await fetch(`http://127.0.0.1:${result.port}/healthz`);
        expect(res.status, `round ${round}`).toBe(200);
        expect(await res.json()).toEqual({ status: 'ok', database: 'postgres' });
      }
      // Each migration applied by exactly one process; one of each first-start record.
      expect(results.reduce((n, r) => n + Number(r.migrationsApplied), 0)).toBe(MIGRATIONS);
      expect(results.filter((r) => r.createdToken)).toHaveLength(1);
      expect(results.filter((r) => r.createdAdmin)).toHaveLength(1);
      expect(results.filter((r) => r.seeded)).toHaveLength(1);
      await admin(async (client) => {
        expect(await count(client, 'select count(*) as n from schema_migrations')).toBe(MIGRATIONS);
        expect(await count(client, 'select count(*) as n from api_tokens')).toBe(1);
        expect(await count(client, 'select count(*) as n from users')).toBe(1);
        expect(await count(client, 'select count(*) as n from signing_keys')).toBe(1);
        expect(await count(client, "select count(*) as n from products where code in ('ACME', 'FLOW')")).toBe(2);
        expect(await count(client, "select count(*) as n from instance_settings where key = 'demo_seeded'")).toBe(1);
      }, url);

      const closed = children.map((c) => c.next((m) => m.closed === round));
      for (const child of children) child.send({ close: round });
      await Promise.all(closed);
      await admin((client) => client.query(`drop database ${name} with (force)`));
      databases.splice(databases.indexOf(name), 1);
    }
  }, 300_000);
});
