import { assertCanWrite, assertProductVisible, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import {
  AppError,
  conflict,
  isForeignKeyViolation,
  isUniqueViolation,
  notFound,
  unprocessable,
} from '../../platform/errors.ts';
import { decodeCheckedCursor, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { type AuditEntry, recordAudit, recordAuditMany } from '../audit/audit.write.ts';
import { findProductById } from '../products/products.read.ts';
import { changesShape, type Definition, definitionForCreate, definitionForUpdate } from './definition.ts';
import { presentOverride, propertyFieldsOf } from './overrides.presenter.ts';
import { presentProperty } from './properties.presenter.ts';
import { presentPropertyDef } from './properties.read.ts';
import * as repo from './properties.repository.ts';
import type {
  CreatePropertyInput,
  ListPropertiesInput,
  PropertyDto,
  UpdatePropertyInput,
} from './properties.schemas.ts';
import { optionsUsed, valueProblem } from './property-values.ts';

export interface PropertiesDeps {
  db: Db;
  clock: Clock;
}

export const propertyNotFound = () => notFound('PROPERTY_NOT_FOUND', 'Property');
const productNotFound = () =>
  unprocessable('PRODUCT_NOT_FOUND', 'The product does not exist', [
    { field: '/body/productId', message: 'is not a known product' },
  ]);
const keyTaken = (key: string) => conflict('PROPERTY_KEY_TAKEN', `This product already has a property with key ${key}`);

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function describeReferences(refs: repo.PropertyReferences): string {
  const parts = [plural(refs.planValues, 'plan value'), plural(refs.overrides, 'override')];
  if (refs.usageCounters > 0) parts.push(plural(refs.usageCounters, 'usage counter'));
  return parts.join(', ');
}

/** Typed properties of a product (what a license can be granted): CRUD, every change audited. */
export class PropertiesService {
  constructor(private readonly deps: PropertiesDeps) {}

  async create(ctx: RequestContext, input: CreatePropertyInput): Promise<PropertyDto> {
    assertCanWrite(ctx.actor);
    const def = definitionForCreate(input);
    const now = this.deps.clock.now();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const product = await findProductById(trx, input.productId);
        if (!product) throw productNotFound();
        assertProductVisible(ctx.actor, product.id, productNotFound());
        const row = await repo.insertProperty(trx, {
          product_id: product.id,
          key: input.key,
          name: input.name,
          description: input.description ?? '',
          type: def.type,
          default_value: JSON.stringify(def.defaultValue),
          options: def.options,
          multiple: def.multiple,
          enforcement: def.enforcement,
          warning_threshold_percent: def.warningThresholdPercent,
          metered: def.metered,
          reset_period: def.resetPeriod,
          unit: input.unit ?? '',
          created_at: now,
          updated_at: now,
        });
        const after = presentProperty({ ...row, product_code: product.code, product_name: product.name });
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'property.created',
          targetType: 'property',
          targetId: row.id,
          productId: product.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw keyTaken(input.key);
      if (isForeignKeyViolation(err)) throw productNotFound();
      throw err;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<PropertyDto> {
    const row = await repo.findProperty(this.deps.db, id);
    if (!row) throw propertyNotFound();
    assertProductVisible(ctx.actor, row.product_id, propertyNotFound());
    return presentProperty(row);
  }

  async list(ctx: RequestContext, input: ListPropertiesInput): Promise<Page<PropertyDto>> {
    const limit = input.limit ?? 50;
    const rows = await repo.listProperties(this.deps.db, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => typeof c.v === 'string' && isUuid(c.id)),
      scope: productScope(ctx.actor),
      productId: input.productId,
      type: input.type,
      q: input.q,
    });
    return toPage(rows, limit, presentProperty, (r) => ({ v: r.key, id: r.id }));
  }

  async update(ctx: RequestContext, id: string, input: UpdatePropertyInput): Promise<PropertyDto> {
    assertCanWrite(ctx.actor);
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const current = await repo.findPropertyLocked(trx, id, 'update');
        if (!current) throw propertyNotFound();
        assertProductVisible(ctx.actor, current.product_id, propertyNotFound());
        const def = presentPropertyDef(current);
        if (changesShape(def, input)) {
          const refs = await repo.countReferences(trx, id);
          if (refs.planValues + refs.overrides > 0) {
            throw conflict(
              'PROPERTY_TYPE_IMMUTABLE',
              `The type of ${current.key} can only change while no plan value or override uses it (used by ` +
                `${describeReferences(refs)})`,
            );
          }
        }
        const { next, narrowed } = definitionForUpdate(def, input);
        if (narrowed) await this.#assertStoredValuesFit(trx, current, next);
        const row = await repo.updateProperty(trx, id, {
          key: input.key,
          name: input.name,
          description: input.description,
          type: next.type,
          default_value: JSON.stringify(next.defaultValue),
          options: next.options,
          multiple: next.multiple,
          enforcement: next.enforcement,
          warning_threshold_percent: next.warningThresholdPercent,
          metered: next.metered,
          reset_period: next.resetPeriod,
          unit: input.unit,
          updated_at: this.deps.clock.now(),
        });
        const before = presentProperty(current);
        const after = presentProperty({
          ...row,
          product_code: current.product_code,
          product_name: current.product_name,
        });
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'property.updated',
          targetType: 'property',
          targetId: id,
          productId: current.product_id,
          before,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw keyTaken(input.key ?? '');
      throw err;
    }
  }

  /** Options removed or metering switched on: every plan value and override must still fit. */
  async #assertStoredValuesFit(trx: Db, current: repo.PropertyWithProduct, next: Definition) {
    const misfits = (await repo.storedValues(trx, current.id)).filter((v) => valueProblem(next, v.value, '') !== null);
    if (misfits.length === 0) return;
    const labels = misfits.slice(0, 5).map((m) => m.label);
    const more = misfits.length > 5 ? ` and ${misfits.length - 5} more` : '';
    if (next.type === 'enum') {
      const used = [...new Set(misfits.flatMap((m) => optionsUsed(m.value)))].filter((o) => !next.options.includes(o));
      throw new AppError(
        'PROPERTY_OPTIONS_IN_USE',
        409,
        `Options still used cannot be removed: ${used.join(', ')} (by ${labels.join(', ')}${more}); change those values first`,
        [{ field: '/body/options', message: `must keep ${used.join(', ')}` }],
      );
    }
    throw unprocessable(
      'PROPERTY_VALUE_INVALID',
      `A metered property counts whole units, but ${labels.join(', ')}${more} hold fractional limits`,
      [{ field: '/body/metered', message: 'plan values or overrides are not whole numbers' }],
    );
  }

  /**
   * Deletes a property. Used by plan values, overrides or usage counters → 409 PROPERTY_IN_USE with the counts,
   * unless `force`: then those are removed too, and the audit event lists what was removed.
   */
  async remove(ctx: RequestContext, id: string, force = false): Promise<void> {
    assertCanWrite(ctx.actor);
    const inUse = (refs: repo.PropertyReferences, key: string) =>
      conflict(
        'PROPERTY_IN_USE',
        `The property ${key} is used by ${describeReferences(refs)}; change those first or delete with ?force=true ` +
          'to remove them too',
      );
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const current = await repo.findPropertyLocked(trx, id, 'update');
        if (!current) throw propertyNotFound();
        assertProductVisible(ctx.actor, current.product_id, propertyNotFound());
        const refs = await repo.countReferences(trx, id);
        const used = refs.planValues + refs.overrides + refs.usageCounters > 0;
        if (used && !force) throw inUse(refs, current.key);
        const planValues = used ? await repo.deletePlanValuesOf(trx, id) : [];
        const overrides = used ? await repo.deleteOverridesOf(trx, id) : [];
        await repo.deleteProperty(trx, id); // usage counters and events go with it (ON DELETE CASCADE)
        const property = presentProperty(current);
        const accounts = await repo.accountsOfLicenses(
          trx,
          overrides.flatMap((o) => (o.license_id ? [o.license_id] : [])),
        );
        const presented = overrides.map((o) =>
          presentOverride({ ...o, ...propertyFieldsOf(current) }, this.deps.clock.now()),
        );
        const events: AuditEntry[] = presented.map((o) => ({
          action: 'override.deleted',
          targetType: 'override',
          targetId: o.id,
          productId: current.product_id,
          accountId: o.accountId ?? (o.licenseId ? (accounts.get(o.licenseId) ?? null) : null),
          licenseId: o.licenseId,
          before: o,
          after: { removedWith: `property ${current.key} (deleted with force)` },
        }));
        events.push({
          action: 'property.deleted',
          targetType: 'property',
          targetId: id,
          productId: current.product_id,
          before: property,
          ...(used
            ? {
                after: {
                  force: true,
                  removed: {
                    planValues: planValues.map((v) => ({
                      planId: v.plan_id,
                      planName: v.plan_name,
                      value: v.value,
                      enforcement: v.enforcement,
                    })),
                    overrides: presented,
                    usageCounters: refs.usageCounters,
                  },
                },
              }
            : {}),
        });
        await recordAuditMany(trx, ctx, this.deps.clock, events);
      });
    } catch (err) {
      // A value was added between the count and the delete (the references are ON DELETE RESTRICT).
      if (isForeignKeyViolation(err)) throw conflict('PROPERTY_IN_USE', 'The property was just given a value; retry');
      throw err;
    }
  }
}
