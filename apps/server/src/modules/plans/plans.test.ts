import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { hashTokenSecret } from '../../platform/auth/token-secret.ts';

describe(`plans API (${dbKind})`, () => {
  let t: TestApp;
  let acme: { id: string; code: string; name: string };
  let beta: { id: string; code: string; name: string };

  const createProduct = async (code: string) => {
    const res = await t.request({ method: 'POST', url: '/v1/products', payload: { code, name: `${code} product` } });
    expect(res.statusCode).toBe(201);
    return res.json();
  };
  const createPlan = (payload: Record<string, unknown>, token?: string) =>
    t.request({ method: 'POST', url: '/v1/plans', payload, ...(token ? { token } : {}) });
  const insertToken = async (secret: string, role: 'product' | 'read-only', productId: string | null) => {
    await t.kw.database.db
      .insertInto('api_tokens')
      .values({
        name: `${role} token`,
        role,
        product_id: productId,
        token_hash: hashTokenSecret(secret),
        token_prefix: secret.slice(0, 10),
        created_at: t.clock.now(),
      })
      .execute();
    return secret;
  };
  const fields = (res: { json(): { error: { details?: { field: string }[] } } }) =>
    (res.json().error.details ?? []).map((d) => d.field);

  beforeAll(async () => {
    t = await startTestApp();
    acme = await createProduct('ACME');
    beta = await createProduct('BETA');
  });
  afterAll(async () => t.close());

  it('creates, reads, updates, lists and deletes a plan, auditing each change', async () => {
    const created = await createPlan({
      productId: acme.id,
      name: 'Pro yearly',
      licenseType: 'subscription',
      durationDays: 365,
      maxMachines: 5,
      entitlements: ['export.pdf', 'sso', 'export.pdf'],
    });
    expect(created.statusCode).toBe(201);
    const plan = created.json();
    expect(plan).toMatchObject({
      productId: acme.id,
      product: { id: acme.id, code: 'ACME', name: 'ACME product' },
      name: 'Pro yearly',
      licenseType: 'subscription',
      durationDays: 365,
      graceDays: 0,
      maintenanceDays: null,
      maxMachines: 5,
      floating: true,
      heartbeatIntervalSeconds: null,
      expirationStrategy: 'restrict',
      requireFingerprint: false,
      requireDomain: false,
      entitlements: ['export.pdf', 'sso'],
      createdAt: t.clock.now().toISOString(),
    });

    const got = await t.request({ method: 'GET', url: `/v1/plans/${plan.id}` });
    expect(got.json()).toEqual(plan);

    t.clock.advanceSeconds(60);
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${plan.id}`,
      payload: { graceDays: 14, durationDays: null, heartbeatIntervalSeconds: 600, entitlements: ['a', 'a', 'b'] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      graceDays: 14,
      durationDays: null,
      heartbeatIntervalSeconds: 600,
      maxMachines: 5,
      entitlements: ['a', 'b'],
      updatedAt: t.clock.now().toISOString(),
      createdAt: plan.createdAt,
    });

    const list = await t.request({ method: 'GET', url: `/v1/plans?productId=${acme.id}&q=pro` });
    expect(list.json().data.map((p: { id: string }) => p.id)).toEqual([plan.id]);

    const del = await t.request({ method: 'DELETE', url: `/v1/plans/${plan.id}` });
    expect(del.statusCode).toBe(204);
    const gone = await t.request({ method: 'GET', url: `/v1/plans/${plan.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('PLAN_NOT_FOUND');

    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', plan.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.target_type, a.product_id])).toEqual([
      ['plan.created', 'plan', acme.id],
      ['plan.updated', 'plan', acme.id],
      ['plan.deleted', 'plan', acme.id],
    ]);
    expect(audit[1]?.before).toMatchObject({ graceDays: 0, durationDays: 365 });
    expect(audit[1]?.after).toMatchObject({ graceDays: 14, durationDays: null });
    expect(audit[2]?.before).toMatchObject({ id: plan.id, name: 'Pro yearly' });
  });

  it('keeps node-locked plans at exactly one machine', async () => {
    const locked = await createPlan({ productId: acme.id, name: 'Node 1', licenseType: 'perpetual', floating: false });
    expect(locked.statusCode).toBe(201);
    expect(locked.json()).toMatchObject({ floating: false, maxMachines: 1 });

    const one = await createPlan({
      productId: acme.id,
      name: 'Node 2',
      licenseType: 'trial',
      floating: false,
      maxMachines: 1,
    });
    expect(one.json().maxMachines).toBe(1);

    for (const maxMachines of [3, null]) {
      const bad = await createPlan({
        productId: acme.id,
        name: 'Node 3',
        licenseType: 'trial',
        floating: false,
        maxMachines,
      });
      expect(bad.statusCode).toBe(422);
      expect(bad.json().error.code).toBe('PLAN_NODE_LOCKED_SEATS');
      expect(fields(bad)).toEqual(['/body/maxMachines']);
    }

    const raise = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${locked.json().id}`,
      payload: { maxMachines: 2 },
    });
    expect(raise.statusCode).toBe(422);
    expect(raise.json().error.code).toBe('PLAN_NODE_LOCKED_SEATS');

    const floating = await createPlan({ productId: acme.id, name: 'Team', licenseType: 'custom', maxMachines: 10 });
    const lock = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${floating.json().id}`,
      payload: { floating: false },
    });
    expect(lock.statusCode).toBe(200);
    expect(lock.json()).toMatchObject({ floating: false, maxMachines: 1 });
    const unlock = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${floating.json().id}`,
      payload: { floating: true, maxMachines: null },
    });
    expect(unlock.json()).toMatchObject({ floating: true, maxMachines: null });
  });

  it('rejects bad input with field details, unknown products with 422 and duplicate names with 409', async () => {
    const bad = await createPlan({
      productId: acme.id,
      licenseType: 'forever',
      durationDays: 0,
      graceDays: -1,
      heartbeatIntervalSeconds: 10,
      entitlements: ['ok', 'not ok!'],
      extra: true,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(fields(bad)).toEqual(
      expect.arrayContaining([
        '/body/name',
        '/body/licenseType',
        '/body/durationDays',
        '/body/graceDays',
        '/body/heartbeatIntervalSeconds',
        '/body/entitlements/1',
        '/body/extra',
      ]),
    );

    const huge = await createPlan({ productId: acme.id, name: 'Huge', licenseType: 'trial', durationDays: 1e12 });
    expect(huge.statusCode).toBe(400);
    const nul = await createPlan({ productId: acme.id, name: 'a\u0000b', licenseType: 'trial' });
    expect(nul.statusCode).toBe(400);
    expect(fields(nul)).toEqual(['/body/name']);

    const unknown = await createPlan({
      productId: '00000000-0000-4000-8000-000000000000',
      name: 'X',
      licenseType: 'trial',
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('PRODUCT_NOT_FOUND');

    const first = await createPlan({ productId: acme.id, name: 'Basic', licenseType: 'perpetual' });
    expect(first.statusCode).toBe(201);
    const dup = await createPlan({ productId: acme.id, name: 'Basic', licenseType: 'trial' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('PLAN_NAME_TAKEN');
    const otherProduct = await createPlan({ productId: beta.id, name: 'Basic', licenseType: 'trial' });
    expect(otherProduct.statusCode).toBe(201);
    const other = await createPlan({ productId: acme.id, name: 'Basic 2', licenseType: 'trial' });
    const rename = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${other.json().id}`,
      payload: { name: 'Basic' },
    });
    expect(rename.statusCode).toBe(409);
    expect(rename.json().error.code).toBe('PLAN_NAME_TAKEN');

    const move = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${other.json().id}`,
      payload: { productId: beta.id },
    });
    expect(move.statusCode).toBe(400);
    expect(fields(move)).toEqual(['/body/productId']);
    const empty = await t.request({ method: 'PATCH', url: `/v1/plans/${other.json().id}`, payload: {} });
    expect(empty.statusCode).toBe(400);

    const missing = '00000000-0000-4000-8000-000000000001';
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await t.request({
        method,
        url: `/v1/plans/${missing}`,
        payload: method === 'PATCH' ? { graceDays: 1 } : undefined,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('PLAN_NOT_FOUND');
    }
    const notUuid = await t.request({ method: 'GET', url: '/v1/plans/nope' });
    expect(notUuid.statusCode).toBe(400);
  });

  it('filters by product, license type and name, and pages with a cursor', async () => {
    const product = await createProduct('FILT');
    const names = ['Alpha 100%', 'Alpha_2', 'Beta', 'Gamma', 'Delta'];
    for (const [i, name] of names.entries()) {
      t.clock.advanceSeconds(1);
      const res = await createPlan({ productId: product.id, name, licenseType: i % 2 ? 'trial' : 'perpetual' });
      expect(res.statusCode).toBe(201);
    }
    const list = async (query: string) => {
      const res = await t.request({ method: 'GET', url: `/v1/plans?productId=${product.id}&${query}` });
      expect(res.statusCode).toBe(200);
      return res.json();
    };
    expect((await list('licenseType=trial')).data.map((p: { name: string }) => p.name)).toEqual(['Alpha_2', 'Gamma']);
    expect((await list('q=ALPHA')).data).toHaveLength(2);
    expect((await list('q=%25')).data.map((p: { name: string }) => p.name)).toEqual(['Alpha 100%']);
    expect((await list('q=a_')).data.map((p: { name: string }) => p.name)).toEqual(['Alpha_2']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(`limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((p: { name: string }) => p.name));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(names);

    const bad = await t.request({ method: 'GET', url: '/v1/plans?licenseType=forever&extra=1' });
    expect(bad.statusCode).toBe(400);
    expect(fields(bad)).toEqual(expect.arrayContaining(['/querystring/licenseType', '/querystring/extra']));
    const forged = Buffer.from(JSON.stringify({ v: 'yesterday', id: 'x' })).toString('base64url');
    const badCursor = await t.request({ method: 'GET', url: `/v1/plans?cursor=${forged}` });
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.json().error.code).toBe('INVALID_CURSOR');
  });

  it('refuses to delete a plan that licenses use', async () => {
    const plan = (await createPlan({ productId: acme.id, name: 'Used', licenseType: 'perpetual' })).json();
    const db = t.kw.database.db;
    const now = t.clock.now();
    const account = await db
      .insertInto('accounts')
      .values({ name: 'Customer', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('licenses')
      .values({
        key: 'ACME-PLAN-IN-USE',
        product_id: acme.id,
        plan_id: plan.id,
        account_id: account.id,
        license_type: 'perpetual',
        starts_at: now,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const del = await t.request({ method: 'DELETE', url: `/v1/plans/${plan.id}` });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('PLAN_IN_USE');
    expect((await t.request({ method: 'GET', url: `/v1/plans/${plan.id}` })).statusCode).toBe(200);
  });

  it('confines product tokens to their product and read-only tokens to reads', async () => {
    const token = await insertToken('kw_product_token_for_plans_0123456789abcd', 'product', acme.id);
    const readOnly = await insertToken('kw_readonly_token_for_plans_0123456789ab', 'read-only', null);
    const betaPlan = (await createPlan({ productId: beta.id, name: 'Beta only', licenseType: 'trial' })).json();

    const own = await createPlan({ productId: acme.id, name: 'Scoped', licenseType: 'trial' }, token);
    expect(own.statusCode).toBe(201);
    const foreign = await createPlan({ productId: beta.id, name: 'Sneaky', licenseType: 'trial' }, token);
    expect(foreign.statusCode).toBe(422);
    expect(foreign.json().error.code).toBe('PRODUCT_NOT_FOUND');

    const list = await t.request({ method: 'GET', url: '/v1/plans?limit=500', token });
    const productIds = new Set(list.json().data.map((p: { productId: string }) => p.productId));
    expect([...productIds]).toEqual([acme.id]);
    const filtered = await t.request({ method: 'GET', url: `/v1/plans?productId=${beta.id}`, token });
    expect(filtered.json().data).toEqual([]);

    for (const [method, payload] of [['GET'], ['PATCH', { graceDays: 3 }], ['DELETE']] as const) {
      const res = await t.request({ method, url: `/v1/plans/${betaPlan.id}`, payload, token });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('PLAN_NOT_FOUND');
    }
    const patchOwn = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${own.json().id}`,
      payload: { graceDays: 3 },
      token,
    });
    expect(patchOwn.json().graceDays).toBe(3);
    const deleteOwn = await t.request({ method: 'DELETE', url: `/v1/plans/${own.json().id}`, token });
    expect(deleteOwn.statusCode).toBe(204);

    const roRead = await t.request({ method: 'GET', url: `/v1/plans/${betaPlan.id}`, token: readOnly });
    expect(roRead.statusCode).toBe(200);
    const roWrite = await createPlan({ productId: acme.id, name: 'RO', licenseType: 'trial' }, readOnly);
    expect(roWrite.statusCode).toBe(403);
    expect(roWrite.json().error.code).toBe('FORBIDDEN');
  });
});
