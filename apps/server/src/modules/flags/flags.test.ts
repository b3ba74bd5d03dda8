import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { createLicense, createProduct, createToken } from '../client/test-fixtures.ts';
import { auditOf, createFlag, createSegment, errorOf, patchFlag, rollout, setToggle } from './test-fixtures.ts';

const NOTHING = '00000000-0000-4000-8000-000000000001';

describe(`feature flags: definitions, segments, deletion guards (${dbKind})`, () => {
  let t: TestApp;
  let product: { id: string; code: string };
  let other: { id: string; code: string };

  beforeAll(async () => {
    t = await startTestApp();
    product = await createProduct(t);
    other = await createProduct(t);
  });
  afterAll(async () => t.close());

  const create = (payload: Record<string, unknown>, token?: string) =>
    t.request({
      method: 'POST',
      url: '/v1/flags',
      payload: { productId: product.id, ...payload },
      ...(token ? { token } : {}),
    });

  it('creates, reads, lists, updates (version bumped) and audits a flag', async () => {
    const flag = await createFlag(t, {
      productId: product.id,
      key: 'new-dashboard',
      description: 'The new dashboard',
      type: 'release',
      enabled: true,
      strategies: [rollout(25, { constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business'] }] })],
      variants: [
        { name: 'blue', weight: 500, payload: { type: 'json', value: '{"color":"blue"}' } },
        { name: 'green', weight: 500 },
      ],
      impressionData: true,
    });
    expect(flag).toMatchObject({
      key: 'new-dashboard',
      productId: product.id,
      product: { id: product.id, code: product.code },
      enabled: true,
      version: 1,
      impressionData: true,
      dependencies: [],
    });
    expect(flag.strategies[0]?.constraints?.[0]).toEqual({ contextName: 'plan', operator: 'IN', values: ['Business'] });
    expect(flag.variants[0]?.payload).toEqual({ type: 'json', value: '{"color":"blue"}' });

    const got = await t.request({ method: 'GET', url: `/v1/flags/${flag.id}` });
    expect(got.json()).toEqual(flag);

    const off = await patchFlag(t, flag.id, { enabled: false });
    expect(off).toMatchObject({ enabled: false, version: 2, strategies: flag.strategies });
    const list = await t.request({ method: 'GET', url: `/v1/flags?productId=${product.id}&q=dashboard` });
    expect(list.json().data.map((f: { key: string }) => f.key)).toEqual(['new-dashboard']);

    const audit = await auditOf(t, flag.id);
    expect(audit.map((a) => a.action)).toEqual(['flag.created', 'flag.updated']);
    expect(audit[1]).toMatchObject({ product_id: product.id, before: { enabled: true }, after: { enabled: false } });
  });

  it('refuses a second flag with the same key in a product (another product may use it)', async () => {
    await createFlag(t, { productId: product.id, key: 'dup' });
    expect(errorOf(await create({ key: 'dup' }))).toMatchObject({ status: 409, code: 'FLAG_KEY_TAKEN' });
    await createFlag(t, { productId: other.id, key: 'dup' });
  });

  it.each([
    [
      'a malformed constraint (IN without values)',
      { strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN' }] }] },
      '/body/strategies/0/constraints/0/values',
    ],
    [
      'an empty value in a list',
      { strategies: [{ name: 'default', constraints: [{ contextName: 'a', operator: 'IN', values: ['x', ' '] }] }] },
      '/body/strategies/0/constraints/0/values/1',
    ],
    [
      'a bad regular expression',
      { strategies: [{ name: 'default', constraints: [{ contextName: 'userId', operator: 'REGEX', value: '(a' }] }] },
      '/body/strategies/0/constraints/0/value',
    ],
    [
      'an unknown operator',
      { strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'LIKE', values: ['x'] }] }] },
      '/body/strategies/0/constraints/0/operator',
    ],
    [
      'a date that is not ISO-8601',
      {
        strategies: [
          { name: 'default', constraints: [{ contextName: 'currentTime', operator: 'DATE_AFTER', value: 'tomorrow' }] },
        ],
      },
      '/body/strategies/0/constraints/0/value',
    ],
    ['an unknown segment', { strategies: [{ name: 'default', segments: [999_999] }] }, '/body/strategies/0/segments/0'],
    ['an unknown strategy', { strategies: [{ name: 'gradualRolloutFancy' }] }, '/body/strategies/0/name'],
    ['a rollout above 100', { strategies: [rollout(150)] }, '/body/strategies/0/parameters/rollout'],
    [
      'a reserved strategy id',
      { strategies: [{ name: 'default', id: 'keyward:license-on' }] },
      '/body/strategies/0/id',
    ],
    [
      'fixed variant weights that do not add up',
      { variants: [{ name: 'a', weight: 300, weightType: 'fix' }] },
      '/body/variants',
    ],
    ['a dependency on itself (a cycle)', { dependencies: [{ feature: 'selfish' }] }, '/body/dependencies/0/feature'],
    ['a dependency on an unknown flag', { dependencies: [{ feature: 'nope' }] }, '/body/dependencies/0/feature'],
  ])('answers 422 FLAG_DEFINITION_INVALID for %s, with the field path', async (_label, body, field) => {
    const res = await create({ key: 'selfish', enabled: true, ...body });
    expect(errorOf(res)).toMatchObject({ status: 422, code: 'FLAG_DEFINITION_INVALID' });
    expect(errorOf(res).fields).toContain(field);
    expect(res.json().error.message).toContain(field);
  });

  it('answers 400 for shapes the schema refuses (not a list, unknown field)', async () => {
    expect(errorOf(await create({ key: 'shape', strategies: { name: 'default' } })).status).toBe(400);
    expect(errorOf(await create({ key: 'shape', strategies: [{ name: 'default', constraint: [] }] })).status).toBe(400);
    expect(errorOf(await create({ key: 'bad key!' }))).toMatchObject({ status: 400, fields: ['/body/key'] });
  });

  it('keeps dependencies one level deep: no chains, no cycles, same product only', async () => {
    const parent = await createFlag(t, { productId: product.id, key: 'parent', enabled: true });
    const child = await createFlag(t, {
      productId: product.id,
      key: 'child',
      enabled: true,
      dependencies: [{ feature: 'parent', variants: [] }],
    });
    // A chain: grandchild → child (which has a parent itself).
    const chain = await create({ key: 'grandchild', dependencies: [{ feature: 'child' }] });
    expect(errorOf(chain)).toMatchObject({ status: 422, fields: ['/body/dependencies/0/feature'] });
    // A cycle: parent → child → parent.
    const cycle = await t.request({
      method: 'PATCH',
      url: `/v1/flags/${parent.id}`,
      payload: { dependencies: [{ feature: 'child' }] },
    });
    expect(errorOf(cycle)).toMatchObject({ status: 422, code: 'FLAG_DEFINITION_INVALID' });
    expect(errorOf(cycle).fields).toEqual(
      expect.arrayContaining(['/body/dependencies/0/feature', '/body/dependencies']),
    );
    // A flag of another product is unknown here.
    await createFlag(t, { productId: other.id, key: 'elsewhere' });
    const foreign = await create({ key: 'foreign-dep', dependencies: [{ feature: 'elsewhere' }] });
    expect(errorOf(foreign)).toMatchObject({ status: 422, fields: ['/body/dependencies/0/feature'] });

    // The parent cannot be deleted while the child depends on it, even with force.
    for (const url of [`/v1/flags/${parent.id}`, `/v1/flags/${parent.id}?force=true`]) {
      const res = await t.request({ method: 'DELETE', url });
      expect(errorOf(res)).toMatchObject({ status: 409, code: 'FLAG_IN_USE' });
      expect(res.json().error.message).toContain('child');
    }
    await patchFlag(t, child.id, { dependencies: [] });
    expect((await t.request({ method: 'DELETE', url: `/v1/flags/${parent.id}` })).statusCode).toBe(204);
  });

  it('blocks deleting a toggled flag unless force=true, which removes and audits each toggle', async () => {
    const lic = await createLicense(t, { product });
    const flag = await createFlag(t, { productId: product.id, key: 'toggled', enabled: true, strategies: [] });
    await setToggle(t, flag.id, 'license', lic.licenseId, true, 'beta');
    await setToggle(t, flag.id, 'account', lic.accountId, false, 'churn risk');
    const blocked = await t.request({ method: 'DELETE', url: `/v1/flags/${flag.id}` });
    expect(errorOf(blocked)).toMatchObject({ status: 409, code: 'FLAG_IN_USE' });
    expect(blocked.json().error.message).toContain('2 customers');

    expect((await t.request({ method: 'DELETE', url: `/v1/flags/${flag.id}?force=true` })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: `/v1/flags/${flag.id}` })).statusCode).toBe(404);
    const audit = await auditOf(t, flag.id);
    const removed = audit.filter((a) => a.action === 'flag.toggle_removed');
    expect(removed).toHaveLength(2);
    for (const r of removed) expect(r.account_id).toBe(lic.accountId);
    expect(removed.map((r) => r.license_id).sort()).toEqual([lic.licenseId, null].sort());
    expect(audit.at(-1)).toMatchObject({ action: 'flag.deleted', after: { force: true, removedToggles: 2 } });
    const left = await t.kw.database.db.selectFrom('flag_toggles').selectAll().where('flag_id', '=', flag.id).execute();
    expect(left).toEqual([]);
  });

  it('segments: CRUD, validation, references from strategies, SEGMENT_IN_USE', async () => {
    const beta = await createSegment(t, {
      productId: product.id,
      name: 'Beta customers',
      constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business', 'Enterprise'] }],
    });
    expect(beta).toMatchObject({ id: expect.any(Number), name: 'Beta customers', productId: product.id });
    const bad = await t.request({
      method: 'POST',
      url: '/v1/flag-segments',
      payload: {
        productId: product.id,
        name: 'Bad',
        constraints: [{ contextName: 'x', operator: 'NUM_GT', value: 'many' }],
      },
    });
    expect(errorOf(bad)).toMatchObject({
      status: 422,
      code: 'SEGMENT_DEFINITION_INVALID',
      fields: ['/body/constraints/0/value'],
    });
    const dup = await t.request({
      method: 'POST',
      url: '/v1/flag-segments',
      payload: { productId: product.id, name: 'Beta customers', constraints: [] },
    });
    expect(errorOf(dup)).toMatchObject({ status: 409, code: 'SEGMENT_NAME_TAKEN' });

    // A segment of another product is unknown to this product's flags.
    const foreign = await createSegment(t, { productId: other.id, name: 'Elsewhere', constraints: [] });
    const wrong = await create({ key: 'segmented', strategies: [{ name: 'default', segments: [foreign.id] }] });
    expect(errorOf(wrong)).toMatchObject({ status: 422, fields: ['/body/strategies/0/segments/0'] });
    const flag = await createFlag(t, {
      productId: product.id,
      key: 'segmented',
      enabled: true,
      strategies: [{ name: 'default', segments: [beta.id] }],
    });
    const inUse = await t.request({ method: 'DELETE', url: `/v1/flag-segments/${beta.id}` });
    expect(errorOf(inUse)).toMatchObject({ status: 409, code: 'SEGMENT_IN_USE' });
    expect(inUse.json().error.message).toContain('segmented');

    const renamed = await t.request({
      method: 'PATCH',
      url: `/v1/flag-segments/${beta.id}`,
      payload: { name: 'Beta' },
    });
    expect(renamed.json()).toMatchObject({ name: 'Beta', constraints: beta.constraints });
    await createSegment(t, { productId: product.id, name: 'Zeta', constraints: [] });
    const list = await t.request({ method: 'GET', url: `/v1/flag-segments?productId=${product.id}&limit=1` });
    expect(list.json().data.map((s: { name: string }) => s.name)).toEqual(['Beta']);
    const next = await t.request({
      method: 'GET',
      url: `/v1/flag-segments?productId=${product.id}&limit=1&cursor=${list.json().nextCursor}`,
    });
    expect(next.json().data.map((s: { name: string }) => s.name)).toEqual(['Zeta']);

    await patchFlag(t, flag.id, { strategies: [{ name: 'default' }] });
    expect((await t.request({ method: 'DELETE', url: `/v1/flag-segments/${beta.id}` })).statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: `/v1/flag-segments/${beta.id}` })).statusCode).toBe(404);
    expect((await auditOf(t, String(beta.id))).map((a) => a.action)).toEqual([
      'flag_segment.created',
      'flag_segment.updated',
      'flag_segment.deleted',
    ]);
  });

  it('confines product tokens to their product; read-only tokens change nothing', async () => {
    const mine = await createToken(t, 'product', product.id);
    const flag = await createFlag(t, { productId: product.id, key: 'scoped' }, mine);
    const foreign = await createFlag(t, { productId: other.id, key: 'not-yours' });
    expect(errorOf(await create({ productId: other.id, key: 'sneaky' }, mine))).toMatchObject({
      status: 422,
      code: 'PRODUCT_NOT_FOUND',
    });
    expect((await t.request({ method: 'GET', url: `/v1/flags/${foreign.id}`, token: mine })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/flags/${foreign.id}`, token: mine })).statusCode).toBe(404);
    const list = await t.request({ method: 'GET', url: '/v1/flags?limit=500', token: mine });
    const products = new Set(list.json().data.map((f: { productId: string }) => f.productId));
    expect([...products]).toEqual([product.id]);
    expect(list.json().data.map((f: { key: string }) => f.key)).toContain(flag.key);

    const readOnly = await createToken(t, 'read-only');
    expect((await t.request({ method: 'GET', url: `/v1/flags/${flag.id}`, token: readOnly })).statusCode).toBe(200);
    const write = await t.request({
      method: 'PATCH',
      url: `/v1/flags/${flag.id}`,
      payload: { enabled: true },
      token: readOnly,
    });
    expect(errorOf(write)).toMatchObject({ status: 403, code: 'FORBIDDEN' });
  });

  it('answers 404 for unknown flags and segments (any segment id), 400 for bad cursors', async () => {
    expect(errorOf(await t.request({ method: 'GET', url: `/v1/flags/${NOTHING}` }))).toMatchObject({
      status: 404,
      code: 'FLAG_NOT_FOUND',
    });
    expect(
      errorOf(await t.request({ method: 'PATCH', url: `/v1/flags/${NOTHING}`, payload: { enabled: true } })).code,
    ).toBe('FLAG_NOT_FOUND');
    expect(errorOf(await t.request({ method: 'GET', url: '/v1/flag-segments/424242' }))).toMatchObject({
      status: 404,
      code: 'SEGMENT_NOT_FOUND',
    });
    expect((await t.request({ method: 'GET', url: '/v1/flag-segments/abc' })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: '/v1/flags?cursor=garbage' })).statusCode).toBe(400);
  });
});
