import { assertCanWrite, type RequestContext } from '../../platform/auth/actor.ts';
import { addDays, type Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { LicenseUpdate } from '../../platform/db/schema.ts';
import { conflict, unprocessable } from '../../platform/errors.ts';
import { findAccountById } from '../accounts/accounts.read.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { findPlanById } from '../plans/plans.read.ts';
import {
  accountNotFound,
  assertDatesInOrder,
  assertStorableDate,
  licenseHasNoExpiry,
  licenseRevoked,
  lockVisibleLicense,
} from './license-guards.ts';
import { presentLicense } from './licenses.presenter.ts';
import type { LicenseView } from './licenses.repository.ts';
import * as repo from './licenses.repository.ts';
import type { LicenseDto } from './licenses.schemas.ts';

export interface LicenseActionsDeps {
  db: Db;
  clock: Clock;
  /** Days before the end date in which a license counts as `expiring` (config.expiringWindowDays). */
  expiringWindowDays: number;
}

/** What an action decided: the columns to change, and optional extra facts for the audit event. */
interface Change {
  set: Omit<LicenseUpdate, 'updated_at'>;
  auditExtra?: Record<string, unknown>;
}

type Decide = (trx: Db, license: LicenseView, now: Date) => Promise<Change> | Change;

const notRevoked = (license: LicenseView) => {
  if (license.revoked) throw licenseRevoked();
};

function requireEnd(license: LicenseView): Date {
  if (!license.ends_at) throw licenseHasNoExpiry();
  return license.ends_at;
}

/**
 * The one-click lifecycle actions of account teams: renew, +N days (and its undo), set expiry, suspend, reinstate,
 * revoke, transfer, reset machines. Each runs in one transaction that locks the license row, and writes one audit
 * event with the license before and after.
 */
export class LicenseActionsService {
  constructor(private readonly deps: LicenseActionsDeps) {}

  private async act(ctx: RequestContext, id: string, action: string, decide: Decide): Promise<LicenseDto> {
    assertCanWrite(ctx.actor);
    const { db, clock, expiringWindowDays } = this.deps;
    return db.transaction().execute(async (trx) => {
      const current = await lockVisibleLicense(trx, ctx.actor, id);
      const now = clock.now();
      const change = await decide(trx, current, now);
      await repo.updateLicense(trx, id, { ...change.set, updated_at: now });
      const updated = (await repo.findLicenseView(trx, id))!;
      const before = presentLicense(current, now, expiringWindowDays);
      const after = presentLicense(updated, now, expiringWindowDays);
      await recordAudit(trx, ctx, clock, {
        action,
        targetType: 'license',
        targetId: id,
        productId: updated.product_id,
        accountId: updated.account_id,
        licenseId: id,
        before,
        after: change.auditExtra ? { ...after, ...change.auditExtra } : after,
      });
      return after;
    });
  }

  /** Renews by the plan's duration: from the current end date, or from now when the license has already ended. */
  renew(ctx: RequestContext, id: string): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.renewed', async (trx, license, now) => {
      notRevoked(license);
      const end = requireEnd(license);
      const plan = await findPlanById(trx, license.plan_id);
      if (!plan?.duration_days) {
        throw unprocessable('PLAN_HAS_NO_DURATION', `The plan "${license.plan_name}" has no duration to renew by`);
      }
      const endsAt = addDays(new Date(Math.max(end.getTime(), now.getTime())), plan.duration_days);
      assertStorableDate(endsAt, null, "the end date plus the plan's duration would pass 9999-12-31");
      return { set: { ends_at: endsAt }, auditExtra: { renewedByDays: plan.duration_days } };
    });
  }

  /** Moves the end date by whole days: +7 is the "+1 week" button, -7 its undo. */
  extend(ctx: RequestContext, id: string, days: number): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.extended', (_trx, license) => {
      notRevoked(license);
      const endsAt = addDays(requireEnd(license), days);
      assertStorableDate(endsAt, '/body/days', 'would move the end date past 9999-12-31');
      assertDatesInOrder(license.starts_at, endsAt, '/body/days', 'would put the end date before startsAt');
      return { set: { ends_at: endsAt }, auditExtra: { extendedByDays: days } };
    });
  }

  /** Sets the end date; null = never expires. */
  setExpiry(ctx: RequestContext, id: string, endsAt: string | null): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.expiry_set', (_trx, license) => {
      notRevoked(license);
      const end = endsAt === null ? null : new Date(endsAt);
      assertDatesInOrder(license.starts_at, end, '/body/endsAt');
      return { set: { ends_at: end } };
    });
  }

  suspend(ctx: RequestContext, id: string): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.suspended', (_trx, license) => {
      notRevoked(license);
      if (license.suspended) throw conflict('LICENSE_SUSPENDED', 'The license is already suspended');
      return { set: { suspended: true } };
    });
  }

  reinstate(ctx: RequestContext, id: string): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.reinstated', (_trx, license) => {
      notRevoked(license);
      if (!license.suspended) throw conflict('LICENSE_NOT_SUSPENDED', 'The license is not suspended');
      return { set: { suspended: false } };
    });
  }

  /** Final: a revoked license cannot be reinstated, renewed or extended. */
  revoke(ctx: RequestContext, id: string): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.revoked', (_trx, license) => {
      notRevoked(license);
      return { set: { revoked: true } };
    });
  }

  /** Moves the license to another account. */
  transfer(ctx: RequestContext, id: string, accountId: string): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.transferred', async (trx, license) => {
      const account = await findAccountById(trx, accountId);
      if (!account) throw accountNotFound();
      return { set: { account_id: account.id }, auditExtra: { fromAccountId: license.account_id } };
    });
  }

  /** Removes every machine of the license (a customer moved to new hardware); the audit records how many. */
  resetMachines(ctx: RequestContext, id: string): Promise<LicenseDto> {
    return this.act(ctx, id, 'license.machines_reset', async (trx, license) => {
      const removed = await repo.deleteMachinesOfLicense(trx, license.id);
      return { set: {}, auditExtra: { machinesRemoved: removed } };
    });
  }
}
