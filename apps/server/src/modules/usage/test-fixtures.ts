import type { TestApp } from '../../../test/harness.ts';
import type { Enforcement, ResetPeriod } from '../../platform/db/schema.ts';
import {
  clientCall,
  createLicense,
  type Fixture,
  type LicenseOptions,
  type PlanOptions,
} from '../client/test-fixtures.ts';

/**
 * Test data for usage metering: a license whose product has a metered number property, its limit set as the plan's
 * value (properties and plan values are inserted directly: the properties API is tested in its own module).
 */
export interface MeteredOptions {
  key?: string;
  /** The plan's value (the limit); null = unlimited. Default 50. */
  limit?: number | null;
  enforcement?: Enforcement | null;
  warningThresholdPercent?: number | null;
  resetPeriod?: ResetPeriod;
  metered?: boolean;
  plan?: PlanOptions;
  license?: LicenseOptions;
  product?: { id: string; code: string };
}

export interface MeteredFixture extends Fixture {
  propertyId: string;
  propertyKey: string;
}

export async function addProperty(
  t: TestApp,
  productId: string,
  opts: MeteredOptions & { type?: 'number' | 'boolean' } = {},
): Promise<{ id: string; key: string }> {
  const now = t.clock.now();
  const number = (opts.type ?? 'number') === 'number';
  const row = await t.kw.database.db
    .insertInto('properties')
    .values({
      product_id: productId,
      key: opts.key ?? 'api_calls',
      name: 'API calls',
      type: opts.type ?? 'number',
      default_value: JSON.stringify(number ? 0 : false),
      enforcement: number ? (opts.enforcement === undefined ? 'hard' : opts.enforcement) : null,
      warning_threshold_percent: number ? (opts.warningThresholdPercent ?? null) : null,
      metered: number ? (opts.metered ?? true) : false,
      reset_period: opts.resetPeriod ?? 'none',
      unit: number ? 'calls' : '',
      created_at: now,
      updated_at: now,
    })
    .returning(['id', 'key'])
    .executeTakeFirstOrThrow();
  return row;
}

export async function setPlanLimit(t: TestApp, planId: string, propertyId: string, limit: number | null) {
  await t.kw.database.db
    .insertInto('plan_property_values')
    .values({ plan_id: planId, property_id: propertyId, value: JSON.stringify(limit), updated_at: t.clock.now() })
    .onConflict((oc) => oc.columns(['plan_id', 'property_id']).doUpdateSet({ value: JSON.stringify(limit) }))
    .execute();
}

/** A license with a metered property (default: api_calls, hard limit 50, reset period none). */
export async function meteredLicense(t: TestApp, opts: MeteredOptions = {}): Promise<MeteredFixture> {
  const f = await createLicense(t, {
    ...(opts.plan ? { plan: opts.plan } : {}),
    ...(opts.license ? { license: opts.license } : {}),
    ...(opts.product ? { product: opts.product } : {}),
  });
  const property = await addProperty(t, f.product.id, opts);
  await setPlanLimit(t, f.planId, property.id, opts.limit === undefined ? 50 : opts.limit);
  return { ...f, propertyId: property.id, propertyKey: property.key };
}

/** POST /v1/client/usage. */
export const report = (t: TestApp, payload: Record<string, unknown>, ip?: string) =>
  clientCall(t, '/v1/client/usage', payload, ip);

/** POST /v1/licenses/:id/usage/:key with the admin token (or `token`). */
export const adminMeter = (
  t: TestApp,
  f: { licenseId: string; propertyKey: string },
  payload: Record<string, unknown>,
  token?: string,
) =>
  t.request({
    method: 'POST',
    url: `/v1/licenses/${f.licenseId}/usage/${f.propertyKey}`,
    payload,
    ...(token ? { token } : {}),
  });

export const usedOf = async (t: TestApp, licenseId: string, propertyId: string) =>
  (
    await t.kw.database.db
      .selectFrom('usage_counters')
      .select(['period_start', 'used'])
      .where('license_id', '=', licenseId)
      .where('property_id', '=', propertyId)
      .orderBy('period_start')
      .execute()
  ).map((r) => ({ periodStart: new Date(r.period_start).toISOString(), used: r.used }));

export const eventsOf = (t: TestApp, licenseId: string) =>
  t.kw.database.db
    .selectFrom('usage_events')
    .select(['op', 'amount', 'accepted', 'used_after', 'code', 'idempotency_key', 'source'])
    .where('license_id', '=', licenseId)
    .orderBy('id')
    .execute();
