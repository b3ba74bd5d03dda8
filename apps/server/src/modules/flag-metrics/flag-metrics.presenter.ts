import type { FlagRef } from '../flags/flags.read.ts';
import type { FlagClientRow, MetricHourRow } from './flag-metrics.repository.ts';
import type { FlagClientDto, FlagMetricsDto } from './flag-metrics.schemas.ts';

export const HOUR_MS = 3_600_000;
/** Unleash SDKs send metrics every 60 s unless configured otherwise. */
export const DEFAULT_INTERVAL_MS = 60_000;

const addInto = (into: Record<string, number>, from: Record<string, number>) => {
  for (const [name, n] of Object.entries(from)) into[name] = (into[name] ?? 0) + Number(n);
};

/**
 * The window's hourly buckets (every hour from `from` to the current one, zeros where nothing was reported),
 * totals, and the flag's first and last reported hour.
 */
export function presentFlagMetrics(
  flag: FlagRef,
  window: { hours: number; from: Date; to: Date },
  rows: MetricHourRow[],
  range: { first: Date | null; last: Date | null },
): FlagMetricsDto {
  const byHour = new Map(rows.map((r) => [r.hour.getTime(), r]));
  const totals = { yes: 0, no: 0, variants: {} as Record<string, number> };
  const buckets: FlagMetricsDto['buckets'] = [];
  for (let ms = window.from.getTime(); ms < window.to.getTime(); ms += HOUR_MS) {
    const row = byHour.get(ms);
    const variants: Record<string, number> = {};
    if (row) addInto(variants, row.variants);
    const bucket = { hour: new Date(ms).toISOString(), yes: row?.yes ?? 0, no: row?.no ?? 0, variants };
    totals.yes += bucket.yes;
    totals.no += bucket.no;
    addInto(totals.variants, variants);
    buckets.push(bucket);
  }
  return {
    flagId: flag.id,
    flagKey: flag.key,
    productId: flag.productId,
    hours: window.hours,
    from: window.from.toISOString(),
    to: window.to.toISOString(),
    buckets,
    totals,
    firstReportedHour: range.first?.toISOString() ?? null,
    lastReportedHour: range.last?.toISOString() ?? null,
  };
}

/** Stale: not seen for more than three metrics intervals (computed against the clock, never stored). */
export function isStale(row: Pick<FlagClientRow, 'interval_ms' | 'last_seen_at'>, now: Date): boolean {
  const interval = row.interval_ms && row.interval_ms > 0 ? row.interval_ms : DEFAULT_INTERVAL_MS;
  return now.getTime() - row.last_seen_at.getTime() > 3 * interval;
}

export function presentFlagClient(row: FlagClientRow, now: Date): FlagClientDto {
  return {
    appName: row.app_name,
    instanceId: row.instance_id,
    sdkVersion: row.sdk_version,
    strategies: row.strategies.filter((s): s is string => typeof s === 'string'),
    intervalMs: row.interval_ms,
    startedAt: row.started_at?.toISOString() ?? null,
    registeredAt: row.registered_at.toISOString(),
    lastSeenAt: row.last_seen_at.toISOString(),
    stale: isStale(row, now),
    token: { id: row.token_id, name: row.token_name },
    product: { id: row.product_id, code: row.product_code, name: row.product_name },
  };
}
