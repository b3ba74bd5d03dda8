import type { KyselyPlugin, OperationNode, RootOperationNode } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_TOKEN,
  createTestDatabase,
  dbKind,
  TEST_SECRET,
  type TestApp,
  type TestDatabase,
} from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { type Clock, ManualClock } from '../../platform/clock.ts';
import { loadConfig } from '../../platform/config.ts';
import type { Database } from '../../platform/db/database.ts';
import { ensureBootstrapToken } from '../tokens/tokens.bootstrap.ts';
import { meteredLicense, report } from '../usage/test-fixtures.ts';
import { activate, createLicense, NO_RATE_LIMIT, validate } from './test-fixtures.ts';

/**
 * How many SQL statements each client API hot path runs (docs/performance.md): a regression test for round trips,
 * not a timing. Counted through a Kysely plugin on both connections of the app's database (BEGIN/COMMIT are not
 * statements Kysely compiles, so they are not counted). Background work is left out: the validation-statistics
 * flush (a timer) and the rate-limit window cleanup (at most once a minute).
 */
class StatementCounter implements KyselyPlugin {
  readonly statements: string[] = [];

  transformQuery(args: { node: RootOperationNode }): RootOperationNode {
    const text = sqlOf(args.node);
    if (!/validation_count|^DeleteQueryNode rate_limit_counters/.test(text)) this.statements.push(text);
    return args.node;
  }

  async transformResult<R>(args: { result: R }): Promise<R> {
    return args.result;
  }

  /** Statements run by `fn`. */
  async during(fn: () => Promise<unknown>): Promise<string[]> {
    const start = this.statements.length;
    await fn();
    return this.statements.slice(start);
  }
}

function sqlOf(node: OperationNode): string {
  if (node.kind === 'RawNode') {
    const raw = node as unknown as { sqlFragments: string[]; parameters: OperationNode[] };
    return raw.sqlFragments
      .map((f, k) => {
        const p = raw.parameters[k];
        return f + (p ? (p.kind === 'RawNode' ? sqlOf(p) : '?') : '');
      })
      .join('');
  }
  const table = JSON.stringify(node).match(/"identifier":{"kind":"IdentifierNode","name":"(\w+)"/)?.[1] ?? '';
  return `${node.kind} ${table}`;
}

describe(`statements per client API request (${dbKind})`, () => {
  let t: TestApp;
  let testDb: TestDatabase;
  const counter = new StatementCounter();

  beforeAll(async () => {
    testDb = await createTestDatabase();
    const raw = testDb.database;
    const db = raw.db.withPlugin(counter);
    const database: Database = {
      ...raw,
      db,
      counters: raw.counters === raw.db ? db : raw.counters.withPlugin(counter),
    };
    const clock = new ManualClock();
    const config = loadConfig(
      { LOG_LEVEL: 'silent', KEYWARD_SEED_DEMO: 'false', KEYWARD_SECRET: TEST_SECRET },
      { database: testDb.config, ...NO_RATE_LIMIT },
    );
    const kw = await buildApp(config, { clock: clock as Clock, database });
    await ensureBootstrapToken(raw.db, clock, systemContext('test'), ADMIN_TOKEN);
    t = {
      kw,
      clock,
      testDb,
      request: ({ token = ADMIN_TOKEN, headers, ...rest }) =>
        kw.app.inject({ ...rest, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers } }),
      close: async () => {
        await kw.close();
        await testDb.drop();
      },
    };
  }, 180_000);
  afterAll(async () => t.close());

  it('validate-key: one statement (rate-limit counter and lookup together), also for unknown and mistyped keys', async () => {
    const f = await createLicense(t);
    await validate(t, { key: f.key }); // the first hit of the process also starts a window cleanup
    const valid = await counter.during(async () => {
      const res = await validate(t, { key: f.key, scope: { fingerprint: 'fp-1' }, nonce: 'n' });
      expect(res.statusCode).toBe(200);
      expect(res.headers['keyward-signature']).toBeTruthy();
    });
    expect(valid).toHaveLength(1);
    expect(valid[0]).toMatch(/rate_limit_counters[\s\S]*FROM licenses l/);
    const unknown = await counter.during(async () => {
      expect((await validate(t, { key: 'NOT-A-KEY' })).json().code).toBe('NOT_FOUND');
    });
    expect(unknown).toHaveLength(1);
    const mistyped = f.key.slice(0, -1) + (f.key.endsWith('A') ? 'B' : 'A');
    const typo = await counter.during(async () => {
      expect((await validate(t, { key: mistyped })).json().code).toBe('MALFORMED_KEY');
    });
    expect(typo).toHaveLength(1);
  });

  it('a body that fails validation is still counted: one statement, then 400', async () => {
    const statements = await counter.during(async () => {
      expect((await validate(t, { nonsense: true })).statusCode).toBe(400);
    });
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/rate_limit_counters/);
  });

  it('usage increment: two statements (counter + license, refs, property and layers; then the metering)', async () => {
    const f = await meteredLicense(t, { limit: 10 });
    const statements = await counter.during(async () => {
      const res = await report(t, { key: f.key, property: f.propertyKey });
      expect(res.statusCode).toBe(200);
    });
    expect(statements).toHaveLength(2);
    expect(statements[0]).toMatch(/rate_limit_counters[\s\S]*property_overrides/);
    expect(statements[1]).toMatch(/INSERT INTO usage_counters/);
  });

  it('activation of a new machine: limiter, license lock, machines, insert, audit (plus BEGIN/COMMIT)', async () => {
    const f = await createLicense(t);
    const statements = await counter.during(async () => {
      expect((await activate(t, { key: f.key, fingerprint: 'fp-new' })).statusCode).toBe(201);
    });
    expect(statements).toHaveLength(5);
    const again = await counter.during(async () => {
      expect((await activate(t, { key: f.key, fingerprint: 'fp-new' })).statusCode).toBe(200);
    });
    expect(again).toHaveLength(4); // limiter, lock, machines, update
  });
});
