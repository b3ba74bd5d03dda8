import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestApp, TEST_PG_URL, type TestApp } from '../../../test/harness.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../../test/support/server-process.ts';
import { ManualClock } from '../clock.ts';

// Needs a PostgreSQL server: `scripts/with-postgres.sh npx vitest run --project server-pg <this file>`.
if (!TEST_PG_URL) throw new Error('jobs.pg.test.ts needs KEYWARD_TEST_DATABASE_URL (scripts/with-postgres.sh)');

describe('housekeeping jobs with two server processes on one PostgreSQL', () => {
  let t: TestApp;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock(new Date()) });
    if (t.testDb.config.kind !== 'postgres') throw new Error('expected a PostgreSQL test database');
    const url = t.testDb.config.url;
    const env = { KEYWARD_JOBS: 'true' };
    servers.push(
      ...(await Promise.all([
        startServerProcess(url, env),
        startServerProcess(url, env),
        startServerProcess(url, env),
      ])),
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await t?.close();
  });

  it('runs each job once per slot, not once per process', async () => {
    // Each process looks 5 s after it started, then every 15 s: wait for all three jobs, then for two more looks.
    await vi.waitFor(
      async () => {
        const rows = await t.kw.database.db.selectFrom('job_runs').select(['job', 'status']).execute();
        expect(
          rows
            .filter((r) => r.status === 'succeeded')
            .map((r) => r.job)
            .sort(),
        ).toEqual(['flag-metrics.retention', 'job-runs.prune', 'sessions.cleanup']);
      },
      { timeout: 60_000, interval: 250 },
    );
    await new Promise((r) => setTimeout(r, 16_000));
    const rows = await t.kw.database.db.selectFrom('job_runs').select(['job', 'slot', 'owner']).execute();
    const perJob = new Map<string, number>();
    for (const r of rows) perJob.set(r.job, (perJob.get(r.job) ?? 0) + 1);
    // One run each (a process starting just before an hour boundary could add a second hourly slot: then 2).
    expect(perJob.get('job-runs.prune')).toBe(1);
    expect(perJob.get('flag-metrics.retention')).toBe(1);
    expect([1, 2]).toContain(perJob.get('sessions.cleanup'));
    expect(new Set(rows.map((r) => `${r.job}@${new Date(r.slot).toISOString()}`)).size).toBe(rows.length);
  }, 120_000);
});
