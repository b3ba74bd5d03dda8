import { addDays } from '../../platform/clock.ts';
import type { NewLicense, PlanRow } from '../../platform/db/schema.ts';
import { unprocessable } from '../../platform/errors.ts';
import { assertDatesInOrder, assertStorableDate, billingOf, normalizeDomains, uniqueCodes } from './license-guards.ts';
import { checkLicenseKey } from './license-key.ts';
import type { CreateLicenseInput } from './licenses.schemas.ts';

/**
 * An imported key as it will be stored. A key that has the Keyward shape is stored in its canonical form (that is
 * how validate-key looks it up); one with that shape but a wrong check symbol could never be found, so it is refused.
 */
export function importedKey(raw: string): string {
  const check = checkLicenseKey(raw);
  if (check.kind === 'malformed') {
    throw unprocessable('LICENSE_KEY_INVALID', 'The key looks like a Keyward key but its check symbol is wrong', [
      { field: '/body/key', message: 'has a wrong check symbol (typo?)' },
    ]);
  }
  return check.key;
}

/** The columns of a license issued from a plan: every field the request omits is filled from the plan. */
export function licenseFromPlan(
  plan: PlanRow,
  input: CreateLicenseInput,
  now: Date,
): Omit<NewLicense, 'key' | 'account_id'> {
  const startsAt = input.startsAt ? new Date(input.startsAt) : now;
  const fromPlan = (days: number | null) => (days ? addDays(startsAt, days) : null);
  const endsAt =
    input.endsAt === undefined ? fromPlan(plan.duration_days) : input.endsAt === null ? null : new Date(input.endsAt);
  const maintenanceEndsAt =
    input.maintenanceEndsAt === undefined
      ? fromPlan(plan.maintenance_days)
      : input.maintenanceEndsAt === null
        ? null
        : new Date(input.maintenanceEndsAt);
  // Dates the request gives are in range (the schema's format); those computed from the plan may not be.
  const tooLate = "startsAt plus the plan's duration or maintenance days would end after 9999-12-31";
  assertStorableDate(endsAt, '/body/startsAt', tooLate);
  assertStorableDate(maintenanceEndsAt, '/body/startsAt', tooLate);
  assertDatesInOrder(startsAt, endsAt, '/body/endsAt');
  return {
    name: input.name ?? '',
    product_id: plan.product_id,
    plan_id: plan.id,
    license_type: input.licenseType ?? plan.license_type,
    starts_at: startsAt,
    ends_at: endsAt,
    maintenance_ends_at: maintenanceEndsAt,
    max_machines: input.maxMachines === undefined ? plan.max_machines : input.maxMachines,
    domains: normalizeDomains(input.domains ?? []),
    entitlements: uniqueCodes(input.entitlements ?? []),
    billing: JSON.stringify(billingOf(input.billing ?? {})),
    metadata: JSON.stringify(input.metadata ?? {}),
    notes: input.notes ?? '',
    created_at: now,
    updated_at: now,
  };
}
