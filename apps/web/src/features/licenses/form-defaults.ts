import dayjs from 'dayjs';
import type { LicenseType } from '../../api/types.ts';

/** What the new-license form reads from a plan. */
export interface PlanDefaultsSource {
  licenseType: LicenseType;
  durationDays: number | null;
  maxMachines: number | null;
}

export interface LicenseFormValues {
  licenseType: LicenseType;
  /** YYYY-MM-DD (the date pickers' value) */
  startDate: string;
  /** YYYY-MM-DD, or null = never expires */
  endDate: string | null;
  maxMachines: number | null;
}

const DAY = 'YYYY-MM-DD';

/** The form pre-filled from the plan: starts today, ends after the plan's duration (never when it has none). */
export function defaultsFromPlan(plan: PlanDefaultsSource, now: Date): LicenseFormValues {
  const start = dayjs(now);
  return {
    licenseType: plan.licenseType,
    startDate: start.format(DAY),
    endDate: plan.durationDays === null ? null : start.add(plan.durationDays, 'day').format(DAY),
    maxMachines: plan.maxMachines,
  };
}

/** The end date for a (new) start date: keeps the plan's duration. */
export function endDateFor(startDate: string, durationDays: number | null): string | null {
  return durationDays === null ? null : dayjs(startDate).add(durationDays, 'day').format(DAY);
}

/**
 * The instant a license starts: now when the start date is today (so it is active at once), otherwise the start of
 * that day in the user's time zone.
 */
export function startInstant(startDate: string, now: Date): Date {
  const today = dayjs(now).format(DAY);
  return startDate === today ? now : dayjs(startDate).startOf('day').toDate();
}

/**
 * The end instant: whole 24-hour days after the start, as many as there are calendar days from the start date to
 * the end date. An untouched plan default is then exactly start + durationDays × 24 h, as the API computes it.
 */
export function endInstant(endDate: string | null, start: Date): Date | null {
  if (endDate === null) return null;
  return new Date(start.getTime() + daysBetween(dayjs(start).format(DAY), endDate) * 86_400_000);
}

/** Whole days between two YYYY-MM-DD dates (for "30 days" hints next to the end date). */
export const daysBetween = (from: string, to: string) =>
  dayjs(to).startOf('day').diff(dayjs(from).startOf('day'), 'day');

/** The instant a picked expiry date means: the license's current time of day on that date (else end of day). */
export function expiryInstant(date: string, currentEnd: string | null): string {
  const d = dayjs(date);
  if (!currentEnd) return d.endOf('day').millisecond(0).toISOString();
  const c = dayjs(currentEnd);
  return d.hour(c.hour()).minute(c.minute()).second(c.second()).millisecond(c.millisecond()).toISOString();
}
