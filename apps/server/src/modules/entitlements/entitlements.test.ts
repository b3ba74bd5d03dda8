import type { KyselyPlugin } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { evaluateFlagsForLicense } from '../flags/flags.read.ts';
import { catalog, createProduct, insertToken, issue } from '../licenses/test-fixtures.ts';
import { effectivePropertyOf, findLicenseRefs } from '../properties/properties.read.ts';
import {
  auditOfTarget,
  createOverride,
  createPlan,
  createProperty,
  errorOf,
  setPlanValue,
} from '../properties/test-fixtures.ts';
import { usageStatesOf } from '../usage/usage.read.ts';
import { entitlementsOfLicense } from './entitlements.read.ts';
import { EntitlementsService } from './entitlements.service.ts';
import type { EntitlementsState, FlagsReader, UsageReader } from './entitlements.types.ts';

type Prop = EntitlementsState['properties'][number];

const NOTHING = '00000000-0000-4000-8000-000000000001';

describe(`entitlements: the check call and explain (${dbKind})`, () => {
  let t: TestApp;
  let product: { id: string; code: string };
  let account: { id: string };
  let business: { id: string; name: string };
  let trial: { id: string; name: string };
  const props: Record<string, { id: string }> = {};

  const check = async (licenseId: string, token?: string) => {
    const res = await t.request({
      method: 'GET',
      url: `/v1/licenses/${licenseId}/entitlements`,
      ...(token ? { token } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    const state = res.json() as EntitlementsState;
    return { state, byKey: Object.fromEntries(state.properties.map((p) => [p.key, p])) as Record<string, Prop> };
  };
  const explain = (propertyId: string, query: string) =>
    t.request({ method: 'GET', url: `/v1/properties/${propertyId}/explain?${query}` });
  const inDays = (days: number) => new Date(t.clock.now().getTime() + days * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    product = await createProduct(t, 'ENT');
    account = (await catalog(t, 'ENTACC')).account;
    // "Trial = Business but soft limits" (and a soft expiry): the trial plan is based on Business.
    business = await createPlan(t, {
      productId: product.id,
      name: 'Business',
      licenseType: 'subscription',
      durationDays: 365,
    });
    trial = await createPlan(t, {
      productId: product.id,
      name: 'Business trial',
      licenseType: 'trial',
      durationDays: 14,
      graceDays: 3,
      expirationStrategy: 'allow',
      basePlanId: business.id,
    });
    const define = async (key: string, body: Record<string, unknown>) => {
      props[key] = await createProperty(t, { productId: product.id, key, name: key, ...body });
    };
    await define('sso', { type: 'boolean' });
    await define('api_calls', { type: 'number', defaultValue: 10, metered: true, unit: 'calls' });
    await define('projects', { type: 'number', defaultValue: 1 });
    await define('export.formats', {
      type: 'enum',
      options: ['pdf', 'csv', 'xlsx'],
      multiple: true,
      defaultValue: ['pdf'],
    });
    await define('theme', { type: 'json', defaultValue: { color: 'grey' } });
    await setPlanValue(t, business.id, props.sso!.id, { value: true });
    await setPlanValue(t, business.id, props.api_calls!.id, { value: 10_000 });
    await setPlanValue(t, business.id, props.projects!.id, { value: 50 });
    await setPlanValue(t, business.id, props['export.formats']!.id, { value: ['pdf', 'csv'] });
    // The trial only softens the limits.
    await setPlanValue(t, trial.id, props.api_calls!.id, { value: 10_000, enforcement: 'soft' });
    await setPlanValue(t, trial.id, props.projects!.id, { value: 50, enforcement: 'soft' });
  });
  afterAll(async () => t.close());

  it('"Trial = Business but soft limits": same values, soft enforcement, trial dates and soft expiry', async () => {
    const paid = await issue(t, { planId: business.id, accountId: account.id });
    const tried = await issue(t, { planId: trial.id, accountId: account.id });
    const b = await check(paid.id);
    const tr = await check(tried.id);
    for (const key of ['sso', 'api_calls', 'projects', 'export.formats', 'theme']) {
      expect({ key, value: tr.byKey[key]?.value }).toEqual({ key, value: b.byKey[key]?.value });
    }
    expect(b.byKey.api_calls).toMatchObject({ value: 10_000, enforcement: 'hard', source: { kind: 'plan' } });
    expect(tr.byKey.api_calls).toMatchObject({
      value: 10_000,
      enforcement: 'soft',
      unit: 'calls',
      source: { kind: 'plan', id: trial.id, planName: 'Business trial' },
    });
    expect(tr.byKey.sso).toMatchObject({
      value: true,
      enforcement: null,
      source: { kind: 'base_plan', id: business.id, planName: 'Business' },
    });
    expect(tr.byKey.theme).toMatchObject({ value: { color: 'grey' }, source: { kind: 'default', id: null } });
    expect(tr.state.license).toEqual({
      id: tried.id,
      status: 'expiring',
      type: 'trial',
      plan: { id: trial.id, name: 'Business trial' },
      product: { id: product.id, code: 'ENT' },
      account: { id: account.id, name: 'ENTACC Customer GmbH' },
    });
    expect(tr.state.trial).toEqual({
      isTrial: true,
      startsAt: t.clock.now().toISOString(),
      endsAt: inDays(14),
      daysLeft: 14,
      graceEndsAt: inDays(17),
      softExpiry: true,
      phase: 'active',
    });
    expect(b.state.trial).toMatchObject({ isTrial: false, softExpiry: false, daysLeft: 365 });
    expect(tr.state.flags).toEqual([]);
    expect(tr.state.computedAt).toBe(t.clock.now().toISOString());
    // Properties in key order; usage only on metered numbers.
    expect(tr.state.properties.map((p) => p.key)).toEqual(['api_calls', 'export.formats', 'projects', 'sso', 'theme']);
    // The read function other modules use (license files) computes the same state.
    const db = t.kw.database.db;
    const read = await entitlementsOfLicense(db, tried.id, t.clock.now(), {
      expiringWindowDays: 30,
      usage: (refs, effective, now) => usageStatesOf(db, refs, effective, now),
      flags: (refs, context, now) => evaluateFlagsForLicense(db, refs, context, now),
    });
    expect(read).toEqual(tr.state);
    expect(
      await entitlementsOfLicense(t.kw.database.db, NOTHING, t.clock.now(), { expiringWindowDays: 30 }),
    ).toBeUndefined();
  });

  it('applies every layer in order; an expired override hands over to the next layer (trace: expired)', async () => {
    const lic = await issue(t, { planId: trial.id, accountId: account.id });
    const calls = props.projects!.id;
    const value = async () => (await check(lic.id)).byKey.projects!;
    // Trial's own value.
    expect(await value()).toMatchObject({ value: 50, source: { kind: 'plan' } });
    const accountOverride = await createOverride(t, {
      propertyId: calls,
      accountId: account.id,
      value: 300,
      enforcement: 'hard',
      reason: '300 until June',
      expiresAt: inDays(5),
    });
    expect(await value()).toMatchObject({
      value: 300,
      enforcement: 'hard',
      source: { kind: 'account_override', id: accountOverride.id, reason: '300 until June', expiresAt: inDays(5) },
    });
    const licenseOverride = await createOverride(t, {
      propertyId: calls,
      licenseId: lic.id,
      value: 500,
      reason: 'pilot',
      expiresAt: inDays(2),
    });
    const top = await value();
    expect(top).toMatchObject({
      value: 500,
      // The license override sets no enforcement: the next layer that does (the account override) decides it.
      enforcement: 'hard',
      source: { kind: 'license_override', id: licenseOverride.id, reason: 'pilot', authorName: expect.any(String) },
    });

    t.clock.advanceDays(3); // the license override has expired
    expect(await value()).toMatchObject({ value: 300, source: { kind: 'account_override' } });
    const why = await explain(calls, `licenseId=${lic.id}`);
    expect(why.statusCode, why.body).toBe(200);
    expect(why.json()).toMatchObject({
      property: { id: calls, key: 'projects', type: 'number' },
      scope: { licenseId: lic.id, accountId: account.id },
      value: 300,
      source: { kind: 'account_override' },
      note: null,
      usage: null,
    });
    expect(
      why.json().trace.map((s: { source: { kind: string }; outcome: string }) => [s.source.kind, s.outcome]),
    ).toEqual([
      ['license_override', 'expired'],
      ['account_override', 'decided'],
      ['plan', 'shadowed'],
      ['base_plan', 'shadowed'],
      ['default', 'shadowed'],
    ]);
    expect(why.json().trace[0].detail).toContain('expired on');

    t.clock.advanceDays(3); // the account override has expired too
    expect(await value()).toMatchObject({ value: 50, enforcement: 'soft', source: { kind: 'plan' } });
    expect((await t.request({ method: 'DELETE', url: `/v1/plans/${trial.id}/properties/${calls}` })).statusCode).toBe(
      204,
    );
    expect(await value()).toMatchObject({ value: 50, enforcement: 'hard', source: { kind: 'base_plan' } });
    expect(
      (await t.request({ method: 'DELETE', url: `/v1/plans/${business.id}/properties/${calls}` })).statusCode,
    ).toBe(204);
    expect(await value()).toMatchObject({ value: 1, source: { kind: 'default' } });
    // Put the plan values back for the other tests.
    await setPlanValue(t, business.id, calls, { value: 50 });
    await setPlanValue(t, trial.id, calls, { value: 50, enforcement: 'soft' });
    await t.request({ method: 'DELETE', url: `/v1/overrides/${accountOverride.id}` });
  });

  it('explains for an account: account override > default, saying plan values depend on the license', async () => {
    const o = await createOverride(t, {
      propertyId: props.sso!.id,
      accountId: account.id,
      value: false,
      reason: 'security review pending',
    });
    const res = await explain(props.sso!.id, `accountId=${account.id}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      scope: { licenseId: null, accountId: account.id },
      value: false,
      source: { kind: 'account_override', id: o.id, reason: 'security review pending' },
      enforcement: null,
    });
    expect(res.json().trace.map((s: { outcome: string }) => s.outcome)).toEqual(['decided', 'shadowed']);
    expect(res.json().note).toContain('depend on the license');
    await t.request({ method: 'DELETE', url: `/v1/overrides/${o.id}` });

    const otherProduct = await createProduct(t, 'ENTX');
    const foreignPlan = await createPlan(t, { productId: otherProduct.id, name: 'X', licenseType: 'perpetual' });
    const foreign = await issue(t, { planId: foreignPlan.id, accountId: account.id });
    expect(errorOf(await explain(props.sso!.id, ''))).toMatchObject({ status: 422, code: 'EXPLAIN_TARGET_INVALID' });
    expect(errorOf(await explain(props.sso!.id, `accountId=${account.id}&licenseId=${foreign.id}`))).toMatchObject({
      code: 'EXPLAIN_TARGET_INVALID',
    });
    expect(errorOf(await explain(props.sso!.id, `licenseId=${foreign.id}`))).toMatchObject({
      status: 422,
      code: 'PROPERTY_PRODUCT_MISMATCH',
    });
    expect(errorOf(await explain(props.sso!.id, `licenseId=${NOTHING}`))).toMatchObject({
      status: 422,
      code: 'LICENSE_NOT_FOUND',
    });
    expect(errorOf(await explain(props.sso!.id, `accountId=${NOTHING}`))).toMatchObject({
      status: 422,
      code: 'ACCOUNT_NOT_FOUND',
    });
    expect(errorOf(await explain(NOTHING, `accountId=${account.id}`))).toMatchObject({
      status: 404,
      code: 'PROPERTY_NOT_FOUND',
    });
    expect(errorOf(await t.request({ method: 'GET', url: `/v1/licenses/${NOTHING}/entitlements` }))).toMatchObject({
      status: 404,
      code: 'LICENSE_NOT_FOUND',
    });
  });

  it('confines product tokens to their product', async () => {
    const lic = await issue(t, { planId: business.id, accountId: account.id });
    const stranger = await insertToken(t, 'product', (await createProduct(t, 'ENTY')).id);
    const own = await insertToken(t, 'product', product.id);
    expect(
      (await t.request({ method: 'GET', url: `/v1/licenses/${lic.id}/entitlements`, token: stranger })).statusCode,
    ).toBe(404);
    expect(
      (
        await t.request({
          method: 'GET',
          url: `/v1/properties/${props.sso!.id}/explain?licenseId=${lic.id}`,
          token: stranger,
        })
      ).statusCode,
    ).toBe(404);
    expect((await check(lic.id, own)).state.license.id).toBe(lic.id);
  });

  it('passes the license, effective values and context to the usage and flags readers; a constant number of queries', async () => {
    const lic = await issue(t, { planId: trial.id, accountId: account.id });
    let queries = 0;
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        queries++;
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    const db = t.kw.database.db.withPlugin(counting);
    const seen: unknown[] = [];
    const usage: UsageReader = async (refs, effective, now) => {
      seen.push({ refs, keys: effective.map((e) => e.property.key), now });
      const metered = effective.find((e) => e.property.key === 'api_calls')!;
      const other = effective.find((e) => e.property.key === 'projects')!;
      const state = {
        used: 7,
        limit: metered.value as number,
        remaining: (metered.value as number) - 7,
        enforcement: metered.enforcement ?? 'hard',
        warningAt: null,
        status: 'ok' as const,
        resetPeriod: 'none' as const,
        periodStart: now.toISOString(),
        periodEnd: null,
      };
      // A state for a property that is not metered is not shown.
      return new Map([
        [metered.property.id, state],
        [other.property.id, state],
      ]);
    };
    const flags: FlagsReader = async (refs, context) => {
      seen.push({ flagsFor: refs.licenseId, context });
      return [
        {
          key: 'new-ui',
          enabled: true,
          reason: 'STATIC',
          variant: { name: 'disabled', enabled: false, featureEnabled: true },
        },
      ];
    };
    const service = new EntitlementsService({ db, clock: t.clock, expiringWindowDays: 30, usage, flags });
    const state = await service.forLicense(systemContext('test'), lic.id, { userId: 'u9' });
    expect(state.properties.find((p) => p.key === 'api_calls')?.usage).toMatchObject({ used: 7, limit: 10_000 });
    expect(state.properties.find((p) => p.key === 'projects')?.usage).toBeNull();
    expect(state.flags).toEqual([
      {
        key: 'new-ui',
        enabled: true,
        reason: 'STATIC',
        variant: { name: 'disabled', enabled: false, featureEnabled: true },
      },
    ]);
    expect(seen).toEqual([
      {
        refs: {
          licenseId: lic.id,
          productId: product.id,
          accountId: account.id,
          planId: trial.id,
          planName: 'Business trial',
          basePlanId: business.id,
          basePlanName: 'Business',
        },
        keys: ['api_calls', 'export.formats', 'projects', 'sso', 'theme'],
        now: t.clock.now(),
      },
      { flagsFor: lic.id, context: { userId: 'u9' } },
    ]);
    // The read functions other modules use (usage metering) agree.
    const refs = await findLicenseRefs(t.kw.database.db, lic.id);
    expect(refs).toEqual((seen[0] as { refs: unknown }).refs);
    expect(await findLicenseRefs(t.kw.database.db, NOTHING)).toBeUndefined();
    const one = await effectivePropertyOf(t.kw.database.db, refs!, 'api_calls', t.clock.now());
    expect(one).toMatchObject({ value: 10_000, enforcement: 'soft', source: { kind: 'plan' } });
    expect(await effectivePropertyOf(t.kw.database.db, refs!, 'no_such_key', t.clock.now())).toBeUndefined();
    const few = queries;
    expect(few).toBe(3);
    // Twenty more properties with plan values and overrides: still the same number of queries.
    for (let i = 0; i < 20; i++) {
      const p = await createProperty(t, {
        productId: product.id,
        key: `extra_${i}`,
        name: `Extra ${i}`,
        type: 'number',
      });
      await setPlanValue(t, business.id, p.id, { value: i });
      if (i % 2) await createOverride(t, { propertyId: p.id, licenseId: lic.id, value: i * 10, reason: 'load' });
    }
    queries = 0;
    const bigger = await service.forLicense(systemContext('test'), lic.id);
    expect(bigger.properties).toHaveLength(25);
    expect(bigger.properties.find((p) => p.key === 'extra_3')).toMatchObject({
      value: 30,
      source: { kind: 'license_override' },
    });
    expect(queries).toBe(few);
  });

  it('audits nothing for reads', async () => {
    const lic = await issue(t, { planId: business.id, accountId: account.id });
    await check(lic.id);
    await explain(props.sso!.id, `licenseId=${lic.id}`);
    expect((await auditOfTarget(t, lic.id)).map((e) => e.action)).toEqual(['license.created']);
  });
});
