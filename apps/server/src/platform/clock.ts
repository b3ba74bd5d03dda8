/** Time source. Everything that compares dates takes a Clock, so tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock tests can set and advance. */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string = '2026-01-15T12:00:00.000Z') {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(at: Date | string): void {
    this.#ms = new Date(at).getTime();
  }
  advanceDays(days: number): void {
    this.#ms += days * 86_400_000;
  }
  advanceSeconds(seconds: number): void {
    this.#ms += seconds * 1000;
  }
}

export const DAY_MS = 86_400_000;

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/**
 * The instants Keyward stores and accepts: 0001-01-01T00:00:00.000Z to 9999-12-31T23:59:59.999Z (UTC). PostgreSQL
 * reaches further, but outside years 1–9999 there is no ISO 8601 form both database drivers send (year 0 and
 * 5-digit years are refused), and every date the API returns stays a plain RFC 3339 string.
 */
export const EARLIEST_DATE = '0001-01-01T00:00:00.000Z';
export const LATEST_DATE = '9999-12-31T23:59:59.999Z';
const EARLIEST_MS = Date.parse(EARLIEST_DATE);
const LATEST_MS = Date.parse(LATEST_DATE);

/** A valid Date between EARLIEST_DATE and LATEST_DATE (inclusive). */
export function isStorableDate(date: Date): boolean {
  const ms = date.getTime();
  return ms >= EARLIEST_MS && ms <= LATEST_MS;
}

/**
 * A computed date (an end plus grace days, the end of a usage period) capped at LATEST_DATE: what lasts beyond the
 * year 9999 is shown as ending then, so every date the API returns stays an RFC 3339 string.
 */
export function capDate(date: Date): Date {
  return date.getTime() > LATEST_MS ? new Date(LATEST_MS) : date;
}
