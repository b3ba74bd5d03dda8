import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { createProduct, insertToken } from '../licenses/test-fixtures.ts';
import { auditOfTarget, createPlan, createProperty, errorOf, setPlanValue } from './test-fixtures.ts';

/** A uuid no record has. */
const NOTHING = '00000000-0000-4000-8000-00000000beef';

describe(`plans as templates: base plans and plan values (${dbKind})`, () => {
  let t: TestApp;
  let product: { id: string };
  let otherProduct: { id: string };

  const plan = (name: string, extra: Record<string, unknown> = {}) =>
    createPlan(t, { productId: product.id, name, licenseType: 'subscription', durationDays: 365, ...extra });
  const patchPlan = (id: string, payload: Record<string, unknown>) =>
    t.request({ method: 'PATCH', url: `/v1/plans/${id}`, payload });

  beforeAll(async () => {
    t = await startTestApp();
    product = await createProduct(t, 'TPL');
    otherProduct = await createProduct(t, 'TPLX');
  });
  afterAll(async () => t.close());

  it('validates basePlanId: same product, one level, not itself; a base cannot be deleted', async () => {
    const business = await plan('Business');
    expect(business.basePlanId).toBeNull();
    const trial = await plan('Trial', { basePlanId: business.id, licenseType: 'trial', durationDays: 14 });
    expect(trial.basePlanId).toBe(business.id);
    expect((await t.request({ method: 'GET', url: `/v1/plans/${trial.id}` })).json().basePlanId).toBe(business.id);

    const foreign = await createPlan(t, { productId: otherProduct.id, name: 'Foreign', licenseType: 'perpetual' });
    const invalid = async (res: Promise<import('fastify').LightMyRequestResponse>) =>
      expect(errorOf(await res)).toMatchObject({
        status: 422,
        code: 'PLAN_BASE_INVALID',
        fields: ['/body/basePlanId'],
      });
    await invalid(
      t.request({
        method: 'POST',
        url: '/v1/plans',
        payload: { productId: product.id, name: 'X', licenseType: 'trial', basePlanId: foreign.id },
      }),
    );
    await invalid(
      t.request({
        method: 'POST',
        url: '/v1/plans',
        payload: { productId: product.id, name: 'X', licenseType: 'trial', basePlanId: trial.id },
      }),
    ); // the base has a base itself
    await invalid(
      t.request({
        method: 'POST',
        url: '/v1/plans',
        payload: { productId: product.id, name: 'X', licenseType: 'trial', basePlanId: NOTHING },
      }),
    );
    await invalid(patchPlan(business.id, { basePlanId: business.id })); // itself
    const standalone = await plan('Standalone');
    await invalid(patchPlan(business.id, { basePlanId: standalone.id })); // other plans are based on Business
    const moved = await patchPlan(standalone.id, { basePlanId: business.id });
    expect(moved.json().basePlanId).toBe(business.id);
    expect((await patchPlan(standalone.id, { basePlanId: null })).json().basePlanId).toBeNull();

    const refused = await t.request({ method: 'DELETE', url: `/v1/plans/${business.id}` });
    expect(errorOf(refused)).toMatchObject({ status: 409, code: 'PLAN_IN_USE' });
    expect(refused.json().error.message).toContain('based on this plan');
    expect((await t.request({ method: 'DELETE', url: `/v1/plans/${trial.id}` })).statusCode).toBe(204);
    expect((await t.request({ method: 'DELETE', url: `/v1/plans/${business.id}` })).statusCode).toBe(204);
  });

  it("lists every property with the plan's own, inherited or default value; set and unset are audited", async () => {
    const business = await plan('Business 2');
    const trial = await plan('Trial 2', { basePlanId: business.id, licenseType: 'trial', durationDays: 14 });
    const sso = await createProperty(t, { productId: product.id, key: 'sso', name: 'SSO', type: 'boolean' });
    const calls = await createProperty(t, {
      productId: product.id,
      key: 'calls',
      name: 'Calls',
      type: 'number',
      defaultValue: 10,
      metered: true,
    });
    await createProperty(t, { productId: product.id, key: 'theme', name: 'Theme', type: 'json' });
    await setPlanValue(t, business.id, sso.id, { value: true });
    await setPlanValue(t, business.id, calls.id, { value: 1000 });
    const own = await setPlanValue(t, trial.id, calls.id, { value: 1000, enforcement: 'soft' });
    expect(own).toMatchObject({ value: 1000, enforcement: 'soft', source: 'plan' });

    const res = await t.request({ method: 'GET', url: `/v1/plans/${trial.id}/properties` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.plan).toEqual({
      id: trial.id,
      name: 'Trial 2',
      productId: product.id,
      basePlan: { id: business.id, name: 'Business 2' },
    });
    const byKey = Object.fromEntries(body.data.map((d: { property: { key: string } }) => [d.property.key, d]));
    expect(byKey.sso).toMatchObject({
      value: true,
      source: 'base_plan',
      planValue: null,
      basePlanValue: { value: true },
    });
    expect(byKey.calls).toMatchObject({
      value: 1000,
      enforcement: 'soft',
      source: 'plan',
      planValue: { value: 1000, enforcement: 'soft' },
      basePlanValue: { value: 1000, enforcement: null },
      defaultValue: 10,
    });
    expect(byKey.theme).toMatchObject({ value: null, source: 'default', planValue: null, basePlanValue: null });

    // Back to inherited.
    expect(
      (await t.request({ method: 'DELETE', url: `/v1/plans/${trial.id}/properties/${calls.id}` })).statusCode,
    ).toBe(204);
    const again = (await t.request({ method: 'GET', url: `/v1/plans/${trial.id}/properties` })).json();
    expect(again.data.find((d: { property: { key: string } }) => d.property.key === 'calls')).toMatchObject({
      value: 1000,
      enforcement: 'hard',
      source: 'base_plan',
    });
    expect(
      errorOf(await t.request({ method: 'DELETE', url: `/v1/plans/${trial.id}/properties/${calls.id}` })),
    ).toMatchObject({ status: 404, code: 'PLAN_VALUE_NOT_FOUND' });
    expect((await auditOfTarget(t, trial.id)).map((e) => e.action)).toEqual([
      'plan.created',
      'plan.property_value_set',
      'plan.property_value_removed',
    ]);
    const [set] = (await auditOfTarget(t, trial.id)).filter((e) => e.action === 'plan.property_value_set');
    expect(set?.after).toEqual({
      propertyId: calls.id,
      propertyKey: 'calls',
      value: 1000,
      enforcement: 'soft',
      inheritsValue: false,
    });
    expect(set?.before).toBeNull();
  });

  it('refuses bad plan values with their codes', async () => {
    const p = await plan('Values');
    const limit = await createProperty(t, { productId: product.id, key: 'limit', name: 'Limit', type: 'number' });
    const flag = await createProperty(t, { productId: product.id, key: 'flag', name: 'Flag', type: 'boolean' });
    const kind = await createProperty(t, {
      productId: product.id,
      key: 'kind',
      name: 'Kind',
      type: 'enum',
      options: ['a', 'b'],
    });
    const foreign = await createProperty(t, { productId: otherProduct.id, key: 'limit', name: 'L', type: 'number' });
    const put = (propertyId: string, payload: Record<string, unknown>) =>
      t.request({ method: 'PUT', url: `/v1/plans/${p.id}/properties/${propertyId}`, payload });
    expect(errorOf(await put(limit.id, { value: -5 }))).toEqual({
      status: 422,
      code: 'PROPERTY_VALUE_INVALID',
      fields: ['/body/value'],
    });
    expect(errorOf(await put(limit.id, { value: 'lots' }))).toMatchObject({ code: 'PROPERTY_VALUE_INVALID' });
    expect(errorOf(await put(flag.id, { value: 1 }))).toMatchObject({ code: 'PROPERTY_VALUE_INVALID' });
    expect(errorOf(await put(kind.id, { value: 'c' }))).toMatchObject({ code: 'PROPERTY_VALUE_INVALID' });
    expect(errorOf(await put(flag.id, { value: true, enforcement: 'soft' }))).toMatchObject({
      status: 422,
      code: 'PROPERTY_FIELD_NOT_APPLICABLE',
    });
    expect(errorOf(await put(foreign.id, { value: 1 }))).toMatchObject({
      status: 422,
      code: 'PROPERTY_PRODUCT_MISMATCH',
    });
    expect(errorOf(await put(NOTHING, { value: 1 }))).toMatchObject({
      status: 404,
      code: 'PROPERTY_NOT_FOUND',
    });
    // No value needs an enforcement to apply to the inherited one.
    expect(errorOf(await put(limit.id, {}))).toMatchObject({ status: 422, code: 'PLAN_VALUE_REQUIRED' });
    // null = unlimited is a valid limit.
    expect((await put(limit.id, { value: null })).json()).toMatchObject({ value: null, source: 'plan' });
    // Product tokens of another product see neither the plan nor its values.
    const stranger = await insertToken(t, 'product', otherProduct.id);
    const hidden = await t.request({ method: 'GET', url: `/v1/plans/${p.id}/properties`, token: stranger });
    expect(errorOf(hidden)).toMatchObject({ status: 404, code: 'PLAN_NOT_FOUND' });
  });

  it("softens a base plan's limit without restating it: an enforcement-only plan value follows Business", async () => {
    const calls = await createProperty(t, {
      productId: product.id,
      key: 'soft_calls',
      name: 'Calls',
      type: 'number',
      metered: true,
      enforcement: 'hard',
    });
    const flag = await createProperty(t, { productId: product.id, key: 'soft_sso', name: 'SSO', type: 'boolean' });
    const business = await plan('Business soft');
    const trial = await plan('Trial soft', { basePlanId: business.id, licenseType: 'trial', durationDays: 14 });
    await setPlanValue(t, business.id, calls.id, { value: 10_000 });
    const softened = await setPlanValue(t, trial.id, calls.id, { enforcement: 'soft' });
    expect(softened).toMatchObject({
      value: 10_000,
      enforcement: 'soft',
      source: 'base_plan',
      planValue: { value: null, enforcement: 'soft', inheritsValue: true },
    });
    // Business changes its limit: the trial follows, still soft.
    await setPlanValue(t, business.id, calls.id, { value: 20_000 });
    const list = (await t.request({ method: 'GET', url: `/v1/plans/${trial.id}/properties` })).json();
    expect(list.data.find((v: { property: { key: string } }) => v.property.key === 'soft_calls')).toMatchObject({
      value: 20_000,
      enforcement: 'soft',
      source: 'base_plan',
    });
    // A value is needed for non-numbers, and for numbers unless an enforcement is given.
    const put = (propertyId: string, payload: Record<string, unknown>) =>
      t.request({ method: 'PUT', url: `/v1/plans/${trial.id}/properties/${propertyId}`, payload });
    expect(errorOf(await put(flag.id, {}))).toMatchObject({ status: 422, code: 'PLAN_VALUE_REQUIRED' });
    expect(errorOf(await put(calls.id, {}))).toMatchObject({
      status: 422,
      code: 'PLAN_VALUE_REQUIRED',
      fields: ['/body/value'],
    });
  });
});
