import { DAY_MS } from '../clock.ts';
import type { Job } from './job.ts';
import { deleteRunsBefore } from './job-runs.repository.ts';

/** How long job runs are kept (the record of what housekeeping did). */
export const JOB_RUNS_KEPT_DAYS = 30;

export const jobRunsPruneJob: Job = {
  name: 'job-runs.prune',
  description: `Deletes job runs older than ${JOB_RUNS_KEPT_DAYS} days`,
  everyMs: DAY_MS,
  run: async ({ db, now }) => ({
    deleted: await deleteRunsBefore(db, new Date(now.getTime() - JOB_RUNS_KEPT_DAYS * DAY_MS)),
  }),
};
