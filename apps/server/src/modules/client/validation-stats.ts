import type { FastifyBaseLogger } from 'fastify';
import type { DatabaseAvailability } from '../../platform/db/availability.ts';
import type { Db } from '../../platform/db/database.ts';
import { addValidationStats } from './client.repository.ts';

const FLUSH_EVERY_MS = 1000;
const ROWS_PER_STATEMENT = 1000;

/**
 * Per-process buffer of validation statistics (licenses.validation_count, last_validated_at), so a validation
 * never waits on a write. Flushed every second with one UPDATE … FROM (VALUES …) per 1,000 licenses, adding the
 * counts (correct with several processes) and keeping the later timestamp; flushed again when the app closes.
 * A crash (kill -9) loses at most the last second of these statistics — never any license or machine data.
 * A failed flush (database away, deadlock with another process) puts its counts back for the next attempt; a
 * database that cannot be reached is reported to `availability` (one log line per outage), not logged every second.
 */
export class ValidationStats {
  #pending = new Map<string, { count: number; lastAt: Date }>();
  #timer: NodeJS.Timeout | null = null;
  #flushing: Promise<void> | null = null;
  #closed = false;

  constructor(
    private readonly deps: { db: Db; log?: FastifyBaseLogger; availability?: Pick<DatabaseAvailability, 'failed'> },
  ) {}

  /** Counts one validation of a license at `at` (the injected clock's now). */
  record(licenseId: string, at: Date): void {
    const entry = this.#pending.get(licenseId);
    if (entry) {
      entry.count += 1;
      if (at > entry.lastAt) entry.lastAt = at;
    } else {
      this.#pending.set(licenseId, { count: 1, lastAt: at });
    }
    if (!this.#timer && !this.#closed) {
      this.#timer = setInterval(() => void this.flush(), FLUSH_EVERY_MS);
      this.#timer.unref();
    }
  }

  /** Writes what is buffered; concurrent calls share one flush at a time. */
  async flush(): Promise<void> {
    while (this.#flushing) await this.#flushing;
    if (this.#pending.size === 0) return;
    const batch = this.#pending;
    this.#pending = new Map();
    this.#flushing = this.#write(batch).finally(() => {
      this.#flushing = null;
    });
    await this.#flushing;
  }

  async #write(batch: Map<string, { count: number; lastAt: Date }>): Promise<void> {
    const rows = [...batch]
      .map(([licenseId, v]) => ({ licenseId, ...v }))
      .sort((a, b) => (a.licenseId < b.licenseId ? -1 : 1));
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      const chunk = rows.slice(i, i + ROWS_PER_STATEMENT);
      try {
        await addValidationStats(this.deps.db, chunk);
      } catch (err) {
        if (!this.deps.availability?.failed(err)) {
          this.deps.log?.warn({ err, licenses: chunk.length }, 'validation statistics flush failed; will retry');
        }
        for (const r of chunk) this.#merge(r.licenseId, r.count, r.lastAt);
      }
    }
  }

  #merge(licenseId: string, count: number, lastAt: Date): void {
    const entry = this.#pending.get(licenseId);
    if (!entry) this.#pending.set(licenseId, { count, lastAt });
    else {
      entry.count += count;
      if (lastAt > entry.lastAt) entry.lastAt = lastAt;
    }
  }

  /** Stops the timer and writes the rest (app onClose, before the database closes). */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.flush();
  }
}
