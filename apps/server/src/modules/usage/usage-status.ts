import type { UsageState } from '@keyward/sdk';
import type { Enforcement, ResetPeriod } from '../../platform/db/schema.ts';
import type { EffectiveProperty } from '../properties/effective.ts';
import type { UsagePeriod } from './usage-period.ts';

/**
 * The status of a counter against its limit (docs/usage-metering.md), pure:
 * - unlimited (limit null): always `ok`;
 * - hard: `exceeded` once used ≥ limit (no room is left: the next increment is refused), else `warning` at or
 *   above the warning threshold, else `ok`;
 * - soft: `exceeded` once used > limit (reaching the limit exactly is still within it), else `warning` at or above
 *   the threshold (the limit itself included), else `ok`.
 * The threshold is `warningAt = ceil(limit × percent / 100)`: "used ≥ percent % of the limit" in whole units.
 */

/** The limit a counter is metered against: the effective value, a whole number ≥ 0, or null (unlimited). */
export function limitOf(value: unknown): number | null {
  if (typeof value !== 'number' || !Number.isFinite(value)) return null;
  return Math.min(Math.max(0, Math.floor(value)), Number.MAX_SAFE_INTEGER);
}

export function warningAtOf(limit: number | null, percent: number | null): number | null {
  if (limit === null || percent === null) return null;
  return Math.ceil((limit * percent) / 100);
}

export function statusOf(
  used: number,
  limit: number | null,
  enforcement: Enforcement,
  warningAt: number | null,
): UsageState['status'] {
  if (limit === null) return 'ok';
  if (enforcement === 'hard' ? used >= limit : used > limit) return 'exceeded';
  if (warningAt !== null && used >= warningAt) return 'warning';
  return 'ok';
}

export interface MeterSettings {
  limit: number | null;
  enforcement: Enforcement;
  warningThresholdPercent: number | null;
  resetPeriod: ResetPeriod;
}

/** What the counter is metered against, from the property's effective value. */
export function meterSettingsOf(e: EffectiveProperty): MeterSettings {
  return {
    limit: limitOf(e.value),
    enforcement: e.enforcement ?? 'hard',
    warningThresholdPercent: e.property.warningThresholdPercent,
    resetPeriod: e.property.resetPeriod,
  };
}

export function usageStateOf(used: number, settings: MeterSettings, period: UsagePeriod): UsageState {
  const { limit, enforcement } = settings;
  const warningAt = warningAtOf(limit, settings.warningThresholdPercent);
  return {
    used,
    limit,
    remaining: limit === null ? null : Math.max(0, limit - used),
    enforcement,
    warningAt,
    status: statusOf(used, limit, enforcement, warningAt),
    resetPeriod: settings.resetPeriod,
    periodStart: period.start.toISOString(),
    periodEnd: period.end?.toISOString() ?? null,
  };
}

/** Metered number properties only: what the usage endpoints and the entitlements check report on. */
export const isMetered = (e: EffectiveProperty) => e.property.type === 'number' && e.property.metered;
