import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createLicense, type Fixture, NO_RATE_LIMIT, validate } from '../src/modules/client/test-fixtures.ts';
import { ValidationStats } from '../src/modules/client/validation-stats.ts';
import { asUser } from '../src/modules/staff-auth/test-session.ts';
import { isDatabaseUnavailable } from '../src/platform/errors.ts';
import { startTestApp, type TestApp } from './harness.ts';
import { LogCapture } from './support/log-capture.ts';
import { expectEverythingUnavailable, type OutageFixtures, outageFixtures } from './support/outage.ts';
import { type PostgresServer, startPostgresServer } from './support/postgres-server.ts';

/**
 * PostgreSQL stops under a running app and comes back (issue 10, finding 9: 500 INTERNAL_ERROR, then Fastify's
 * default body with the database's address once the signing-key cache expired). The test owns its PostgreSQL server
 * (initdb + pg_ctl on a free port) so that it can stop and start it. Requests in flight when it stops and every
 * request while it is down get 503 DATABASE_UNAVAILABLE (never a 500, never a crash); the log has one line for the
 * outage and one for the recovery; afterwards everything works again on the same pools (reconnection).
 */

// Runs with the PostgreSQL suites (`scripts/with-postgres.sh npx vitest run --project server-pg <this file>`); the
// PostgreSQL binaries are needed, the shared test server is not.

let server: PostgresServer;
let t: TestApp;
let f: OutageFixtures;
let quiet: Fixture;
const log = new LogCapture();

beforeAll(async () => {
  server = await startPostgresServer();
  t = await startTestApp({
    pgServerUrl: server.url,
    env: { LOG_LEVEL: 'info' },
    configOverrides: NO_RATE_LIMIT,
    logStream: log,
  });
  f = await outageFixtures(t);
  quiet = await createLicense(t); // validated by nobody but the statistics check below
}, 120_000);

afterAll(async () => {
  await t?.close().catch(() => {});
  await server?.destroy();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('PostgreSQL stopped and started under a running app', () => {
  it('recognises a refused connection as "unavailable" and a query error as not', async () => {
    const refused = await import('pg').then(async ({ default: pg }) => {
      const client = new pg.Client({ connectionString: server.url.replace(`:${server.port}/`, ':1/') });
      return client.connect().then(
        () => null,
        (err: unknown) => err,
      );
    });
    expect(isDatabaseUnavailable(refused)).toBe(true);
    const syntax = await sql
      .raw('selec 1')
      .execute(t.kw.database.db)
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(syntax).not.toBeNull();
    expect(isDatabaseUnavailable(syntax)).toBe(false);
  });

  it('answers 503 while it is down (in flight too), logs each transition once, and works again when it is back', async () => {
    const from = log.lines.length;

    // Load in flight while the server stops: validations and transactional writes (extend + audit event).
    let running = true;
    const statuses: number[] = [];
    const worker = async (i: number) => {
      while (running) {
        const res =
          i % 2 === 0
            ? await validate(t, { key: f.license.key })
            : await t.request({
                method: 'POST',
                url: `/v1/licenses/${f.license.licenseId}/actions/extend`,
                payload: { days: 1 },
              });
        statuses.push(res.statusCode);
      }
    };
    const workers = Array.from({ length: 6 }, (_, i) => worker(i));
    await sleep(300);
    await server.stop();
    await vi.waitFor(() => expect(statuses.slice(-12)).toEqual(Array(12).fill(503)), { timeout: 10_000 });
    running = false;
    await Promise.all(workers);
    expect(statuses).toContain(200);
    expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);

    await expectEverythingUnavailable(t, f);
    // Background work meets the outage too: a job scheduler look and a statistics flush stay quiet; the counts
    // of the failed flush are kept for later.
    await t.kw.jobs.tick();
    const stats = new ValidationStats({
      db: t.kw.database.counters,
      log: t.kw.app.log,
      availability: t.kw.availability,
    });
    stats.record(quiet.licenseId, t.clock.now());
    await stats.flush();

    expect(t.kw.availability.down).toBe(true);
    const outage = log.withMessage('database unreachable');
    expect(outage).toHaveLength(1);
    expect(log.warningsSince(from)).toEqual(outage);
    expect(JSON.stringify(log.lines.slice(from))).not.toContain('"stack"');

    // Back: the probe notices within seconds; the same pools reconnect.
    await server.start();
    await vi.waitFor(() => expect(log.withMessage('database reachable again')).toHaveLength(1), {
      timeout: 15_000,
      interval: 100,
    });
    expect(t.kw.availability.down).toBe(false);
    expect((await t.request({ method: 'GET', url: '/healthz', token: null })).json()).toEqual({
      status: 'ok',
      database: 'postgres',
    });
    expect((await t.request({ method: 'GET', url: '/v1/products' })).statusCode).toBe(200);
    const valid = await validate(t, { key: f.license.key });
    expect(valid.statusCode).toBe(200);
    expect(valid.json()).toMatchObject({ valid: true });
    expect(valid.headers['keyward-signature']).toEqual(expect.any(String));
    const session = await asUser(t, f.session, { method: 'GET', url: '/v1/licenses' });
    expect(session.statusCode).toBe(200);
    await stats.close();
    const row = await t.kw.database.db
      .selectFrom('licenses')
      .select('validation_count')
      .where('id', '=', quiet.licenseId)
      .executeTakeFirstOrThrow();
    expect(Number(row.validation_count)).toBe(1);

    // Still one line each: the outage and the recovery, nothing per request.
    expect(log.withMessage('database unreachable')).toHaveLength(1);
    expect(log.warningsSince(from)).toEqual(outage);
  }, 120_000);
});
