import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PG_URL, type TestApp } from '../../../test/harness.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../../test/support/server-process.ts';
import { ManualClock } from '../../platform/clock.ts';
import { NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { eventsOf, meteredLicense, report, usedOf } from './test-fixtures.ts';

// Needs a PostgreSQL server: `scripts/with-postgres.sh npx vitest run --project server-pg <this file>`.
if (!TEST_PG_URL) throw new Error('usage.pg.test.ts needs KEYWARD_TEST_DATABASE_URL (scripts/with-postgres.sh)');

interface Outcome {
  status: number;
  code: string | null;
  used: number | null;
}

describe('usage limits under real concurrency on PostgreSQL', () => {
  let t: TestApp;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    // The child processes use the system clock, so the fixtures are dated from real time.
    t = await startTestApp({ clock: new ManualClock(new Date()), configOverrides: NO_RATE_LIMIT });
    if (t.testDb.config.kind !== 'postgres') throw new Error('expected a PostgreSQL test database');
    const url = t.testDb.config.url;
    servers.push(...(await Promise.all([startServerProcess(url), startServerProcess(url)])));
  });
  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await t?.close();
  });

  /** POST /v1/client/usage on server i % 2, over real HTTP. */
  async function call(i: number, body: Record<string, unknown>): Promise<Outcome> {
    const res = await fetch(`${servers[i % servers.length]!.url}/v1/client/usage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: { code: string }; usage?: { used: number } };
    return { status: res.status, code: json.error?.code ?? null, used: json.usage?.used ?? null };
  }

  it('in one process (the connection pool): 100 concurrent increments, hard limit 50 → exactly 50', async () => {
    const f = await meteredLicense(t, { limit: 50 });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => report(t, { key: f.key, property: 'api_calls' })),
    );
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(50);
    expect(results.filter((r) => r.statusCode === 409 && r.json().error.code === 'USAGE_LIMIT_EXCEEDED')).toHaveLength(
      50,
    );
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 50 }]);
  });

  it('across two server processes: 100 concurrent increments, hard limit 50 → exactly 50', async () => {
    const f = await meteredLicense(t, { limit: 50 });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => call(i, { key: f.key, property: 'api_calls' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(50);
    expect(results.filter((r) => r.status === 409 && r.code === 'USAGE_LIMIT_EXCEEDED')).toHaveLength(50);
    const used = results.flatMap((r) => (r.used === null ? [] : [r.used])).sort((a, b) => a - b);
    expect(used).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 50 }]);
    const events = await eventsOf(t, f.licenseId);
    expect(events.filter((e) => e.accepted)).toHaveLength(50);
    expect(events.filter((e) => !e.accepted)).toHaveLength(50);
  });

  it('across two processes: amounts of 1–7 never exceed the limit, and every accepted unit is counted', async () => {
    const f = await meteredLicense(t, { limit: 200 });
    const amounts = Array.from({ length: 120 }, (_, i) => (i % 7) + 1);
    const results = await Promise.all(
      amounts.map((amount, i) => call(i, { key: f.key, property: 'api_calls', amount })),
    );
    const accepted = amounts.filter((_, i) => results[i]!.status === 200).reduce((a, b) => a + b, 0);
    const [counter] = await usedOf(t, f.licenseId, f.propertyId);
    expect(counter!.used).toBe(accepted);
    expect(accepted).toBeLessThanOrEqual(200);
    // Every refusal was right when it was decided: the counter plus its amount did not fit.
    expect(accepted).toBeGreaterThan(200 - 7);
    expect(results.every((r) => r.status === 200 || r.code === 'USAGE_LIMIT_EXCEEDED')).toBe(true);
  });

  it('across two processes: concurrent duplicates of idempotency keys count once each', async () => {
    const f = await meteredLicense(t, { limit: 1000 });
    const results = await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        call(i, { key: f.key, property: 'api_calls', amount: 3, idempotencyKey: `job-${i % 10}` }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(60).fill(200));
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 30 }]);
    const events = await eventsOf(t, f.licenseId);
    expect(events.map((e) => e.idempotency_key).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `job-${i}`));
    // Each duplicate answered the recorded outcome of its key.
    for (let k = 0; k < 10; k++) {
      const answers = new Set(results.filter((_, i) => i % 10 === k).map((r) => r.used));
      expect(answers.size).toBe(1);
    }
  });
});
