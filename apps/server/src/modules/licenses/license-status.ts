import { addDays, capDate } from '../../platform/clock.ts';

/** Computed on every read from the dates and flags; never stored, so it is never stale. */
export type LicenseStatus = 'pending' | 'active' | 'expiring' | 'in_grace' | 'expired' | 'suspended' | 'revoked';

export const LICENSE_STATUSES: LicenseStatus[] = [
  'pending',
  'active',
  'expiring',
  'in_grace',
  'expired',
  'suspended',
  'revoked',
];

export interface StatusInput {
  starts_at: Date;
  ends_at: Date | null;
  suspended: boolean;
  revoked: boolean;
}

/** When the grace period ends (null for licenses that never expire; capped at the year 9999, see capDate). */
export function graceEndsAt(license: Pick<StatusInput, 'ends_at'>, graceDays: number): Date | null {
  return license.ends_at ? capDate(addDays(license.ends_at, graceDays)) : null;
}

/**
 * Precedence: revoked > suspended > pending > expired > in grace > expiring > active.
 * `expiring` = ends within `expiringWindowDays` (default 30) from now.
 */
export function computeStatus(
  license: StatusInput,
  graceDays: number,
  now: Date,
  expiringWindowDays = 30,
): LicenseStatus {
  if (license.revoked) return 'revoked';
  if (license.suspended) return 'suspended';
  if (license.starts_at > now) return 'pending';
  if (license.ends_at) {
    if (license.ends_at <= now) {
      const graceEnd = graceEndsAt(license, graceDays)!;
      return graceEnd > now ? 'in_grace' : 'expired';
    }
    if (license.ends_at <= addDays(now, expiringWindowDays)) return 'expiring';
  }
  return 'active';
}
