/**
 * A small clock-rollback guard. Offline, a user can set the machine clock back to stretch an expiring license or
 * license file. The guard remembers the latest trustworthy time it has seen (a monotonic maximum of this clock, the
 * server's signed `ts` values and license files' `issuedAt`) and flags a clock that is now earlier than that.
 * The app persists `serialize()` (a file, localStorage, the registry …) and restores it at start. A heuristic: it
 * catches setting the clock back after a run, not a clock that was always wrong.
 */
export type ClockCheck = { ok: true; lastSeen: Date | null } | { ok: false; lastSeen: Date; behindBySeconds: number };

export interface ClockGuardOptions {
  /** The persisted value (from `serialize()`), or a time. */
  lastSeen?: Date | string | number | null;
  /** How far back the clock may go without being flagged (NTP corrections, DST bugs). Default 300 s. */
  toleranceSeconds?: number;
}

const toMs = (value: Date | string | number | null | undefined): number | null => {
  if (value === null || value === undefined || value === '') return null;
  const ms = new Date(value).getTime();
  return Number.isFinite(ms) ? ms : null;
};

export class ClockGuard {
  #lastSeen: number | null;
  readonly toleranceMs: number;

  constructor(options: ClockGuardOptions = {}) {
    this.#lastSeen = toMs(options.lastSeen);
    this.toleranceMs = (options.toleranceSeconds ?? 300) * 1000;
  }

  /** Restores a guard from what `serialize()` returned (null or garbage: a fresh guard). */
  static restore(saved: string | null | undefined, options: Omit<ClockGuardOptions, 'lastSeen'> = {}): ClockGuard {
    return new ClockGuard({ ...options, lastSeen: saved ?? null });
  }

  /** The latest time seen, or null before the first observation. Pass it as `lastSeenAt` to verifyLicenseFile. */
  get lastSeen(): Date | null {
    return this.#lastSeen === null ? null : new Date(this.#lastSeen);
  }

  /** Is `now` (default: this clock) no earlier than the latest time seen, minus the tolerance? Records nothing. */
  check(now: Date | number = Date.now()): ClockCheck {
    const ms = new Date(now).getTime();
    if (this.#lastSeen === null || ms >= this.#lastSeen - this.toleranceMs)
      return { ok: true, lastSeen: this.lastSeen };
    return { ok: false, lastSeen: new Date(this.#lastSeen), behindBySeconds: Math.round((this.#lastSeen - ms) / 1000) };
  }

  /**
   * Records a time (default: this clock) if it is later than the latest seen — the maximum only moves forward.
   * Returns the value to persist.
   */
  observe(time: Date | string | number = Date.now()): string {
    const ms = toMs(time);
    if (ms !== null && (this.#lastSeen === null || ms > this.#lastSeen)) this.#lastSeen = ms;
    return this.serialize();
  }

  /** The value to persist: the latest time seen as ISO-8601, or '' when none. */
  serialize(): string {
    return this.#lastSeen === null ? '' : new Date(this.#lastSeen).toISOString();
  }
}
