import type { Job } from '../../platform/jobs/job.ts';
import { HOUR_MS } from '../../platform/jobs/job.ts';
import { FORGET_FAILURES_AFTER_SECONDS } from './sign-in-throttle.ts';
import { deleteExpiredPasswordResets, deleteExpiredSessions, deleteStaleThrottles } from './staff-auth.repository.ts';

/**
 * Expired dashboard sessions and password links, and sign-in throttle rows whose failures are forgotten, are of no
 * use: removed hourly so the tables stay small.
 */
export const staffSessionsCleanupJob: Job = {
  name: 'sessions.cleanup',
  description: 'Deletes expired dashboard sessions, expired password links and forgotten sign-in failures',
  everyMs: HOUR_MS,
  run: async ({ db, now }) => ({
    sessions: await deleteExpiredSessions(db, now),
    passwordLinks: await deleteExpiredPasswordResets(db, now),
    signInThrottles: await deleteStaleThrottles(
      db,
      new Date(now.getTime() - FORGET_FAILURES_AFTER_SECONDS * 1000),
      now,
    ),
  }),
};
