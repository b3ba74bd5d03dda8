import { assertCanWrite, assertProductVisible, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { conflict, isForeignKeyViolation, isUniqueViolation, notFound, unprocessable } from '../../platform/errors.ts';
import { decodeCheckedCursor, isIsoDate, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { presentPlan } from './plans.presenter.ts';
import * as repo from './plans.repository.ts';
import {
  type CreatePlanInput,
  DEFAULT_MAX_OFFLINE_SECONDS,
  type ListPlansInput,
  type PlanDto,
  type UpdatePlanInput,
} from './plans.schemas.ts';

export interface PlansDeps {
  db: Db;
  clock: Clock;
}

const planNotFound = () => notFound('PLAN_NOT_FOUND', 'Plan');
const productNotFound = () =>
  unprocessable('PRODUCT_NOT_FOUND', 'The product does not exist', [
    { field: '/body/productId', message: 'is not a known product' },
  ]);
const nameTaken = (name: string) => conflict('PLAN_NAME_TAKEN', `This product already has a plan named ${name}`);
const nodeLockedSeats = () =>
  unprocessable('PLAN_NODE_LOCKED_SEATS', 'A node-locked plan (floating: false) allows exactly one machine', [
    { field: '/body/maxMachines', message: 'must be 1 or omitted when floating is false' },
  ]);

const baseInvalid = (message: string) =>
  unprocessable('PLAN_BASE_INVALID', message, [{ field: '/body/basePlanId', message }]);

/**
 * Checks a base plan (plans as templates, one level): another plan of the same product that has no base itself;
 * and a plan other plans are based on cannot get a base. `planId` is null on create.
 */
async function assertBase(
  trx: Db,
  actor: RequestContext['actor'],
  productId: string,
  planId: string | null,
  baseId: string,
) {
  if (baseId === planId) throw baseInvalid('A plan cannot be based on itself');
  const base = await repo.findBaseCandidate(trx, baseId);
  if (!base || base.product_id !== productId) throw baseInvalid('must be a plan of the same product');
  assertProductVisible(actor, base.product_id, baseInvalid('must be a plan of the same product'));
  if (base.base_plan_id !== null) {
    throw baseInvalid(`${base.name} is itself based on another plan; a base plan cannot have a base (one level)`);
  }
  if (planId !== null) {
    const based = await repo.countPlansBasedOn(trx, planId);
    if (based > 0) throw baseInvalid(`${based} plan(s) are based on this plan, so it cannot have a base itself`);
  }
}

/** Entitlement codes, deduplicated in first-seen order. */
const dedupe = (codes: string[]) => [...new Set(codes)];

/**
 * The seat limit to store: node-locked plans (floating: false) have exactly one machine. `requested` is the
 * maxMachines of the request (undefined when omitted), `current` the stored value on updates.
 */
function seatLimit(floating: boolean, requested: number | null | undefined, current: number | null): number | null {
  if (floating) return requested === undefined ? current : requested;
  if (requested === undefined || requested === 1) return 1;
  throw nodeLockedSeats();
}

export class PlansService {
  constructor(private readonly deps: PlansDeps) {}

  async create(ctx: RequestContext, input: CreatePlanInput): Promise<PlanDto> {
    assertCanWrite(ctx.actor);
    const floating = input.floating ?? true;
    const maxMachines = seatLimit(floating, input.maxMachines, null);
    const now = this.deps.clock.now();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const product = await repo.findProductRef(trx, input.productId);
        if (!product) throw productNotFound();
        assertProductVisible(ctx.actor, product.id, productNotFound());
        if (input.basePlanId) await assertBase(trx, ctx.actor, product.id, null, input.basePlanId);
        const row = await repo.insertPlan(trx, {
          product_id: product.id,
          name: input.name,
          license_type: input.licenseType,
          duration_days: input.durationDays ?? null,
          grace_days: input.graceDays ?? 0,
          maintenance_days: input.maintenanceDays ?? null,
          max_machines: maxMachines,
          floating,
          heartbeat_interval_seconds: input.heartbeatIntervalSeconds ?? null,
          expiration_strategy: input.expirationStrategy ?? 'restrict',
          require_fingerprint: input.requireFingerprint ?? false,
          require_domain: input.requireDomain ?? false,
          entitlements: dedupe(input.entitlements ?? []),
          key_scheme: input.keyScheme ?? 'random',
          base_plan_id: input.basePlanId ?? null,
          max_offline_seconds: input.maxOfflineSeconds ?? DEFAULT_MAX_OFFLINE_SECONDS,
          max_unbound_files: input.maxUnboundFiles ?? null,
          require_nonce: input.requireNonce ?? false,
          created_at: now,
          updated_at: now,
        });
        const after = presentPlan(repo.withProduct(row, product));
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'plan.created',
          targetType: 'plan',
          targetId: row.id,
          productId: product.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      // The product was deleted between our check and the insert.
      if (isForeignKeyViolation(err)) throw productNotFound();
      throw err;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<PlanDto> {
    const row = await repo.findPlan(this.deps.db, id);
    if (!row) throw planNotFound();
    assertProductVisible(ctx.actor, row.product_id, planNotFound());
    return presentPlan(row);
  }

  async list(ctx: RequestContext, input: ListPlansInput): Promise<Page<PlanDto>> {
    const limit = input.limit ?? 50;
    const rows = await repo.listPlans(this.deps.db, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => c.v !== null && isIsoDate(c.v) && isUuid(c.id)),
      scope: productScope(ctx.actor),
      productId: input.productId,
      licenseType: input.licenseType,
      q: input.q,
    });
    return toPage(rows, limit, presentPlan, (r) => ({ v: r.created_at.toISOString(), id: r.id }));
  }

  async update(ctx: RequestContext, id: string, input: UpdatePlanInput): Promise<PlanDto> {
    assertCanWrite(ctx.actor);
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        if (input.basePlanId) await repo.lockPlans(trx, [id, input.basePlanId]);
        const current = await repo.findPlanForUpdate(trx, id);
        if (!current) throw planNotFound();
        assertProductVisible(ctx.actor, current.product_id, planNotFound());
        if (input.basePlanId) await assertBase(trx, ctx.actor, current.product_id, id, input.basePlanId);
        const floating = input.floating ?? current.floating;
        // Kysely leaves out the undefined (not given) fields.
        const row = await repo.updatePlan(trx, id, {
          name: input.name,
          license_type: input.licenseType,
          duration_days: input.durationDays,
          grace_days: input.graceDays,
          maintenance_days: input.maintenanceDays,
          // Turning a plan node-locked without a seat count sets it to one seat.
          max_machines: seatLimit(floating, input.maxMachines, current.max_machines),
          floating: input.floating,
          heartbeat_interval_seconds: input.heartbeatIntervalSeconds,
          expiration_strategy: input.expirationStrategy,
          require_fingerprint: input.requireFingerprint,
          require_domain: input.requireDomain,
          entitlements: input.entitlements && dedupe(input.entitlements),
          key_scheme: input.keyScheme,
          base_plan_id: input.basePlanId,
          max_offline_seconds: input.maxOfflineSeconds,
          max_unbound_files: input.maxUnboundFiles,
          require_nonce: input.requireNonce,
          updated_at: this.deps.clock.now(),
        });
        const product = { id: current.product_id, code: current.product_code, name: current.product_name };
        const before = presentPlan(current);
        const after = presentPlan(repo.withProduct(row, product));
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'plan.updated',
          targetType: 'plan',
          targetId: id,
          productId: current.product_id,
          before,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name ?? '');
      throw err;
    }
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    assertCanWrite(ctx.actor);
    const inUse = () => conflict('PLAN_IN_USE', 'Licenses use this plan; move or delete them first');
    const isBase = (n: number) =>
      conflict('PLAN_IN_USE', `${n} plan(s) are based on this plan; change their base plan or delete them first`);
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const current = await repo.findPlanForUpdate(trx, id);
        if (!current) throw planNotFound();
        assertProductVisible(ctx.actor, current.product_id, planNotFound());
        if ((await repo.countPlanLicenses(trx, id)) > 0) throw inUse();
        const based = await repo.countPlansBasedOn(trx, id);
        if (based > 0) throw isBase(based);
        await repo.deletePlan(trx, id);
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'plan.deleted',
          targetType: 'plan',
          targetId: id,
          productId: current.product_id,
          before: presentPlan(current),
        });
      });
    } catch (err) {
      // A license or a plan based on it was created between the counts and the delete (ON DELETE RESTRICT).
      if (isForeignKeyViolation(err)) {
        throw conflict('PLAN_IN_USE', 'Licenses or plans based on it use this plan; move or delete them first');
      }
      throw err;
    }
  }
}
