import {
  type Actor,
  assertCanWrite,
  assertProductVisible,
  productScope,
  type RequestContext,
} from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { conflict, isUniqueViolation, notFound, unprocessable } from '../../platform/errors.ts';
import { decodeCheckedCursor, isIsoDate, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { findAccountById } from '../accounts/accounts.read.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { type OverrideWithProperty, presentOverride, propertyFieldsOf } from './overrides.presenter.ts';
import * as repo from './overrides.repository.ts';
import type { CreateOverrideInput, ListOverridesInput, OverrideDto, UpdateOverrideInput } from './overrides.schemas.ts';
import { presentPropertyDef } from './properties.read.ts';
import { findPropertyLocked, type PropertyWithProduct } from './properties.repository.ts';
import { assertValue } from './property-values.ts';

export interface OverridesDeps {
  db: Db;
  clock: Clock;
}

const overrideNotFound = () => notFound('OVERRIDE_NOT_FOUND', 'Override');
const bodyRef = (code: string, what: string, field: string) =>
  unprocessable(code, `The ${what} does not exist`, [{ field: `/body/${field}`, message: `is not a known ${what}` }]);

function cleanReason(reason: string): string {
  const trimmed = reason.trim();
  if (trimmed === '') {
    throw unprocessable('OVERRIDE_REASON_REQUIRED', 'Say why the customer gets this value', [
      { field: '/body/reason', message: 'must not be blank' },
    ]);
  }
  return trimmed;
}

function futureExpiry(raw: string, now: Date): Date {
  const at = new Date(raw);
  if (at <= now) {
    throw unprocessable('OVERRIDE_EXPIRY_PAST', `expiresAt must be in the future (now is ${now.toISOString()})`, [
      { field: '/body/expiresAt', message: 'must be in the future' },
    ]);
  }
  return at;
}

function assertEnforcementApplies(property: PropertyWithProduct, enforcement: unknown): void {
  if (enforcement != null && property.type !== 'number') {
    throw unprocessable('PROPERTY_FIELD_NOT_APPLICABLE', 'enforcement applies to number properties only', [
      { field: '/body/enforcement', message: 'applies to number properties only' },
    ]);
  }
}

const author = (actor: Actor) => ({ author_id: actor.id, author_name: actor.name });

/**
 * Per-account and per-license property values ("300 calls for this customer until June"): each with a reason, its
 * author and an optional expiry. Audit events carry the account and license, so they show in the customer history.
 */
export class OverridesService {
  constructor(private readonly deps: OverridesDeps) {}

  async create(ctx: RequestContext, input: CreateOverrideInput): Promise<OverrideDto> {
    assertCanWrite(ctx.actor);
    if ((input.accountId === undefined) === (input.licenseId === undefined)) {
      throw unprocessable('OVERRIDE_TARGET_INVALID', 'Give exactly one of accountId and licenseId', [
        { field: '/body/accountId', message: 'exactly one of accountId and licenseId is required' },
      ]);
    }
    const reason = cleanReason(input.reason);
    const now = this.deps.clock.now();
    const expiresAt = input.expiresAt === undefined ? null : futureExpiry(input.expiresAt, now);
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const property = await findPropertyLocked(trx, input.propertyId, 'share');
        const propertyMissing = () => bodyRef('PROPERTY_NOT_FOUND', 'property', 'propertyId');
        if (!property) throw propertyMissing();
        assertProductVisible(ctx.actor, property.product_id, propertyMissing());
        assertEnforcementApplies(property, input.enforcement);
        assertValue(presentPropertyDef(property), input.value, '/body/value');
        const target = await this.#target(trx, ctx, property, input);
        const existing = await repo.findOverrideOfTarget(trx, property.id, target.key);
        if (existing && existing.expires_at !== null && existing.expires_at <= now) {
          // An expired override is history: the new one replaces it (both changes audited).
          await repo.deleteOverride(trx, existing.id);
          await recordAudit(trx, ctx, this.deps.clock, {
            ...target.audit,
            action: 'override.deleted',
            targetType: 'override',
            targetId: existing.id,
            before: presentOverride(existing, now),
            after: { replacedBecause: 'expired' },
          });
        } else if (existing) {
          throw overrideExists(existing.id);
        }
        const row = await repo.insertOverride(trx, {
          property_id: property.id,
          account_id: target.accountId,
          license_id: target.licenseId,
          value: JSON.stringify(input.value),
          enforcement: input.enforcement ?? null,
          reason,
          ...author(ctx.actor),
          expires_at: expiresAt,
          created_at: now,
          updated_at: now,
        });
        const after = presentOverride({ ...row, ...propertyFieldsOf(property) }, now);
        await recordAudit(trx, ctx, this.deps.clock, {
          ...target.audit,
          action: 'override.created',
          targetType: 'override',
          targetId: row.id,
          after,
        });
        return after;
      });
    } catch (err) {
      // Another request created the same override at the same time (unique per property and target).
      if (isUniqueViolation(err)) throw overrideExists(null);
      throw err;
    }
  }

  /** The override's target, checked: it exists, is visible, and a license is of the property's product. */
  async #target(trx: Db, ctx: RequestContext, property: PropertyWithProduct, input: CreateOverrideInput) {
    if (input.accountId !== undefined) {
      const account = await findAccountById(trx, input.accountId);
      if (!account) throw bodyRef('ACCOUNT_NOT_FOUND', 'account', 'accountId');
      return {
        key: { accountId: account.id },
        accountId: account.id,
        licenseId: null,
        audit: { productId: property.product_id, accountId: account.id, licenseId: null },
      };
    }
    const licenseMissing = () => bodyRef('LICENSE_NOT_FOUND', 'license', 'licenseId');
    const license = await repo.findLicenseTarget(trx, input.licenseId as string);
    if (!license) throw licenseMissing();
    assertProductVisible(ctx.actor, license.product_id, licenseMissing());
    if (license.product_id !== property.product_id) {
      throw unprocessable(
        'PROPERTY_PRODUCT_MISMATCH',
        `The property ${property.key} belongs to product ${property.product_code}, not to the license's product`,
        [{ field: '/body/propertyId', message: "is a property of another product than the license's" }],
      );
    }
    return {
      key: { licenseId: license.id },
      accountId: null,
      licenseId: license.id,
      audit: { productId: property.product_id, accountId: license.account_id, licenseId: license.id },
    };
  }

  async get(ctx: RequestContext, id: string): Promise<OverrideDto> {
    const row = await repo.findOverride(this.deps.db, id);
    if (!row) throw overrideNotFound();
    assertProductVisible(ctx.actor, row.product_id, overrideNotFound());
    return presentOverride(row, this.deps.clock.now());
  }

  async list(ctx: RequestContext, input: ListOverridesInput): Promise<Page<OverrideDto>> {
    const limit = input.limit ?? 50;
    const now = this.deps.clock.now();
    const rows = await repo.listOverrides(this.deps.db, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => c.v !== null && isIsoDate(c.v) && isUuid(c.id)),
      scope: productScope(ctx.actor),
      now,
      includeExpired: input.includeExpired ?? false,
      accountId: input.accountId,
      licenseId: input.licenseId,
      propertyId: input.propertyId,
      productId: input.productId,
    });
    return toPage(
      rows,
      limit,
      (r) => presentOverride(r, now),
      (r) => ({ v: r.created_at.toISOString(), id: r.id }),
    );
  }

  async update(ctx: RequestContext, id: string, input: UpdateOverrideInput): Promise<OverrideDto> {
    assertCanWrite(ctx.actor);
    const reason = input.reason === undefined ? undefined : cleanReason(input.reason);
    const now = this.deps.clock.now();
    const expiresAt = input.expiresAt == null ? input.expiresAt : futureExpiry(input.expiresAt, now);
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findOverride(trx, id, { forUpdate: true });
      if (!current) throw overrideNotFound();
      assertProductVisible(ctx.actor, current.product_id, overrideNotFound());
      const property = await findPropertyLocked(trx, current.property_id, 'share');
      if (!property) throw overrideNotFound();
      assertEnforcementApplies(property, input.enforcement);
      if (input.value !== undefined) assertValue(presentPropertyDef(property), input.value, '/body/value');
      const row = await repo.updateOverride(trx, id, {
        value: input.value === undefined ? undefined : JSON.stringify(input.value),
        enforcement: input.enforcement,
        reason,
        expires_at: expiresAt,
        // The author is who stands behind the current value.
        ...author(ctx.actor),
        updated_at: now,
      });
      const after = presentOverride({ ...row, ...propertyFieldsOf(property) }, now);
      await recordAudit(trx, ctx, this.deps.clock, {
        ...(await this.#auditTarget(trx, current)),
        action: 'override.updated',
        targetType: 'override',
        targetId: id,
        before: presentOverride(current, now),
        after,
      });
      return after;
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    assertCanWrite(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findOverride(trx, id, { forUpdate: true });
      if (!current) throw overrideNotFound();
      assertProductVisible(ctx.actor, current.product_id, overrideNotFound());
      await repo.deleteOverride(trx, id);
      await recordAudit(trx, ctx, this.deps.clock, {
        ...(await this.#auditTarget(trx, current)),
        action: 'override.deleted',
        targetType: 'override',
        targetId: id,
        before: presentOverride(current, this.deps.clock.now()),
      });
    });
  }

  /** Product, account and license of an override's audit events (a license override's account too). */
  async #auditTarget(trx: Db, row: OverrideWithProperty) {
    if (row.account_id) return { productId: row.product_id, accountId: row.account_id, licenseId: null };
    const license = row.license_id ? await repo.findLicenseTarget(trx, row.license_id) : undefined;
    return { productId: row.product_id, accountId: license?.account_id ?? null, licenseId: row.license_id };
  }
}

const overrideExists = (id: string | null) =>
  conflict(
    'OVERRIDE_EXISTS',
    `This ${id ? `target already has an override of the property (${id})` : 'override was just created'}; ` +
      'change it (PATCH /v1/overrides/{id}) instead',
  );
