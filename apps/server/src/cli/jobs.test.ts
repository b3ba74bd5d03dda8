import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind } from '../../test/harness.ts';
import { type CliKit, startCliKit } from './cli-test-kit.ts';

describe(`keyward jobs (${dbKind})`, () => {
  let kit: CliKit;
  beforeAll(async () => {
    kit = await startCliKit();
  });
  afterAll(async () => kit.close());

  it('lists the housekeeping jobs, runs one on demand and shows its last run', async () => {
    const before = await kit.cli(['jobs', 'list']);
    expect(before.code).toBe(0);
    for (const name of ['sessions.cleanup', 'flag-metrics.retention', 'job-runs.prune']) {
      expect(before.stdout).toContain(name);
    }
    expect(before.stdout).toContain('never');

    const run = await kit.cli(['jobs', 'run', 'sessions.cleanup']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.trim()).toBe('sessions.cleanup succeeded: sessions=0 passwordLinks=0 signInThrottles=0');

    const after = await kit.cli(['jobs', 'list', '--json']);
    const jobs = JSON.parse(after.stdout).jobs as { name: string; everyMs: number; lastRun: unknown }[];
    expect(jobs.find((j) => j.name === 'sessions.cleanup')).toMatchObject({
      everyMs: 3_600_000,
      lastRun: {
        status: 'succeeded',
        trigger: 'manual',
        result: { sessions: 0, passwordLinks: 0, signInThrottles: 0 },
      },
    });
    expect(jobs.find((j) => j.name === 'job-runs.prune')?.lastRun).toBeNull();
  });

  it('names the known jobs when asked for an unknown one (exit 1)', async () => {
    const res = await kit.cli(['jobs', 'run', 'sessions.clean']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('JOB_NOT_FOUND');
    expect(res.stderr).toContain('sessions.cleanup');
  });
});
