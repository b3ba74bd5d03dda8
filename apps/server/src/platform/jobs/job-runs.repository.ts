import type { Db } from '../db/database.ts';
import type { JobStatus, JobTrigger } from '../db/schema.ts';
import type { JobResult } from './job.ts';

export interface JobRun {
  job: string;
  slot: Date;
  trigger: JobTrigger;
  owner: string;
  status: JobStatus;
  startedAt: Date;
  finishedAt: Date | null;
  result: Record<string, unknown> | null;
  error: string | null;
}

/**
 * Claims a job's slot: true for exactly one caller however many processes try (the primary key decides). The
 * claim is its own statement, committed before the job runs, so other processes see it at once.
 */
export async function claimSlot(
  db: Db,
  run: { job: string; slot: Date; trigger: JobTrigger; owner: string; startedAt: Date },
): Promise<boolean> {
  const row = await db
    .insertInto('job_runs')
    .values({
      job: run.job,
      slot: run.slot,
      trigger: run.trigger,
      owner: run.owner,
      status: 'running',
      started_at: run.startedAt,
      finished_at: null,
      result: null,
      error: null,
    })
    .onConflict((oc) => oc.columns(['job', 'slot']).doNothing())
    .returning('job')
    .executeTakeFirst();
  return row !== undefined;
}

export async function finishRun(
  db: Db,
  key: { job: string; slot: Date },
  outcome: { status: 'succeeded'; result: JobResult } | { status: 'failed'; error: string },
  finishedAt: Date,
): Promise<void> {
  await db
    .updateTable('job_runs')
    .set({
      status: outcome.status,
      finished_at: finishedAt,
      result: outcome.status === 'succeeded' ? JSON.stringify(outcome.result) : null,
      error: outcome.status === 'failed' ? outcome.error : null,
    })
    .where('job', '=', key.job)
    .where('slot', '=', key.slot)
    .execute();
}

const toRun = (r: {
  job: string;
  slot: Date;
  trigger: JobTrigger;
  owner: string;
  status: JobStatus;
  started_at: Date;
  finished_at: Date | null;
  result: unknown;
  error: string | null;
}): JobRun => ({
  job: r.job,
  slot: r.slot,
  trigger: r.trigger,
  owner: r.owner,
  status: r.status,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  result: (r.result as Record<string, unknown> | null) ?? null,
  error: r.error,
});

/** The newest run of each job. */
export async function latestRuns(db: Db): Promise<JobRun[]> {
  const rows = await db
    .selectFrom('job_runs')
    .selectAll()
    .distinctOn('job')
    .orderBy('job')
    .orderBy('started_at', 'desc')
    .execute();
  return rows.map(toRun);
}

/** Runs of one job, newest first. */
export async function runsOf(db: Db, job: string, limit: number): Promise<JobRun[]> {
  const rows = await db
    .selectFrom('job_runs')
    .selectAll()
    .where('job', '=', job)
    .orderBy('started_at', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toRun);
}

export async function deleteRunsBefore(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('job_runs').where('started_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
