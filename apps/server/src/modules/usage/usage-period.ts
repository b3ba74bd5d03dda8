import { capDate } from '../../platform/clock.ts';
import type { ResetPeriod } from '../../platform/db/schema.ts';

/**
 * Usage periods (docs/usage-metering.md): a metered counter resets on its property's period, anchored to the
 * license start, in UTC. Pure.
 *
 * - none: one period, [start, ∞).
 * - daily: [start + n days, start + n + 1 days).
 * - monthly: [start + n months, start + n + 1 months), each computed from the anchor with the day of month clamped
 *   to the month's length: anchored on Jan 31 the periods start on Feb 28 (29), Mar 31, Apr 30, ….
 * - yearly: the same with 12 months (anchored on Feb 29: Feb 28 in common years, Feb 29 in leap years).
 *
 * A period includes its start and excludes its end: the instant of a boundary belongs to the new period. Before the
 * license start, usage counts in the first period.
 */
export interface UsagePeriod {
  start: Date;
  /** Exclusive; null for reset period none. */
  end: Date | null;
}

const DAY_MS = 86_400_000;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The anchor moved by whole months, the day of month clamped to the target month's length; time of day kept. */
export function addMonthsClamped(anchor: Date, months: number): Date {
  const total = anchor.getUTCFullYear() * 12 + anchor.getUTCMonth() + months;
  const year = Math.floor(total / 12);
  const month = total - year * 12;
  const day = Math.min(anchor.getUTCDate(), daysInMonth(year, month));
  const d = new Date(anchor.getTime());
  // setUTCFullYear with all three parts at once: setting them one by one could overflow through a short month.
  d.setUTCFullYear(year, month, day);
  return d;
}

function monthlyPeriod(anchor: Date, now: Date, step: number): UsagePeriod {
  const months = (now.getUTCFullYear() - anchor.getUTCFullYear()) * 12 + (now.getUTCMonth() - anchor.getUTCMonth());
  // A first guess from the calendar months between the two, corrected down when that period has not begun yet.
  let n = Math.max(0, Math.floor(months / step));
  if (n > 0 && addMonthsClamped(anchor, n * step) > now) n -= 1;
  return { start: addMonthsClamped(anchor, n * step), end: addMonthsClamped(anchor, (n + 1) * step) };
}

/**
 * The period of `resetPeriod` that contains `now`, for a license that started at `anchor`. A period that would end
 * after the year 9999 ends then (capDate).
 */
export function currentPeriod(resetPeriod: ResetPeriod, anchor: Date, now: Date): UsagePeriod {
  const period = uncappedPeriod(resetPeriod, anchor, now);
  return period.end ? { start: period.start, end: capDate(period.end) } : period;
}

function uncappedPeriod(resetPeriod: ResetPeriod, anchor: Date, now: Date): UsagePeriod {
  switch (resetPeriod) {
    case 'none':
      return { start: new Date(anchor.getTime()), end: null };
    case 'daily': {
      const n = Math.max(0, Math.floor((now.getTime() - anchor.getTime()) / DAY_MS));
      const start = anchor.getTime() + n * DAY_MS;
      return { start: new Date(start), end: new Date(start + DAY_MS) };
    }
    case 'monthly':
      return monthlyPeriod(anchor, now, 1);
    case 'yearly':
      return monthlyPeriod(anchor, now, 12);
  }
}

/** The end of the period that starts at `start` (history of past periods); null for none. */
export function periodEndOf(resetPeriod: ResetPeriod, anchor: Date, start: Date): Date | null {
  return currentPeriod(resetPeriod, anchor, start).end;
}

/**
 * How far back the current period's start can lie (ms), or null when it is always the license start (none). Used to
 * read current counters without knowing the license start in advance (usage.read.ts).
 */
export function maxPeriodLengthMs(resetPeriod: ResetPeriod): number | null {
  switch (resetPeriod) {
    case 'none':
      return null;
    case 'daily':
      return DAY_MS;
    case 'monthly':
      return 31 * DAY_MS;
    case 'yearly':
      return 366 * DAY_MS;
  }
}
