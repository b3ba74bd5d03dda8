import type { UsageState } from '@keyward/sdk';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { EffectiveProperty } from '../properties/effective.ts';
import { currentPeriod, maxPeriodLengthMs } from './usage-period.ts';
import { isMetered, meterSettingsOf, usageStateOf } from './usage-status.ts';

/**
 * Read function for other modules (the entitlements check, license files, explain): the current-period usage of a
 * license's metered properties, in ONE query whatever their number. `effective` are the license's effective
 * properties (properties.read.ts); non-metered ones are skipped. The license start (the periods' anchor) is read in
 * the same query, so callers need only the license id. A license that does not exist yields an empty map.
 */
export async function usageStatesOf(
  db: Db,
  refs: { licenseId: string },
  effective: readonly EffectiveProperty[],
  now: Date,
): Promise<Map<string, UsageState>> {
  const metered = effective.filter(isMetered);
  const states = new Map<string, UsageState>();
  if (metered.length === 0) return states;
  const ids = metered.map((e) => e.property.id);
  // The current period starts at the license start (none, or before the first period ends) or within one period
  // length before now: only those counters are read (at most two per property).
  const since = metered.map((e) => {
    const length = maxPeriodLengthMs(e.property.resetPeriod);
    return length === null ? null : new Date(now.getTime() - length).toISOString();
  });
  const { rows } = await sql<{
    starts_at: Date;
    property_id: string | null;
    period_start: Date | null;
    used: number | null;
  }>`
    SELECT l.starts_at, c.property_id, c.period_start, c.used
      FROM licenses l
      LEFT JOIN LATERAL (
        SELECT uc.property_id, uc.period_start, uc.used
          FROM unnest(${ids}::uuid[], ${since}::timestamptz[]) AS w(property_id, since)
          JOIN usage_counters uc ON uc.license_id = l.id AND uc.property_id = w.property_id
                                AND (uc.period_start = l.starts_at OR uc.period_start > w.since)
      ) c ON true
     WHERE l.id = ${refs.licenseId}::uuid`.execute(db);
  const first = rows[0];
  if (!first) return states;
  const anchor = new Date(first.starts_at);
  const counters = new Map<string, number>();
  for (const row of rows) {
    if (row.property_id !== null && row.period_start !== null && row.used !== null) {
      counters.set(`${row.property_id}@${new Date(row.period_start).getTime()}`, row.used);
    }
  }
  for (const e of metered) {
    const settings = meterSettingsOf(e);
    const period = currentPeriod(settings.resetPeriod, anchor, now);
    const used = counters.get(`${e.property.id}@${period.start.getTime()}`) ?? 0;
    states.set(e.property.id, usageStateOf(used, settings, period));
  }
  return states;
}
