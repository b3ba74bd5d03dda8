import { assertCanWrite, assertProductVisible, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { UsageOp } from '../../platform/db/schema.ts';
import { AppError, conflict, isUniqueViolation, unprocessable } from '../../platform/errors.ts';
import { decodeCheckedCursor, encodeCursor } from '../../platform/http/pagination.ts';
import type { PendingHit } from '../../platform/http/rate-limit.ts';
import { recordAudit } from '../audit/audit.write.ts';
import type { ClientRequest } from '../client/activation.service.ts';
import { assertNonce, assertUsable, keyOf, licenseNotFound } from '../client/client-access.ts';
import { findLicenseStart } from '../licenses/licenses.read.ts';
import type { EffectiveProperty } from '../properties/effective.ts';
import {
  effectiveFromLayers,
  effectivePropertiesOf,
  effectivePropertyOf,
  findLicenseRefs,
} from '../properties/properties.read.ts';
import { presentPropertyRef, presentUsageEvent } from './usage.presenter.ts';
import { usageStatesOf } from './usage.read.ts';
import * as repo from './usage.repository.ts';
import type {
  ClientUsageInput,
  LicenseUsageDto,
  MeterInput,
  UsageHistoryDto,
  UsageHistoryInput,
  UsageResultDto,
} from './usage.schemas.ts';
import { currentPeriod, periodEndOf } from './usage-period.ts';
import { isMetered, type MeterSettings, meterSettingsOf, usageStateOf } from './usage-status.ts';

export interface UsageDeps {
  db: Db;
  clock: Clock;
}

/** A metered property of one license, as a metering call sees it. */
interface Target {
  licenseId: string;
  productId: string;
  accountId: string;
  startsAt: Date;
  effective: EffectiveProperty;
}

interface Caller {
  source: 'client' | 'admin';
  actorName: string;
  /** Admin calls: audited in the same transaction as the change. */
  ctx?: RequestContext;
}

const MAX_COUNT = Number.MAX_SAFE_INTEGER;
/** A refusal re-checks the counter; if it moved so that the change fits now, the call is tried again (bounded). */
const ATTEMPTS = 5;
const AUDIT_ACTION: Record<UsageOp, string> = {
  increment: 'usage.incremented',
  decrement: 'usage.decremented',
  set: 'usage.set',
  reset: 'usage.reset',
};

const propertyNotFound = (key: string) =>
  new AppError('PROPERTY_NOT_FOUND', 404, `The license's product has no property "${key}"`);

/** The refusal of a call, rebuilt from its numbers (the same for the call and for every replay of its key). */
function refusal(key: string, op: UsageOp, amount: number, used: number, limit: number | null, code: string) {
  if (code === 'USAGE_LIMIT_EXCEEDED') {
    const message =
      op === 'increment'
        ? `${key}: ${used} of ${limit} used; +${amount} would exceed the hard limit`
        : `${key}: setting ${amount} would exceed the hard limit of ${limit} (${used} used)`;
    return new AppError(code, 409, message, [{ field: '/body/amount', message: `exceeds the hard limit of ${limit}` }]);
  }
  return unprocessable(code, `${key}: ${used} used; +${amount} is beyond the largest count kept (${MAX_COUNT})`, [
    { field: '/body/amount', message: 'takes the counter out of range' },
  ]);
}

/** Usage metering: client (license key) and admin calls, atomic under concurrency; see docs/usage-metering.md. */
export class UsageService {
  constructor(private readonly deps: UsageDeps) {}

  /**
   * POST /v1/client/usage: one read (with the request's rate-limit hit, which throws RateLimitedError when over a
   * limit) and the one metering statement.
   */
  async meterByKey(_client: ClientRequest, input: ClientUsageInput, hit: PendingHit | null = null) {
    let key: string;
    try {
      key = keyOf(input.key);
    } catch (err) {
      await hit?.count(); // a mistyped key is counted too (and a 429 wins over its 400)
      throw err;
    }
    const now = this.deps.clock.now();
    const found = await repo.findMeterTarget(this.deps.db, key, input.property, hit);
    if (!found) throw licenseNotFound();
    assertNonce(found, input.nonce);
    const op = input.op ?? 'increment';
    assertUsable(found, op === 'decrement' ? 'release' : 'consume', now);
    if (!found.property) throw propertyNotFound(input.property);
    const effective = effectiveFromLayers(
      found.property,
      found.layers,
      {
        planName: found.plan_name,
        basePlanName: found.base_plan_name,
      },
      now,
    );
    const target = this.#checkedTarget(
      { licenseId: found.id, productId: found.product_id, accountId: found.account_id, startsAt: found.starts_at },
      effective,
      input.property,
    );
    return this.#meter(target, op, input.amount ?? 1, input.idempotencyKey ?? null, now, {
      source: 'client',
      actorName: 'license key',
    });
  }

  /** POST /v1/licenses/:id/usage/:propertyKey. An admin set may go above a hard limit (a correction). */
  async meter(ctx: RequestContext, licenseId: string, propertyKey: string, input: MeterInput) {
    assertCanWrite(ctx.actor);
    const now = this.deps.clock.now();
    const target = await this.#adminTarget(ctx, licenseId, propertyKey, now);
    const caller: Caller = { source: 'admin', actorName: ctx.actor.name, ctx };
    return this.#meter(target, input.op ?? 'increment', input.amount ?? 1, input.idempotencyKey ?? null, now, caller);
  }

  /** POST /v1/licenses/:id/usage/:propertyKey/reset: the current period's counter back to 0. */
  async reset(ctx: RequestContext, licenseId: string, propertyKey: string): Promise<UsageResultDto> {
    assertCanWrite(ctx.actor);
    const now = this.deps.clock.now();
    const target = await this.#adminTarget(ctx, licenseId, propertyKey, now);
    return this.#meter(target, 'reset', 0, null, now, { source: 'admin', actorName: ctx.actor.name, ctx });
  }

  /** GET /v1/licenses/:id/usage: every metered property of the license with its current usage. */
  async list(ctx: RequestContext, licenseId: string): Promise<LicenseUsageDto> {
    const now = this.deps.clock.now();
    const refs = await findLicenseRefs(this.deps.db, licenseId);
    if (!refs) throw licenseNotFound();
    assertProductVisible(ctx.actor, refs.productId, licenseNotFound());
    const metered = (await effectivePropertiesOf(this.deps.db, refs, now)).filter(isMetered);
    const states = await usageStatesOf(this.deps.db, refs, metered, now);
    return {
      licenseId,
      data: metered.flatMap((e) => {
        const usage = states.get(e.property.id);
        return usage ? [{ property: presentPropertyRef(e.property), usage }] : [];
      }),
    };
  }

  /** GET /v1/licenses/:id/usage/:propertyKey/history: every call, newest first, and the totals of each period. */
  async history(
    ctx: RequestContext,
    licenseId: string,
    propertyKey: string,
    query: UsageHistoryInput,
  ): Promise<UsageHistoryDto> {
    const now = this.deps.clock.now();
    const cursor = decodeCheckedCursor(query.cursor, (c) => /^[1-9][0-9]{0,14}$/.test(c.id));
    const target = await this.#adminTarget(ctx, licenseId, propertyKey, now);
    const { db } = this.deps;
    const propertyId = target.effective.property.id;
    const settings = meterSettingsOf(target.effective);
    const period = currentPeriod(settings.resetPeriod, target.startsAt, now);
    const limit = query.limit ?? 50;
    const [events, counters] = await Promise.all([
      repo.listEvents(db, licenseId, propertyId, limit, cursor ? Number(cursor.id) : null),
      repo.listCounters(db, licenseId, propertyId, 100),
    ]);
    const more = events.length > limit;
    const page = more ? events.slice(0, limit) : events;
    const last = page.at(-1);
    const current = counters.find((c) => new Date(c.period_start).getTime() === period.start.getTime());
    return {
      property: presentPropertyRef(target.effective.property),
      usage: usageStateOf(current?.used ?? 0, settings, period),
      data: page.map(presentUsageEvent),
      nextCursor: more && last ? encodeCursor({ v: null, id: String(last.id) }) : null,
      periods: counters.map((c) => {
        const start = new Date(c.period_start);
        return {
          periodStart: start.toISOString(),
          periodEnd: periodEndOf(settings.resetPeriod, target.startsAt, start)?.toISOString() ?? null,
          used: c.used,
          current: start.getTime() === period.start.getTime(),
        };
      }),
    };
  }

  async #adminTarget(ctx: RequestContext, licenseId: string, propertyKey: string, now: Date): Promise<Target> {
    const start = await findLicenseStart(this.deps.db, licenseId);
    if (!start) throw licenseNotFound();
    assertProductVisible(ctx.actor, start.productId, licenseNotFound());
    return this.#target(licenseId, start.startsAt, propertyKey, now);
  }

  async #target(licenseId: string, startsAt: Date, propertyKey: string, now: Date): Promise<Target> {
    const refs = await findLicenseRefs(this.deps.db, licenseId);
    if (!refs) throw licenseNotFound();
    const effective = await effectivePropertyOf(this.deps.db, refs, propertyKey, now);
    if (!effective) throw propertyNotFound(propertyKey);
    return this.#checkedTarget(
      { licenseId, productId: refs.productId, accountId: refs.accountId, startsAt },
      effective,
      propertyKey,
    );
  }

  #checkedTarget(license: Omit<Target, 'effective'>, effective: EffectiveProperty, propertyKey: string): Target {
    if (!isMetered(effective)) {
      throw unprocessable('PROPERTY_NOT_METERED', `The property "${propertyKey}" is not a metered number property`, [
        { field: '/body/property', message: 'is not metered' },
      ]);
    }
    return { ...license, effective };
  }

  async #meter(
    target: Target,
    op: UsageOp,
    amount: number,
    idempotencyKey: string | null,
    now: Date,
    caller: Caller,
  ): Promise<UsageResultDto> {
    const settings = meterSettingsOf(target.effective);
    const period = currentPeriod(settings.resetPeriod, target.startsAt, now);
    const { limit } = settings;
    // The hard limit binds increments (of more than 0) and client sets; an admin set is a correction.
    const hardLimit =
      settings.enforcement === 'hard' &&
      limit !== null &&
      ((op === 'increment' && amount > 0) || (op === 'set' && caller.source === 'client'));
    const write: repo.MeterWrite = {
      licenseId: target.licenseId,
      propertyId: target.effective.property.id,
      periodStart: period.start,
      op,
      amount,
      cap: hardLimit ? limit : MAX_COUNT,
      limit,
      enforcement: settings.enforcement,
      idempotencyKey,
      source: caller.source,
      actorName: caller.actorName,
      now,
    };
    const code = hardLimit ? 'USAGE_LIMIT_EXCEEDED' : 'USAGE_OUT_OF_RANGE';
    const key = target.effective.property.key;
    try {
      for (let attempt = 1; ; attempt++) {
        const used = await this.#apply(target, write, caller);
        if (used !== null) return { accepted: true, property: key, usage: usageStateOf(used, settings, period) };
        const seen = await repo.recordRefusal(this.deps.db, write, code, attempt === ATTEMPTS);
        if (seen !== null) throw refusal(key, op, amount, seen, limit, code);
      }
    } catch (err) {
      if (idempotencyKey !== null && isUniqueViolation(err)) {
        return this.#replay(target, write, settings);
      }
      throw err;
    }
  }

  /** The change (and for admin calls its audit event) in one transaction; null when refused. */
  async #apply(target: Target, write: repo.MeterWrite, caller: Caller): Promise<number | null> {
    const { ctx } = caller;
    if (!ctx) return repo.applyChange(this.deps.db, write);
    return this.deps.db.transaction().execute(async (trx) => {
      const before = await repo.lockCounter(trx, write);
      const used = await repo.applyChange(trx, write);
      if (used === null) return null;
      const property = target.effective.property.key;
      await recordAudit(trx, ctx, this.deps.clock, {
        action: AUDIT_ACTION[write.op],
        targetType: 'license',
        targetId: target.licenseId,
        productId: target.productId,
        accountId: target.accountId,
        licenseId: target.licenseId,
        before: { property, used: before, periodStart: write.periodStart.toISOString() },
        after: { property, used, op: write.op, amount: write.amount, periodStart: write.periodStart.toISOString() },
      });
      return used;
    });
  }

  /** A call whose idempotency key was used before on this license: the recorded outcome, counted once. */
  async #replay(target: Target, write: repo.MeterWrite, settings: MeterSettings): Promise<UsageResultDto> {
    const event = await repo.findEventByKey(this.deps.db, write.licenseId, write.idempotencyKey ?? '');
    if (!event) throw conflict('IDEMPOTENCY_CONFLICT', 'A call with this idempotency key is in progress; retry');
    if (event.property_id !== write.propertyId || event.op !== write.op || event.amount !== write.amount) {
      const other =
        event.property_id === write.propertyId ? `${event.op} ${event.amount}` : 'a call on another property';
      throw unprocessable(
        'IDEMPOTENCY_KEY_REUSED',
        `The idempotency key was already used on this license for another call (${other})`,
        [{ field: '/body/idempotencyKey', message: 'was used for a different call on this license' }],
      );
    }
    const key = target.effective.property.key;
    const recorded = { ...settings, limit: event.usage_limit, enforcement: event.enforcement };
    if (!event.accepted) throw refusal(key, event.op, event.amount, event.used_after, event.usage_limit, event.code);
    const start = new Date(event.period_start);
    const period = { start, end: periodEndOf(settings.resetPeriod, target.startsAt, start) };
    return { accepted: true, property: key, usage: usageStateOf(event.used_after, recorded, period) };
  }
}
