import { type Actor, assertProductVisible } from '../../platform/auth/actor.ts';
import { EARLIEST_DATE, isStorableDate, LATEST_DATE } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { Billing } from '../../platform/db/schema.ts';
import { conflict, notFound, unprocessable } from '../../platform/errors.ts';
import type { LicenseView } from './licenses.repository.ts';
import * as repo from './licenses.repository.ts';

/** Error codes of the licenses module. */
export const licenseNotFound = () => notFound('LICENSE_NOT_FOUND', 'License');
export const planNotFound = () =>
  unprocessable('PLAN_NOT_FOUND', 'The plan does not exist', [{ field: '/body/planId', message: 'no such plan' }]);
export const accountNotFound = () =>
  unprocessable('ACCOUNT_NOT_FOUND', 'The account does not exist', [
    { field: '/body/accountId', message: 'no such account' },
  ]);
export const licenseRevoked = () =>
  conflict('LICENSE_REVOKED', 'The license is revoked; revocation is final. Issue a new license instead');
export const licenseHasNoExpiry = () =>
  unprocessable('LICENSE_HAS_NO_EXPIRY', 'The license never expires; set an end date first (set-expiry)');
export const invalidDates = (field: string, message = 'must be after startsAt') =>
  unprocessable('INVALID_DATES', `The end date must be after the start date (${field} ${message})`, [
    { field, message },
  ]);

/** endsAt must be after startsAt (null = never ends). */
export function assertDatesInOrder(
  startsAt: Date,
  endsAt: Date | null,
  field: string,
  message = 'must be after startsAt',
): void {
  if (endsAt && endsAt.getTime() <= startsAt.getTime()) throw invalidDates(field, message);
}

/**
 * A date computed from the request (a start plus the plan's days, an end plus days) must stay storable, like every
 * date the request gives directly (platform/http/formats.ts checks those): 422 DATE_OUT_OF_RANGE, naming the field
 * that led to it (null when no field did, e.g. a renewal).
 */
export function assertStorableDate(date: Date | null, field: string | null, message: string): void {
  if (date === null || isStorableDate(date)) return;
  const range = `${EARLIEST_DATE.slice(0, 10)} and ${LATEST_DATE.slice(0, 10)}`;
  throw unprocessable(
    'DATE_OUT_OF_RANGE',
    `Dates must lie between ${range}: ${message}`,
    field ? [{ field, message }] : undefined,
  );
}

/**
 * Locks the license row for the rest of the transaction and returns its view, or throws LICENSE_NOT_FOUND when it
 * does not exist or is outside the actor's product (no existence leak).
 */
export async function lockVisibleLicense(trx: Db, actor: Actor, id: string): Promise<LicenseView> {
  const locked = await repo.lockLicense(trx, id);
  if (!locked) throw licenseNotFound();
  assertProductVisible(actor, locked.product_id, licenseNotFound());
  const view = await repo.findLicenseView(trx, id);
  if (!view) throw licenseNotFound();
  return view;
}

/** Domains are case-insensitive: stored lower-case, without duplicates. */
export const normalizeDomains = (domains: string[]) => [...new Set(domains.map((d) => d.toLowerCase()))];
export const uniqueCodes = (codes: string[]) => [...new Set(codes)];

/** Billing as stored: only the known fields, in a stable order (null clears a field). */
export function billingOf(input: Billing): Billing {
  const out: Billing = {};
  for (const field of ['invoiceUrl', 'paymentStatus', 'purchaseMethod', 'orderReference'] as const) {
    if (input[field] !== undefined && input[field] !== null) out[field] = input[field];
  }
  return out;
}
