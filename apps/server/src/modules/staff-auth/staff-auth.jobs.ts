import type { Job } from '../../platform/jobs/job.ts';
import { HOUR_MS } from '../../platform/jobs/job.ts';
import { deleteExpiredPasswordResets, deleteExpiredSessions } from './staff-auth.repository.ts';

/** Expired dashboard sessions and password links are of no use: removed hourly so the tables stay small. */
export const staffSessionsCleanupJob: Job = {
  name: 'sessions.cleanup',
  description: 'Deletes expired dashboard sessions and expired password links',
  everyMs: HOUR_MS,
  run: async ({ db, now }) => ({
    sessions: await deleteExpiredSessions(db, now),
    passwordLinks: await deleteExpiredPasswordResets(db, now),
  }),
};
