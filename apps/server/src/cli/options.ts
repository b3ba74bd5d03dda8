import { InvalidArgumentError } from 'commander';
import { isStorableDate } from '../platform/clock.ts';

/** Option parsers: they throw commander's InvalidArgumentError, which prints as a usage error (exit 2). */

export function wholeNumber(min = 0, max = 1_000_000_000) {
  return (raw: string): number => {
    if (!/^\d+$/.test(raw.trim())) throw new InvalidArgumentError('must be a whole number');
    const n = Number(raw);
    if (n < min || n > max) throw new InvalidArgumentError(`must be between ${min} and ${max}`);
    return n;
  };
}

/** Whole days, possibly negative (e.g. `--days -7` to take a week back). */
export function days(raw: string): number {
  if (!/^-?\d+$/.test(raw.trim())) throw new InvalidArgumentError('must be a whole number of days');
  const n = Number(raw);
  if (n === 0 || Math.abs(n) > 36_500) throw new InvalidArgumentError('must be between -36500 and 36500, not 0');
  return n;
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * A date as people type it: `2026-12-31` (midnight UTC) or an ISO date-time (UTC unless it has an offset).
 * Returns null for anything else, including impossible dates like 2026-02-30 and dates outside years 0001–9999
 * (what the API accepts: platform/http/formats.ts).
 */
export function parseDateValue(raw: string): Date | null {
  const text = raw.trim();
  if (!DATE_ONLY.test(text) && !DATE_TIME.test(text)) return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const iso = DATE_ONLY.test(text)
    ? `${text}T00:00:00Z`
    : hasZone
      ? text.replace(' ', 'T')
      : `${text.replace(' ', 'T')}Z`;
  const date = new Date(iso);
  if (!isStorableDate(date)) return null;
  // Reject rollovers (2026-02-30 -> March 2).
  if (date.toISOString().slice(0, 10) !== text.slice(0, 10) && !hasZone) return null;
  return date;
}

export function dateOption(raw: string): Date {
  const date = parseDateValue(raw);
  if (!date) {
    throw new InvalidArgumentError('must be a date like 2026-12-31 or 2026-12-31T17:00:00Z, in years 0001–9999');
  }
  return date;
}

/** `a,b , c` → ['a','b','c'] (empty parts dropped). */
export function list(raw: string): string[] {
  return raw
    .split(/[,;]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function oneOf<T extends string>(values: readonly T[]) {
  return (raw: string): T => {
    if (!(values as readonly string[]).includes(raw))
      throw new InvalidArgumentError(`must be one of ${values.join(', ')}`);
    return raw as T;
  };
}
