import os from 'node:os';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { DatabaseAvailability } from '../db/availability.ts';
import type { Db } from '../db/database.ts';
import { AppError, conflict } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Job, JobResult } from './job.ts';
import { claimSlot, finishRun, type JobRun, latestRuns } from './job-runs.repository.ts';

export interface JobSchedulerDeps {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  metrics: Metrics;
  /** Who runs the jobs, recorded with each run; default host:pid. */
  owner?: string;
  /** Where a database that cannot be reached is reported (logged once per outage, not on every look). */
  availability?: Pick<DatabaseAvailability, 'failed'>;
}

export type RunOutcome =
  | { job: string; status: 'succeeded'; result: JobResult }
  | { job: string; status: 'failed'; error: string };

/** How often a running server looks for due jobs. */
const TICK_MS = 15_000;

/**
 * Periodic housekeeping on every server process, run ONCE per slot across all of them: a job's slot (its
 * interval, aligned to the epoch) is claimed by inserting a `job_runs` row, and only the process whose insert
 * created it runs the job. Nothing in memory decides correctness; `#claimed` only spares repeated inserts.
 */
export class JobScheduler {
  readonly #jobs = new Map<string, Job>();
  readonly #claimed = new Map<string, number>();
  readonly #owner: string;
  #timer: NodeJS.Timeout | null = null;
  #tick: Promise<unknown> | null = null;

  constructor(private readonly deps: JobSchedulerDeps) {
    this.#owner = deps.owner ?? `${os.hostname()}:${process.pid}`;
  }

  register(job: Job): this {
    if (this.#jobs.has(job.name)) throw new Error(`job ${job.name} is registered twice`);
    if (!(job.everyMs >= 60_000)) throw new Error(`job ${job.name}: everyMs must be at least one minute`);
    this.#jobs.set(job.name, job);
    return this;
  }

  get jobs(): Job[] {
    return [...this.#jobs.values()];
  }

  /** Runs every job whose current slot no process has claimed yet; returns what this process ran. */
  async runDue(): Promise<RunOutcome[]> {
    const outcomes: RunOutcome[] = [];
    const now = this.deps.clock.now();
    for (const job of this.#jobs.values()) {
      const slotMs = Math.floor(now.getTime() / job.everyMs) * job.everyMs;
      if (this.#claimed.get(job.name) === slotMs) continue;
      const outcome = await this.#claimAndRun(job, new Date(slotMs), 'schedule');
      this.#claimed.set(job.name, slotMs);
      if (outcome) outcomes.push(outcome);
    }
    return outcomes;
  }

  /** Runs one job now (`keyward jobs run`), whatever its schedule. */
  async runNow(name: string): Promise<RunOutcome> {
    const job = this.#jobs.get(name);
    if (!job) {
      const known = [...this.#jobs.keys()].join(', ');
      throw new AppError('JOB_NOT_FOUND', 404, `There is no job named ${name}; the jobs are: ${known}`);
    }
    const outcome = await this.#claimAndRun(job, this.deps.clock.now(), 'manual');
    if (!outcome) throw conflict('JOB_ALREADY_RUNNING', `Job ${name} was started at this very moment elsewhere`);
    return outcome;
  }

  /** The newest run of each registered job (null: never ran). */
  async status(): Promise<{ job: Job; last: JobRun | null }[]> {
    const runs = new Map((await latestRuns(this.deps.db)).map((r) => [r.job, r]));
    return this.jobs.map((job) => ({ job, last: runs.get(job.name) ?? null }));
  }

  /**
   * One look of the background loop: {@link runDue}, never throwing. A failure is logged — except a database that
   * cannot be reached, which is reported to `availability` (logged once per outage, not every 15 s).
   */
  async tick(): Promise<void> {
    try {
      await this.runDue();
    } catch (err) {
      if (this.deps.availability?.failed(err)) return;
      this.deps.log.error({ err }, 'job scheduler: looking for due jobs failed');
    }
  }

  /** Looks for due jobs every 15 s (first look after `firstDelayMs`); the timer does not keep the process alive. */
  start(firstDelayMs = 5_000): void {
    if (this.#timer) return;
    const loop = (delay: number) => {
      this.#timer = setTimeout(() => {
        this.#tick = this.tick().finally(() => {
          this.#tick = null;
          if (this.#timer) loop(TICK_MS);
        });
      }, delay);
      this.#timer.unref();
    };
    loop(firstDelayMs);
  }

  /** Stops looking and waits for a job that is running (call before closing the database). */
  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#tick;
  }

  async #claimAndRun(job: Job, slot: Date, trigger: 'schedule' | 'manual'): Promise<RunOutcome | null> {
    const { db, clock, log, metrics } = this.deps;
    const claimed = await claimSlot(db, { job: job.name, slot, trigger, owner: this.#owner, startedAt: clock.now() });
    if (!claimed) return null;
    let outcome: RunOutcome;
    try {
      const result = await job.run({ db, now: clock.now(), log });
      outcome = { job: job.name, status: 'succeeded', result };
      log.info({ job: job.name, trigger, result }, 'job succeeded');
    } catch (err) {
      outcome = { job: job.name, status: 'failed', error: err instanceof Error ? err.message : String(err) };
      if (!this.deps.availability?.failed(err)) log.error({ err, job: job.name, trigger }, 'job failed');
    }
    metrics.jobRuns.inc({ job: job.name, status: outcome.status });
    await finishRun(db, { job: job.name, slot }, outcome, clock.now());
    return outcome;
  }
}
