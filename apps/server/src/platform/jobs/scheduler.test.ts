import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { type Database, openDatabase } from '../db/database.ts';
import { Metrics } from '../metrics.ts';
import type { Job } from './job.ts';
import { runsOf } from './job-runs.repository.ts';
import { JobScheduler } from './scheduler.ts';

const log = pino({ level: 'silent' });
const MINUTE = 60_000;

describe(`job scheduler (${dbKind})`, () => {
  let t: TestApp;
  /** A second connection pool on the same database: another server process as far as PostgreSQL can tell. */
  let other: Database;

  beforeAll(async () => {
    t = await startTestApp();
    other = t.testDb.config.kind === 'postgres' ? await openDatabase(t.testDb.config) : t.testDb.database;
  });
  afterAll(async () => {
    if (other !== t.testDb.database) await other.close();
    await t.close();
  });
  afterEach(async () => {
    await t.kw.jobs.stop();
  });

  let seq = 0;
  function countingJob(everyMs = 10 * MINUTE, fail = false) {
    const calls: Date[] = [];
    const job: Job = {
      name: `test.counting-${++seq}`,
      description: 'counts its runs',
      everyMs,
      run: async ({ now }) => {
        calls.push(now);
        await new Promise((r) => setTimeout(r, 20)); // long enough for the other scheduler to try the same slot
        if (fail) throw new Error('disk on fire');
        return { calls: calls.length };
      },
    };
    return { job, calls };
  }
  const scheduler = (db: Database, owner: string, metrics = new Metrics()) =>
    new JobScheduler({ db: db.db, clock: t.clock, log, metrics, owner });

  it('runs a slot exactly once when several processes look for due jobs at the same moment', async () => {
    const { job, calls } = countingJob();
    const schedulers = [
      scheduler(t.testDb.database, 'process-a'),
      scheduler(other, 'process-b'),
      scheduler(t.testDb.database, 'process-c'),
      scheduler(other, 'process-d'),
    ].map((s) => s.register(job));
    const outcomes = (await Promise.all(schedulers.map((s) => s.runDue()))).flat();

    expect(calls).toHaveLength(1);
    expect(outcomes).toEqual([{ job: job.name, status: 'succeeded', result: { calls: 1 } }]);
    const runs = await runsOf(t.kw.database.db, job.name, 10);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ status: 'succeeded', trigger: 'schedule', result: { calls: 1 }, error: null });
    expect(['process-a', 'process-b', 'process-c', 'process-d']).toContain(runs[0]?.owner);
    // The slot is aligned to the interval: 12:00:00 for a 10-minute job at 12:00 (the test clock's start).
    expect((runs[0]?.slot.getTime() ?? -1) % (10 * MINUTE)).toBe(0);
    expect(runs[0]?.finishedAt).not.toBeNull();
  });

  it('runs again in the next slot, not twice in one', async () => {
    const { job, calls } = countingJob();
    const a = scheduler(t.testDb.database, 'a').register(job);
    const b = scheduler(other, 'b').register(job);
    await a.runDue();
    t.clock.advanceSeconds(5 * 60); // same slot
    expect(await b.runDue()).toEqual([]);
    expect(await a.runDue()).toEqual([]);
    t.clock.advanceSeconds(5 * 60); // next slot
    const [first, second] = await Promise.all([b.runDue(), a.runDue()]);
    expect([...(first ?? []), ...(second ?? [])]).toHaveLength(1);
    expect(calls).toHaveLength(2);
    expect(await runsOf(t.kw.database.db, job.name, 10)).toHaveLength(2);
  });

  it('records a failing job with its error, counts it, and still runs the other jobs', async () => {
    const failing = countingJob(10 * MINUTE, true);
    const fine = countingJob();
    const metrics = new Metrics();
    const s = scheduler(t.testDb.database, 'a', metrics).register(failing.job).register(fine.job);
    const outcomes = await s.runDue();
    expect(outcomes).toEqual([
      { job: failing.job.name, status: 'failed', error: 'disk on fire' },
      { job: fine.job.name, status: 'succeeded', result: { calls: 1 } },
    ]);
    const [run] = await runsOf(t.kw.database.db, failing.job.name, 1);
    expect(run).toMatchObject({ status: 'failed', error: 'disk on fire', result: null });
    const text = await metrics.registry.metrics();
    expect(text).toContain(`keyward_job_runs_total{job="${failing.job.name}",status="failed"} 1`);
    expect(text).toContain(`keyward_job_runs_total{job="${fine.job.name}",status="succeeded"} 1`);
  });

  it('runs a job on demand whatever its schedule; an unknown job is JOB_NOT_FOUND', async () => {
    const { job, calls } = countingJob();
    const s = scheduler(t.testDb.database, 'a').register(job);
    await s.runDue();
    t.clock.advanceSeconds(1);
    await expect(s.runNow(job.name)).resolves.toMatchObject({ status: 'succeeded' });
    expect(calls).toHaveLength(2);
    const runs = await runsOf(t.kw.database.db, job.name, 10);
    expect(runs.map((r) => r.trigger)).toEqual(['manual', 'schedule']);
    await expect(s.runNow('no.such-job')).rejects.toMatchObject({ code: 'JOB_NOT_FOUND', status: 404 });
  });

  it('refuses a job that could run less often than once a minute, or twice under one name', () => {
    const s = scheduler(t.testDb.database, 'a');
    expect(() => s.register({ ...countingJob().job, everyMs: 1000 })).toThrow(/at least one minute/);
    const { job } = countingJob();
    s.register(job);
    expect(() => s.register(job)).toThrow(/registered twice/);
  });

  it("the app's scheduler, once started, runs every housekeeping job in the background", async () => {
    t.clock.advanceDays(3); // slots no earlier test claimed
    t.kw.jobs.start(0);
    const names = t.kw.jobs.jobs.map((j) => j.name);
    expect(names).toEqual(['sessions.cleanup', 'flag-metrics.retention', 'job-runs.prune']);
    await vi.waitFor(
      async () => {
        const status = await t.kw.jobs.status();
        expect(status.map((s) => s.last?.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
      },
      { timeout: 10_000, interval: 50 },
    );
    await t.kw.jobs.stop();
  });
});
