import { randomUUID } from 'node:crypto';
import { assertCanWrite, assertProductVisible, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { LicenseUpdate } from '../../platform/db/schema.ts';
import { AppError, conflict } from '../../platform/errors.ts';
import { decodeCursor, type Page, toPage } from '../../platform/http/pagination.ts';
import { findAccountById } from '../accounts/accounts.read.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { effectiveSeats } from '../license-files/license-payload.ts';
import { signLicenseKey } from '../license-files/signed-key.ts';
import { findPlanById } from '../plans/plans.read.ts';
import { findProductById } from '../products/products.read.ts';
import type { Signer } from '../signing/signer.ts';
import {
  accountNotFound,
  assertDatesInOrder,
  billingOf,
  licenseNotFound,
  lockVisibleLicense,
  normalizeDomains,
  planNotFound,
  uniqueCodes,
} from './license-guards.ts';
import { importedKey, licenseFromPlan } from './license-issue.ts';
import { generateLicenseKey, keyEncodings } from './license-key.ts';
import type { LicenseStatus } from './license-status.ts';
import { presentLicense } from './licenses.presenter.ts';
import { cursorOf, listLicenses } from './licenses.query.ts';
import type { LicenseView } from './licenses.repository.ts';
import * as repo from './licenses.repository.ts';
import type { CreateLicenseInput, LicenseDto, ListLicensesInput, UpdateLicenseInput } from './licenses.schemas.ts';

export interface LicensesDeps {
  db: Db;
  clock: Clock;
  /** Days before the end date in which a license counts as `expiring` (config.expiringWindowDays). */
  expiringWindowDays: number;
  /** Key generator; tests inject one to force collisions. */
  generateKey?: (productCode: string) => string;
  /** Signs the keys of plans with key scheme ed25519-signed. */
  signer?: Signer;
}

/**
 * ADR 0007: a product token cannot choose a key. Key uniqueness spans every product, so any answer to "issue with this
 * key" that differs between a free key and a key of another product would tell a product token that the other
 * product's key exists; generated keys (145 random bits) never collide, so no answer depends on other products.
 */
const productTokenKey = () =>
  new AppError(
    'FORBIDDEN',
    403,
    'A product token cannot choose a license key: omit key to have one generated (keys are imported with an ' +
      'admin token, by a dashboard user or with keyward import licenses)',
    [{ field: '/body/key', message: 'is not allowed with a product token' }],
  );

/** How often a generated key is drawn again when it collides with an existing one (145 random bits: never). */
const KEY_ATTEMPTS = 5;

/** Issue, read, list, edit and delete licenses (the lifecycle actions are in license-actions.service.ts). */
export class LicensesService {
  constructor(private readonly deps: LicensesDeps) {}

  private present(row: LicenseView): LicenseDto {
    return presentLicense(row, this.deps.clock.now(), this.deps.expiringWindowDays);
  }

  async create(ctx: RequestContext, input: CreateLicenseInput): Promise<LicenseDto> {
    assertCanWrite(ctx.actor);
    const { db, clock } = this.deps;
    const generate = this.deps.generateKey ?? generateLicenseKey;
    const now = clock.now();
    if (input.key !== undefined && productScope(ctx.actor) !== null) throw productTokenKey();
    const given = input.key === undefined ? null : importedKey(input.key);
    const signed = given === null ? await this.signedKey(ctx, input, now) : null;
    return db.transaction().execute(async (trx) => {
      const plan = await findPlanById(trx, input.planId);
      if (!plan) throw planNotFound();
      assertProductVisible(ctx.actor, plan.product_id, planNotFound());
      const account = await findAccountById(trx, input.accountId);
      if (!account) throw accountNotFound();
      const product = await findProductById(trx, plan.product_id);
      if (!product) throw planNotFound();
      const values = { ...licenseFromPlan(plan, input, now), account_id: account.id };

      let id: string | undefined;
      for (let attempt = 0; !id && attempt < (given || signed ? 1 : KEY_ATTEMPTS); attempt++) {
        const key = signed ?? { key: given ?? generate(product.code) };
        id = await repo.insertLicenseUnlessKeyTaken(trx, { ...values, ...key });
      }
      if (!id) {
        if (given) throw conflict('LICENSE_KEY_TAKEN', 'Another license already has this key');
        throw new Error(`no free license key after ${KEY_ATTEMPTS} attempts`);
      }
      const after = this.present((await repo.findLicenseView(trx, id))!);
      await recordAudit(trx, ctx, clock, {
        action: 'license.created',
        targetType: 'license',
        targetId: id,
        productId: plan.product_id,
        accountId: account.id,
        licenseId: id,
        after,
      });
      return after;
    });
  }

  /**
   * On a plan with key scheme ed25519-signed: a license id made here (it goes into the key) and the signed key.
   * Signed before the transaction, as the signer reads its keys from the database; the facts come from the plan
   * as read now (the transaction reads it again and answers for a missing or invisible plan).
   */
  private async signedKey(
    ctx: RequestContext,
    input: CreateLicenseInput,
    now: Date,
  ): Promise<{ id: string; key: string } | null> {
    const { db, signer } = this.deps;
    const plan = await findPlanById(db, input.planId);
    if (plan?.key_scheme !== 'ed25519-signed') return null;
    assertProductVisible(ctx.actor, plan.product_id, planNotFound());
    const product = await findProductById(db, plan.product_id);
    if (!product) return null;
    if (!signer) throw new Error('plans with signed keys need a signer');
    const values = licenseFromPlan(plan, input, now);
    const id = randomUUID();
    const seats = effectiveSeats({
      max_machines: values.max_machines ?? null,
      plan_max_machines: plan.max_machines,
      plan_floating: plan.floating,
    });
    const exp = values.ends_at ? new Date(values.ends_at).toISOString() : null;
    const key = await signLicenseKey(signer, { lid: id, prd: product.code, iat: now.toISOString(), exp, seats });
    return { id, key };
  }

  private async findVisible(ctx: RequestContext, id: string): Promise<LicenseView> {
    const row = await repo.findLicenseView(this.deps.db, id);
    if (!row) throw licenseNotFound();
    assertProductVisible(ctx.actor, row.product_id, licenseNotFound());
    return row;
  }

  async get(ctx: RequestContext, id: string): Promise<LicenseDto> {
    return this.present(await this.findVisible(ctx, id));
  }

  /** The key and what account teams paste into Kubernetes. */
  async key(ctx: RequestContext, id: string, secretName?: string) {
    const row = await this.findVisible(ctx, id);
    return { key: row.key, ...keyEncodings(row.key, secretName) };
  }

  async list(ctx: RequestContext, input: ListLicensesInput): Promise<Page<LicenseDto>> {
    const limit = input.limit ?? 50;
    const sort = input.sort ?? '-createdAt';
    const now = this.deps.clock.now();
    const rows = await listLicenses(this.deps.db, {
      limit,
      after: decodeCursor(input.cursor),
      sort,
      now,
      expiringWindowDays: this.deps.expiringWindowDays,
      scopeProductId: productScope(ctx.actor),
      statuses: input.status ? ([...new Set(input.status.split(','))] as LicenseStatus[]) : undefined,
      productId: input.productId,
      planId: input.planId,
      accountId: input.accountId,
      type: input.type,
      expiresBefore: input.expiresBefore ? new Date(input.expiresBefore) : undefined,
      expiresAfter: input.expiresAfter ? new Date(input.expiresAfter) : undefined,
      q: input.q,
    });
    return toPage(
      rows,
      limit,
      (r) => presentLicense(r, now, this.deps.expiringWindowDays),
      (r) => cursorOf(r, sort),
    );
  }

  async update(ctx: RequestContext, id: string, input: UpdateLicenseInput): Promise<LicenseDto> {
    assertCanWrite(ctx.actor);
    const { db, clock } = this.deps;
    return db.transaction().execute(async (trx) => {
      const current = await lockVisibleLicense(trx, ctx.actor, id);
      const changes: LicenseUpdate = { updated_at: clock.now() };
      if (input.name !== undefined) changes.name = input.name;
      if (input.notes !== undefined) changes.notes = input.notes;
      if (input.domains !== undefined) changes.domains = normalizeDomains(input.domains);
      if (input.entitlements !== undefined) changes.entitlements = uniqueCodes(input.entitlements);
      if (input.billing !== undefined) {
        changes.billing = JSON.stringify(billingOf({ ...current.billing, ...input.billing }));
      }
      if (input.metadata !== undefined) changes.metadata = JSON.stringify(input.metadata);
      if (input.maxMachines !== undefined) changes.max_machines = input.maxMachines;
      if (input.maintenanceEndsAt !== undefined) {
        changes.maintenance_ends_at = input.maintenanceEndsAt === null ? null : new Date(input.maintenanceEndsAt);
      }
      if (input.startsAt !== undefined) {
        changes.starts_at = new Date(input.startsAt);
        assertDatesInOrder(changes.starts_at, current.ends_at, '/body/startsAt', 'must be before endsAt');
      }
      await repo.updateLicense(trx, id, changes);
      const before = this.present(current);
      const after = this.present((await repo.findLicenseView(trx, id))!);
      await recordAudit(trx, ctx, clock, {
        action: 'license.updated',
        targetType: 'license',
        targetId: id,
        productId: current.product_id,
        accountId: current.account_id,
        licenseId: id,
        before,
        after,
      });
      return after;
    });
  }

  /** Deletes the license (its machines cascade); the audit event keeps the last snapshot. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    assertCanWrite(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await lockVisibleLicense(trx, ctx.actor, id);
      await repo.deleteLicense(trx, id);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'license.deleted',
        targetType: 'license',
        targetId: id,
        productId: current.product_id,
        accountId: current.account_id,
        licenseId: id,
        before: this.present(current),
      });
    });
  }
}
