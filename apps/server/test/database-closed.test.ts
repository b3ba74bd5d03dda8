import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_RATE_LIMIT } from '../src/modules/client/test-fixtures.ts';
import { ValidationStats } from '../src/modules/client/validation-stats.ts';
import { dbKind, startTestApp, type TestApp } from './harness.ts';
import { LogCapture } from './support/log-capture.ts';
import { expectEverythingUnavailable, type OutageFixtures, outageFixtures } from './support/outage.ts';

/**
 * The database goes away under a running app (issue 10, finding 9) — here by closing it, which works the same on
 * PGlite and PostgreSQL (database-outage.pg.test.ts stops a real PostgreSQL server instead). Every request gets 503
 * DATABASE_UNAVAILABLE with Retry-After in the one error shape, nothing of the driver's error leaks, signed routes
 * stay signed, and the log says it once — not a stack trace per request, per job look or per statistics flush.
 */

let t: TestApp;
let f: OutageFixtures;
const log = new LogCapture();

beforeAll(async () => {
  t = await startTestApp({ env: { LOG_LEVEL: 'info' }, configOverrides: NO_RATE_LIMIT, logStream: log });
  f = await outageFixtures(t);
});

afterAll(async () => {
  await t?.close();
});

describe(`a database that is gone (${dbKind})`, () => {
  it('answers 503 DATABASE_UNAVAILABLE everywhere, signed where signed, and logs the outage once', async () => {
    const from = log.lines.length;
    await t.kw.database.close();

    await expectEverythingUnavailable(t, f);
    // Background work meets the same error: a job scheduler look and a statistics flush stay quiet.
    await t.kw.jobs.tick();
    const stats = new ValidationStats({
      db: t.kw.database.counters,
      log: t.kw.app.log,
      availability: t.kw.availability,
    });
    stats.record(f.license.licenseId, t.clock.now());
    await stats.close();

    expect(t.kw.availability.down).toBe(true);
    const outage = log.withMessage('database unreachable');
    expect(outage).toHaveLength(1);
    expect(outage[0]).toMatchObject({ level: 50, database: 'unreachable' });
    expect(log.warningsSince(from)).toEqual(outage);
    expect(JSON.stringify(log.lines.slice(from))).not.toContain('"stack"');
    // Each request was still logged as answered, with its 503.
    const answered = log.lines.slice(from).filter((l) => l.msg === 'request completed');
    expect(answered.length).toBeGreaterThan(20);
    expect(answered.every((l) => (l.res as { statusCode: number }).statusCode === 503)).toBe(true);
  });
});
