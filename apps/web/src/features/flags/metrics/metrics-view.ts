import type { FlagMetricsBucket } from './flag-metrics-api.ts';

/** The panel's windows: 24 hours in hourly bars, 7 and 30 days in daily bars (the viewer's calendar days). */
export const WINDOWS = ['24h', '7d', '30d'] as const;
export type MetricsWindow = (typeof WINDOWS)[number];

const HOUR_MS = 3_600_000;
const MAX_HOURS = 24 * 90;

/** Local midnight of the day `days` before `now`'s. */
function startOfLocalDay(now: Date, daysBack: number): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysBack);
}

/**
 * The `hours` to ask for: 24 for the day view; for days, enough hours to reach back to local midnight of the
 * first day (today counts as one), so every bar is a whole calendar day except today's.
 */
export function hoursFor(window: MetricsWindow, now: Date): number {
  if (window === '24h') return 24;
  const days = window === '7d' ? 7 : 30;
  const currentHourEnd = (Math.floor(now.getTime() / HOUR_MS) + 1) * HOUR_MS;
  const hours = Math.ceil((currentHourEnd - startOfLocalDay(now, days - 1).getTime()) / HOUR_MS);
  return Math.min(Math.max(hours, 1), MAX_HOURS);
}

export interface Bar {
  /** Start of the hour or local day (ISO). */
  at: string;
  yes: number;
  no: number;
}

const localDayKey = (d: Date) => `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;

/** Hourly buckets as they come (24 h), or summed per local calendar day. */
export function barsOf(buckets: FlagMetricsBucket[], window: MetricsWindow): Bar[] {
  if (window === '24h') return buckets.map((b) => ({ at: b.hour, yes: b.yes, no: b.no }));
  const bars: Bar[] = [];
  let key = '';
  for (const b of buckets) {
    const at = new Date(b.hour);
    const k = localDayKey(at);
    const last = bars.at(-1);
    if (k === key && last) {
      last.yes += b.yes;
      last.no += b.no;
    } else {
      key = k;
      bars.push({
        at: new Date(at.getFullYear(), at.getMonth(), at.getDate()).toISOString(),
        yes: b.yes,
        no: b.no,
      });
    }
  }
  return bars;
}

/** Share of `part` in `total` as 0…1 (0 when there is nothing). */
export const share = (part: number, total: number) => (total > 0 ? part / total : 0);

/** Variants by count, largest first (ties by name). */
export function variantRows(variants: Record<string, number>): Array<{ name: string; count: number }> {
  return Object.entries(variants)
    .map(([name, count]) => ({ name, count }))
    .filter((v) => v.count > 0)
    .sort((a, b) => b.count - a.count || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
