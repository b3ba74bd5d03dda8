import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import { isDatabaseUnavailable, pgErrorCode } from '../errors.ts';

export interface AvailabilityDeps {
  /** A trivial query; throws when the database cannot answer. */
  ping(): Promise<unknown>;
  log: FastifyBaseLogger;
  clock: Clock;
  /** How often to look whether the database is back during an outage. */
  probeEveryMs?: number;
}

const PROBE_EVERY_MS = 2000;

/** What an outage log line says about its cause: the driver's code and message, never a stack. */
function reasonOf(err: unknown): { code?: string; reason: string } {
  const code = pgErrorCode(err);
  const reason = err instanceof Error ? err.message : String(err);
  return code ? { code, reason } : { reason };
}

/**
 * Whether this process can reach its database, with one log line per transition: every part that meets a database
 * error (the error handler, the job scheduler, the statistics flush, the pools' idle connections) reports it here
 * instead of logging it; the first report of an outage logs `database unreachable` (error), and a probe (one
 * `select 1` every {@link PROBE_EVERY_MS} ms, only during the outage) or a successful health check logs
 * `database reachable again` (info). Nothing here decides an answer: requests still try the database (the pools
 * reconnect by themselves) and get 503 DATABASE_UNAVAILABLE while it fails.
 */
export class DatabaseAvailability {
  #down: { sinceMs: number } | null = null;
  #probe: NodeJS.Timeout | null = null;
  #closed = false;

  constructor(private readonly deps: AvailabilityDeps) {}

  /** True between the first failure of an outage and the next successful query of a probe or health check. */
  get down(): boolean {
    return this.#down !== null;
  }

  /**
   * Reports an error met on the database. Returns true when it means the database cannot be reached (the caller
   * then logs nothing itself: the outage is logged once, here); false for any other error.
   */
  failed(err: unknown): boolean {
    if (!isDatabaseUnavailable(err)) return false;
    this.#markDown(reasonOf(err));
    return true;
  }

  /** Asks the database now (health check); updates the state and returns whether it answered. */
  async check(): Promise<boolean> {
    try {
      await this.deps.ping();
    } catch (err) {
      this.#markDown(reasonOf(err));
      return false;
    }
    this.#markUp();
    return true;
  }

  /** Stops probing (app close). */
  close(): void {
    this.#closed = true;
    if (this.#probe) clearTimeout(this.#probe);
    this.#probe = null;
  }

  #markDown(cause: { code?: string; reason: string }): void {
    if (this.#down) return;
    this.#down = { sinceMs: this.deps.clock.now().getTime() };
    this.deps.log.error(
      { database: 'unreachable', ...cause },
      'database unreachable: requests get 503 DATABASE_UNAVAILABLE until it is back',
    );
    this.#scheduleProbe();
  }

  #markUp(): void {
    if (!this.#down) return;
    const downForMs = Math.max(0, this.deps.clock.now().getTime() - this.#down.sinceMs);
    this.#down = null;
    if (this.#probe) clearTimeout(this.#probe);
    this.#probe = null;
    this.deps.log.info({ database: 'reachable', downForMs }, 'database reachable again');
  }

  #scheduleProbe(): void {
    if (this.#closed || this.#probe) return;
    this.#probe = setTimeout(() => {
      this.#probe = null;
      if (this.#closed || !this.#down) return;
      void this.check().then((ok) => {
        if (!ok) this.#scheduleProbe();
      });
    }, this.deps.probeEveryMs ?? PROBE_EVERY_MS);
    this.#probe.unref();
  }
}
