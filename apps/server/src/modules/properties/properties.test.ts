import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { catalog, insertToken, issue } from '../licenses/test-fixtures.ts';
import { auditOfTarget, createOverride, createProperty, errorOf, setPlanValue } from './test-fixtures.ts';

/** A uuid no record has. */
const NOTHING = '00000000-0000-4000-8000-00000000beef';

describe(`properties API (${dbKind})`, () => {
  let t: TestApp;
  let c: Awaited<ReturnType<typeof catalog>>;
  let other: Awaited<ReturnType<typeof catalog>>;

  const post = (payload: Record<string, unknown>, token?: string) =>
    t.request({ method: 'POST', url: '/v1/properties', payload, ...(token ? { token } : {}) });
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.request({ method: 'PATCH', url: `/v1/properties/${id}`, payload });

  beforeAll(async () => {
    t = await startTestApp();
    c = await catalog(t, 'PROPS');
    other = await catalog(t, 'OTHERP');
  });
  afterAll(async () => t.close());

  it('creates each type with defaults, reads, lists, updates and deletes, auditing each change', async () => {
    const sso = await createProperty(t, {
      productId: c.product.id,
      key: 'sso',
      name: 'Single sign-on',
      type: 'boolean',
    });
    expect(sso).toMatchObject({
      productId: c.product.id,
      product: { id: c.product.id, code: 'PROPS' },
      key: 'sso',
      type: 'boolean',
      defaultValue: false,
      options: [],
      multiple: false,
      enforcement: null,
      warningThresholdPercent: null,
      metered: false,
      resetPeriod: 'none',
      unit: '',
      createdAt: t.clock.now().toISOString(),
    });
    const calls = await createProperty(t, {
      productId: c.product.id,
      key: 'api_calls',
      name: 'API calls',
      type: 'number',
      defaultValue: 100,
      metered: true,
      resetPeriod: 'monthly',
      warningThresholdPercent: 80,
      unit: 'calls',
    });
    expect(calls).toMatchObject({ defaultValue: 100, enforcement: 'hard', metered: true, resetPeriod: 'monthly' });
    const schedules = await createProperty(t, {
      productId: c.product.id,
      key: 'schedule.types',
      name: 'Schedule types',
      type: 'enum',
      options: ['daily', 'weekly', 'cron'],
      multiple: true,
    });
    expect(schedules).toMatchObject({ defaultValue: [], options: ['daily', 'weekly', 'cron'], multiple: true });
    const tier = await createProperty(t, {
      productId: c.product.id,
      key: 'support.tier',
      name: 'Support tier',
      type: 'enum',
      options: ['basic', 'premium'],
    });
    expect(tier.defaultValue).toBe('basic');
    const theme = await createProperty(t, {
      productId: c.product.id,
      key: 'theme',
      name: 'Theme',
      type: 'json',
      defaultValue: { color: 'blue', logos: [1, 2] },
    });
    expect(theme.defaultValue).toEqual({ color: 'blue', logos: [1, 2] });
    const unlimited = await createProperty(t, {
      productId: c.product.id,
      key: 'projects',
      name: 'Projects',
      type: 'number',
      defaultValue: null,
      enforcement: 'soft',
    });
    expect(unlimited).toMatchObject({ defaultValue: null, enforcement: 'soft' });

    expect((await t.request({ method: 'GET', url: `/v1/properties/${sso.id}` })).json()).toEqual(sso);
    const list = await t.request({ method: 'GET', url: `/v1/properties?productId=${c.product.id}&limit=4` });
    expect(list.json().data.map((p: { key: string }) => p.key)).toEqual([
      'api_calls',
      'projects',
      'schedule.types',
      'sso',
    ]);
    const page2 = await t.request({
      method: 'GET',
      url: `/v1/properties?productId=${c.product.id}&limit=4&cursor=${list.json().nextCursor}`,
    });
    expect(page2.json().data.map((p: { key: string }) => p.key)).toEqual(['support.tier', 'theme']);
    expect(page2.json().nextCursor).toBeNull();
    const byType = await t.request({ method: 'GET', url: `/v1/properties?type=enum&q=SCHED` });
    expect(byType.json().data.map((p: { key: string }) => p.key)).toEqual(['schedule.types']);

    t.clock.advanceSeconds(30);
    const renamed = await patch(sso.id, { name: 'SSO (SAML)', description: 'SAML and OIDC' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'SSO (SAML)', updatedAt: t.clock.now().toISOString() });

    expect((await t.request({ method: 'DELETE', url: `/v1/properties/${sso.id}` })).statusCode).toBe(204);
    expect(errorOf(await t.request({ method: 'GET', url: `/v1/properties/${sso.id}` }))).toMatchObject({
      status: 404,
      code: 'PROPERTY_NOT_FOUND',
    });
    expect((await auditOfTarget(t, sso.id)).map((e) => e.action)).toEqual([
      'property.created',
      'property.updated',
      'property.deleted',
    ]);
  });

  it('refuses values that do not fit the type, with the field path', async () => {
    const base = { productId: c.product.id, name: 'Bad', key: 'bad' };
    const cases: Array<[Record<string, unknown>, string, string]> = [
      [{ type: 'boolean', defaultValue: 'yes' }, 'PROPERTY_VALUE_INVALID', '/body/defaultValue'],
      [{ type: 'number', defaultValue: -1 }, 'PROPERTY_VALUE_INVALID', '/body/defaultValue'],
      [{ type: 'number', defaultValue: '10' }, 'PROPERTY_VALUE_INVALID', '/body/defaultValue'],
      [{ type: 'number', defaultValue: 2 ** 60 }, 'PROPERTY_VALUE_INVALID', '/body/defaultValue'],
      [{ type: 'number', metered: true, defaultValue: 1.5 }, 'PROPERTY_VALUE_INVALID', '/body/defaultValue'],
      [{ type: 'enum', options: ['a', 'b'], defaultValue: 'c' }, 'PROPERTY_VALUE_INVALID', '/body/defaultValue'],
      [
        { type: 'enum', options: ['a', 'b'], multiple: true, defaultValue: ['a', 'a'] },
        'PROPERTY_VALUE_INVALID',
        '/body/defaultValue/1',
      ],
      [
        { type: 'enum', options: ['a'], multiple: true, defaultValue: 'a' },
        'PROPERTY_VALUE_INVALID',
        '/body/defaultValue',
      ],
      [{ type: 'json', defaultValue: { blob: 'x'.repeat(17_000) } }, 'PROPERTY_VALUE_INVALID', '/body/defaultValue'],
      [{ type: 'enum' }, 'PROPERTY_OPTIONS_REQUIRED', '/body/options'],
      [{ type: 'boolean', enforcement: 'soft' }, 'PROPERTY_FIELD_NOT_APPLICABLE', '/body/enforcement'],
      [{ type: 'json', metered: true }, 'PROPERTY_FIELD_NOT_APPLICABLE', '/body/metered'],
      [
        { type: 'enum', options: ['a'], warningThresholdPercent: 80 },
        'PROPERTY_FIELD_NOT_APPLICABLE',
        '/body/warningThresholdPercent',
      ],
      [{ type: 'number', options: ['a'] }, 'PROPERTY_FIELD_NOT_APPLICABLE', '/body/options'],
      [{ type: 'number', resetPeriod: 'daily' }, 'PROPERTY_FIELD_NOT_APPLICABLE', '/body/resetPeriod'],
    ];
    for (const [extra, code, field] of cases) {
      const res = await post({ ...base, ...extra });
      expect({ extra, ...errorOf(res) }).toEqual({ extra, status: 422, code, fields: [field] });
    }
    // Schema-level garbage is a 400 with the field.
    expect(errorOf(await post({ ...base, key: 'Bad Key', type: 'boolean' }))).toMatchObject({
      status: 400,
      code: 'VALIDATION_FAILED',
      fields: ['/body/key'],
    });
    expect(errorOf(await post({ ...base, type: 'color' }))).toMatchObject({ status: 400, fields: ['/body/type'] });
    expect(errorOf(await post({ ...base, productId: NOTHING, type: 'boolean' }))).toMatchObject({
      status: 422,
      code: 'PRODUCT_NOT_FOUND',
    });
    await createProperty(t, { ...base, type: 'boolean' });
    expect(errorOf(await post({ ...base, type: 'number' }))).toMatchObject({ status: 409, code: 'PROPERTY_KEY_TAKEN' });
    // The same key in another product is fine.
    await createProperty(t, { ...base, productId: other.product.id, type: 'boolean' });
  });

  it('changes the type only while nothing uses the property; keeps used options', async () => {
    const p = await createProperty(t, {
      productId: c.product.id,
      key: 'exports',
      name: 'Export formats',
      type: 'enum',
      options: ['pdf', 'csv', 'xlsx'],
      multiple: true,
      defaultValue: ['pdf'],
    });
    // Unused: the type may change; number-only and enum-only fields follow the type.
    const asNumber = await patch(p.id, { type: 'number', defaultValue: 3 });
    expect(asNumber.json()).toMatchObject({ type: 'number', options: [], multiple: false, enforcement: 'hard' });
    expect(errorOf(await patch(p.id, { type: 'boolean' }))).toMatchObject({
      status: 422,
      code: 'PROPERTY_VALUE_INVALID',
      fields: ['/body/defaultValue'],
    });
    const back = await patch(p.id, { type: 'enum', options: ['pdf', 'csv', 'xlsx'], multiple: true, defaultValue: [] });
    expect(back.json()).toMatchObject({ type: 'enum', enforcement: null, defaultValue: [] });

    await setPlanValue(t, c.yearly.id, p.id, { value: ['pdf', 'csv'] });
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    await createOverride(t, { propertyId: p.id, licenseId: license.id, value: ['xlsx'], reason: 'deal' });

    const immutable = await patch(p.id, { type: 'json' });
    expect(errorOf(immutable)).toMatchObject({ status: 409, code: 'PROPERTY_TYPE_IMMUTABLE' });
    expect(immutable.json().error.message).toContain('1 plan value, 1 override');
    expect(errorOf(await patch(p.id, { multiple: false }))).toMatchObject({ code: 'PROPERTY_TYPE_IMMUTABLE' });

    const inUse = await patch(p.id, { options: ['pdf'] });
    expect(errorOf(inUse)).toMatchObject({ status: 409, code: 'PROPERTY_OPTIONS_IN_USE', fields: ['/body/options'] });
    expect(inUse.json().error.message).toMatch(/csv, xlsx|xlsx, csv/);
    // Adding options, or removing an unused one, is fine.
    expect((await patch(p.id, { options: ['pdf', 'csv', 'xlsx', 'json'] })).statusCode).toBe(200);
    expect((await patch(p.id, { options: ['pdf', 'csv', 'xlsx'] })).statusCode).toBe(200);

    // Metering a number whose values are fractional is refused.
    const ratio = await createProperty(t, { productId: c.product.id, key: 'ratio', name: 'Ratio', type: 'number' });
    await setPlanValue(t, c.yearly.id, ratio.id, { value: 2.5 });
    expect(errorOf(await patch(ratio.id, { metered: true }))).toMatchObject({
      status: 422,
      code: 'PROPERTY_VALUE_INVALID',
      fields: ['/body/metered'],
    });
  });

  it('refuses to delete a used property unless forced, and audits what force removed', async () => {
    const p = await createProperty(t, { productId: c.product.id, key: 'seats', name: 'Seats', type: 'number' });
    await setPlanValue(t, c.yearly.id, p.id, { value: 10 });
    await setPlanValue(t, c.trial.id, p.id, { value: 2, enforcement: 'soft' });
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    const o1 = await createOverride(t, { propertyId: p.id, accountId: c.account.id, value: 20, reason: 'growth deal' });
    const o2 = await createOverride(t, { propertyId: p.id, licenseId: license.id, value: 30, reason: 'pilot' });

    const refused = await t.request({ method: 'DELETE', url: `/v1/properties/${p.id}` });
    expect(errorOf(refused)).toMatchObject({ status: 409, code: 'PROPERTY_IN_USE' });
    expect(refused.json().error.message).toContain('2 plan values, 2 overrides');
    expect((await t.request({ method: 'GET', url: `/v1/properties/${p.id}` })).statusCode).toBe(200);

    const forced = await t.request({ method: 'DELETE', url: `/v1/properties/${p.id}?force=true` });
    expect(forced.statusCode).toBe(204);
    const [deleted] = await auditOfTarget(t, p.id).then((events) =>
      events.filter((e) => e.action === 'property.deleted'),
    );
    const after = deleted?.after as { force: boolean; removed: { planValues: unknown[]; overrides: { id: string }[] } };
    expect(after.force).toBe(true);
    expect(after.removed.planValues).toEqual(
      expect.arrayContaining([
        { planId: c.yearly.id, planName: 'Yearly', value: 10, enforcement: null },
        { planId: c.trial.id, planName: 'Trial', value: 2, enforcement: 'soft' },
      ]),
    );
    expect(after.removed.overrides.map((o) => o.id).sort()).toEqual([o1.id, o2.id].sort());
    // Each removed override shows in its customer's history.
    const [e1] = await auditOfTarget(t, o1.id).then((e) => e.filter((x) => x.action === 'override.deleted'));
    expect(e1).toMatchObject({ account_id: c.account.id, license_id: null });
    const [e2] = await auditOfTarget(t, o2.id).then((e) => e.filter((x) => x.action === 'override.deleted'));
    expect(e2).toMatchObject({ account_id: c.account.id, license_id: license.id });
    const left = await t.kw.database.db
      .selectFrom('property_overrides')
      .select('id')
      .where('property_id', '=', p.id)
      .execute();
    expect(left).toEqual([]);
  });

  it('confines product tokens to their product; read-only tokens cannot write', async () => {
    const mine = await insertToken(t, 'product', c.product.id);
    const theirs = await createProperty(t, {
      productId: other.product.id,
      key: 'hidden',
      name: 'Hidden',
      type: 'boolean',
    });
    const own = await createProperty(
      t,
      { productId: c.product.id, key: 'visible', name: 'Visible', type: 'boolean' },
      mine,
    );
    expect(own.productId).toBe(c.product.id);
    expect(
      errorOf(await post({ productId: other.product.id, key: 'x', name: 'X', type: 'boolean' }, mine)),
    ).toMatchObject({
      status: 422,
      code: 'PRODUCT_NOT_FOUND',
    });
    const get = (id: string, token: string) => t.request({ method: 'GET', url: `/v1/properties/${id}`, token });
    expect((await get(theirs.id, mine)).statusCode).toBe(404);
    expect((await get(own.id, mine)).statusCode).toBe(200);
    const list = await t.request({ method: 'GET', url: '/v1/properties?limit=500', token: mine });
    expect(list.json().data.every((p: { productId: string }) => p.productId === c.product.id)).toBe(true);
    expect((await t.request({ method: 'DELETE', url: `/v1/properties/${theirs.id}`, token: mine })).statusCode).toBe(
      404,
    );
    expect(
      (await t.request({ method: 'PATCH', url: `/v1/properties/${theirs.id}`, payload: { name: 'x' }, token: mine }))
        .statusCode,
    ).toBe(404);

    const readOnly = await insertToken(t, 'read-only');
    expect(
      errorOf(await post({ productId: c.product.id, key: 'ro', name: 'RO', type: 'boolean' }, readOnly)),
    ).toMatchObject({
      status: 403,
      code: 'FORBIDDEN',
    });
  });
});
