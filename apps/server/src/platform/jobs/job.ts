import type { FastifyBaseLogger } from 'fastify';
import type { Db } from '../db/database.ts';

/** What a job gets: the database, the time of its run (from the injected clock) and a logger. */
export interface JobContext {
  db: Db;
  now: Date;
  log: FastifyBaseLogger;
}

/** What a job reports (e.g. `{ deleted: 12 }`): stored with the run and printed by `keyward jobs`. */
export type JobResult = Record<string, number | string | boolean>;

/**
 * A periodic job. Jobs must be safe to run again (idempotent housekeeping): a slot runs once, but a process that
 * dies mid-run leaves its slot `running` and the work is done by the next slot.
 */
export interface Job {
  /** Stable name, `<area>.<what>` (e.g. `sessions.cleanup`); the key of its runs. */
  name: string;
  description: string;
  /** Runs once per interval, slots aligned to the Unix epoch (daily = after 00:00 UTC). */
  everyMs: number;
  run(ctx: JobContext): Promise<JobResult>;
}

export const HOUR_MS = 3_600_000;
