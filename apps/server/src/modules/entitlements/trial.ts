import { capDate, DAY_MS } from '../../platform/clock.ts';
import type { ExpirationStrategy, LicenseType } from '../../platform/db/schema.ts';
import type { TrialState } from './entitlements.types.ts';

export interface TrialInput {
  /** The license's type (set from its plan when issued). */
  licenseType: LicenseType;
  startsAt: Date;
  endsAt: Date | null;
  /** The plan's grace days. */
  graceDays: number;
  /** The plan's expiration strategy. */
  expirationStrategy: ExpirationStrategy;
}

/**
 * The trial and expiry dates of a license at `now`, every date computed here so offline instances never
 * re-implement date logic (same boundaries as license-status.ts: a license ends exactly at endsAt, its grace exactly
 * at endsAt + grace days).
 * - daysLeft: whole days until endsAt, rounded up (23 h → 1 day), 0 once ended, null when it never ends.
 * - graceEndsAt: endsAt + grace days (= endsAt without grace), null when it never ends.
 * - softExpiry: past its end the software keeps working (strategy allow or maintain).
 * - phase: not_started (before startsAt), active (until endsAt), grace (until graceEndsAt), ended.
 */
export function trialState(input: TrialInput, now: Date): TrialState {
  const { startsAt, endsAt } = input;
  const graceEndsAt = endsAt ? capDate(new Date(endsAt.getTime() + input.graceDays * DAY_MS)) : null;
  let phase: TrialState['phase'];
  if (startsAt > now) phase = 'not_started';
  else if (!endsAt || endsAt > now) phase = 'active';
  else if (graceEndsAt && graceEndsAt > now) phase = 'grace';
  else phase = 'ended';
  return {
    isTrial: input.licenseType === 'trial',
    startsAt: startsAt.toISOString(),
    endsAt: endsAt?.toISOString() ?? null,
    daysLeft: endsAt ? Math.max(0, Math.ceil((endsAt.getTime() - now.getTime()) / DAY_MS)) : null,
    graceEndsAt: graceEndsAt?.toISOString() ?? null,
    softExpiry: input.expirationStrategy === 'allow' || input.expirationStrategy === 'maintain',
    phase,
  };
}
