import type { Selectable } from 'kysely';
import { assertCanWrite, assertProductVisible, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PlanPropertyValuesTable } from '../../platform/db/schema.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { findPlanWithBase, type PlanWithBase } from '../plans/plans.read.ts';
import { type Candidate, effectiveValue, type PropertyDef } from './effective.ts';
import * as repo from './plan-values.repository.ts';
import type { PlanPropertiesDto, PlanPropertyValueDto, SetPlanValueInput } from './plan-values.schemas.ts';
import { presentPropertyDef } from './properties.read.ts';
import { findPropertyLocked } from './properties.repository.ts';
import { propertyNotFound } from './properties.service.ts';
import { assertValue } from './property-values.ts';

export interface PlanValuesDeps {
  db: Db;
  clock: Clock;
}

type PlanValueRow = Selectable<PlanPropertyValuesTable>;

const planNotFound = () => notFound('PLAN_NOT_FOUND', 'Plan');

const candidate = (kind: 'plan' | 'base_plan', plan: { id: string; name: string }, row?: PlanValueRow) =>
  row
    ? ({
        kind,
        value: row.value,
        enforcement: row.enforcement,
        id: plan.id,
        planName: plan.name,
        inheritsValue: row.inherits_value,
      } as Candidate)
    : undefined;

const stored = (row?: PlanValueRow) =>
  row
    ? {
        value: row.value,
        enforcement: row.enforcement,
        inheritsValue: row.inherits_value,
        updatedAt: row.updated_at.toISOString(),
      }
    : null;

/** A plan's value of one property: its own, else its base plan's, else the property default. */
function present(
  plan: PlanWithBase,
  property: PropertyDef,
  own: PlanValueRow | undefined,
  base: PlanValueRow | undefined,
  now: Date,
): PlanPropertyValueDto {
  const basePlan = plan.basePlanId ? { id: plan.basePlanId, name: plan.basePlanName ?? '' } : null;
  const effective = effectiveValue(
    property,
    { plan: candidate('plan', plan, own), basePlan: basePlan ? candidate('base_plan', basePlan, base) : undefined },
    now,
  );
  return {
    property: { id: property.id, key: property.key, name: property.name, type: property.type, unit: property.unit },
    value: effective.value,
    enforcement: effective.enforcement,
    source: effective.source.kind as PlanPropertyValueDto['source'],
    planValue: stored(own),
    basePlanValue: stored(base),
    defaultValue: property.defaultValue,
  };
}

const auditShape = (property: PropertyDef, row: PlanValueRow | undefined) =>
  row
    ? {
        propertyId: property.id,
        propertyKey: property.key,
        value: row.value,
        enforcement: row.enforcement,
        inheritsValue: row.inherits_value,
      }
    : null;

/** Plans as templates: the property values of a plan (own or inherited from its base plan). */
export class PlanValuesService {
  constructor(private readonly deps: PlanValuesDeps) {}

  async #plan(db: Db, ctx: RequestContext, id: string): Promise<PlanWithBase> {
    const plan = await findPlanWithBase(db, id);
    if (!plan) throw planNotFound();
    assertProductVisible(ctx.actor, plan.productId, planNotFound());
    return plan;
  }

  /** Every property of the plan's product with the plan's value and where it comes from (3 queries). */
  async list(ctx: RequestContext, planId: string): Promise<PlanPropertiesDto> {
    const { db } = this.deps;
    const plan = await this.#plan(db, ctx, planId);
    const properties = await repo.listProductProperties(db, plan.productId);
    const rows = await repo.listPlanValues(db, plan.basePlanId ? [plan.id, plan.basePlanId] : [plan.id]);
    const own = new Map(rows.filter((r) => r.plan_id === plan.id).map((r) => [r.property_id, r]));
    const base = new Map(rows.filter((r) => r.plan_id !== plan.id).map((r) => [r.property_id, r]));
    const now = this.deps.clock.now();
    return {
      plan: {
        id: plan.id,
        name: plan.name,
        productId: plan.productId,
        basePlan: plan.basePlanId ? { id: plan.basePlanId, name: plan.basePlanName ?? '' } : null,
      },
      data: properties.map((p) => present(plan, presentPropertyDef(p), own.get(p.id), base.get(p.id), now)),
    };
  }

  async set(ctx: RequestContext, planId: string, propertyId: string, input: SetPlanValueInput) {
    assertCanWrite(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const { plan, property } = await this.#planAndProperty(trx, ctx, planId, propertyId);
      if (input.enforcement != null && property.type !== 'number') {
        throw unprocessable('PROPERTY_FIELD_NOT_APPLICABLE', 'enforcement applies to number properties only', [
          { field: '/body/enforcement', message: 'applies to number properties only' },
        ]);
      }
      const inheritsValue = input.value === undefined;
      if (inheritsValue && (property.type !== 'number' || input.enforcement == null)) {
        throw unprocessable('PLAN_VALUE_REQUIRED', 'Give a value, or (number properties) only an enforcement', [
          {
            field: '/body/value',
            message:
              property.type === 'number'
                ? 'is required unless enforcement is given (then the inherited value is enforced that way)'
                : 'is required',
          },
        ]);
      }
      if (!inheritsValue) assertValue(property, input.value, '/body/value');
      const before = await repo.findPlanValue(trx, plan.id, property.id);
      const row = await repo.upsertPlanValue(trx, {
        plan_id: plan.id,
        property_id: property.id,
        value: inheritsValue ? null : input.value,
        enforcement: input.enforcement ?? null,
        inherits_value: inheritsValue,
        updated_at: this.deps.clock.now(),
      });
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'plan.property_value_set',
        targetType: 'plan',
        targetId: plan.id,
        productId: plan.productId,
        before: auditShape(property, before),
        after: auditShape(property, row),
      });
      const base = plan.basePlanId ? await repo.findPlanValue(trx, plan.basePlanId, property.id) : undefined;
      return present(plan, property, row, base, this.deps.clock.now());
    });
  }

  /** Removes the plan's own value: the plan inherits its base plan's value (or the default) again. */
  async remove(ctx: RequestContext, planId: string, propertyId: string): Promise<void> {
    assertCanWrite(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const { plan, property } = await this.#planAndProperty(trx, ctx, planId, propertyId);
      const before = await repo.findPlanValue(trx, plan.id, property.id);
      if (!before) throw notFound('PLAN_VALUE_NOT_FOUND', 'A value of this property on this plan');
      await repo.deletePlanValue(trx, plan.id, property.id);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'plan.property_value_removed',
        targetType: 'plan',
        targetId: plan.id,
        productId: plan.productId,
        before: auditShape(property, before),
      });
    });
  }

  async #planAndProperty(trx: Db, ctx: RequestContext, planId: string, propertyId: string) {
    const plan = await this.#plan(trx, ctx, planId);
    const row = await findPropertyLocked(trx, propertyId, 'share');
    if (!row) throw propertyNotFound();
    assertProductVisible(ctx.actor, row.product_id, propertyNotFound());
    if (row.product_id !== plan.productId) {
      throw unprocessable(
        'PROPERTY_PRODUCT_MISMATCH',
        `The property ${row.key} belongs to product ${row.product_code}, not to the plan's product`,
        [{ field: '/params/propertyId', message: "is a property of another product than the plan's" }],
      );
    }
    return { plan, property: presentPropertyDef(row) };
  }
}
