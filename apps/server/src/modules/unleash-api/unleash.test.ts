import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { createLicense, createProduct, createToken, type Fixture } from '../client/test-fixtures.ts';
import { createFlag, errorOf, patchFlag, setToggle } from '../flags/test-fixtures.ts';

describe(`Unleash client API: /api/client/* (${dbKind})`, () => {
  let t: TestApp;
  let lic: Fixture;
  let other: Fixture;
  let client: string;

  const get = (headers: Record<string, string>, url = '/api/client/features') =>
    t.request({ method: 'GET', url, token: null, headers });
  const post = (url: string, payload: unknown, authorization = client) =>
    t.request({ method: 'POST', url, token: null, headers: { authorization }, payload: payload as object });

  beforeAll(async () => {
    t = await startTestApp();
    lic = await createLicense(t);
    other = await createLicense(t, { product: lic.product });
    client = await createToken(t, 'client', lic.product.id);
  });
  afterAll(async () => t.close());

  it('authenticates client tokens (raw or Bearer); none/unknown → 401, other roles → 403', async () => {
    expect((await get({ authorization: client })).statusCode).toBe(200);
    expect((await get({ authorization: `Bearer ${client}` })).statusCode).toBe(200);
    expect(errorOf(await get({}))).toMatchObject({ status: 401, code: 'UNAUTHORIZED' });
    expect(errorOf(await get({ authorization: 'kw_nobody_0123456789abcdefghijklmn' }))).toMatchObject({
      status: 401,
      code: 'UNAUTHORIZED',
    });
    expect(errorOf(await get({ authorization: 'Basic a b' })).status).toBe(401);
    for (const role of ['admin', 'read-only'] as const) {
      const secret = await createToken(t, role);
      expect(errorOf(await get({ authorization: secret }))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
    const product = await createToken(t, 'product', lic.product.id);
    expect(errorOf(await get({ authorization: `Bearer ${product}` })).status).toBe(403);
    // ...and a client token is refused on the admin API.
    expect((await t.request({ method: 'GET', url: '/v1/flags', token: client })).statusCode).toBe(403);
    await t.kw.database.db
      .updateTable('api_tokens')
      .set({ revoked_at: t.clock.now() })
      .where('role', '=', 'client')
      .execute();
    expect((await get({ authorization: client })).statusCode).toBe(401);
    await t.kw.database.db.updateTable('api_tokens').set({ revoked_at: null }).where('role', '=', 'client').execute();
  });

  it("serves the product's flags with every toggle projected; ETag / If-None-Match → 304 until a change", async () => {
    const flag = await createFlag(t, {
      productId: lic.product.id,
      key: 'reports',
      enabled: true,
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: '10', stickiness: 'default' } }],
    });
    const elsewhere = await createProduct(t);
    await createFlag(t, { productId: elsewhere.id, key: 'not-mine', enabled: true });

    const first = await get({ authorization: client });
    expect(first.statusCode).toBe(200);
    const etag = first.headers.etag as string;
    expect(etag).toMatch(/^"kw-[\w-]+"$/);
    const body = first.json();
    expect(body).toMatchObject({ version: 2, segments: [] });
    expect(body.features.map((f: { name: string }) => f.name)).toEqual(['reports']);
    // The projection gives flexibleRollout a groupId (Unleash SDKs hash with it).
    expect(body.features[0].strategies[0].parameters).toMatchObject({ rollout: '10', groupId: 'reports' });

    const same = await get({ authorization: client, 'if-none-match': etag });
    expect(same.statusCode).toBe(304);
    expect(same.body).toBe('');
    expect((await get({ authorization: client, 'if-none-match': `"x", W/${etag}` })).statusCode).toBe(304);

    await setToggle(t, flag.id, 'license', lic.licenseId, true);
    await setToggle(t, flag.id, 'license', other.licenseId, false);
    await setToggle(t, flag.id, 'account', lic.accountId, true);
    const changed = await get({ authorization: client, 'if-none-match': etag });
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    const strategies = changed.json().features[0].strategies;
    expect(strategies.map((s: { id?: string; name: string }) => s.id ?? s.name)).toEqual([
      'keyward:license-on',
      'keyward:account-on',
      'flexibleRollout',
    ]);
    expect(strategies[0].constraints[0]).toMatchObject({ contextName: 'licenseId', values: [lic.licenseId] });
    expect(strategies[2].constraints).toEqual([
      expect.objectContaining({ contextName: 'licenseId', operator: 'NOT_IN', values: [other.licenseId] }),
    ]);
    await patchFlag(t, flag.id, { description: 'changed' });
    const again = await get({ authorization: client, 'if-none-match': changed.headers.etag as string });
    expect(again.statusCode).toBe(200);
    const prefixed = await get({ authorization: client }, '/api/client/features?namePrefix=zzz');
    expect(prefixed.json().features).toEqual([]);
    expect(prefixed.headers.etag).not.toBe(again.headers.etag);
  });

  it('stores registrations (upsert) and sums metrics per flag and hour; unknown flags are ignored', async () => {
    const register = {
      appName: 'billing',
      instanceId: 'i-1',
      sdkVersion: 'unleash-client-node:6.12.1',
      strategies: ['default', 'flexibleRollout'],
      started: t.clock.now().toISOString(),
      interval: 60000,
      platformName: 'node',
      yggdrasilVersion: null,
    };
    const registered = await post('/api/client/register', register);
    expect(registered.statusCode).toBe(202);
    expect(registered.body).toBe('');
    expect((await post('/api/client/register', { ...register, sdkVersion: 'v2' })).statusCode).toBe(202);
    const clients = await t.kw.database.db.selectFrom('flag_clients').selectAll().execute();
    expect(clients).toHaveLength(1);
    expect(clients[0]).toMatchObject({
      app_name: 'billing',
      instance_id: 'i-1',
      sdk_version: 'v2',
      interval_ms: 60000,
    });

    const bucket = (yes: number, no: number, variants: Record<string, number> = {}) => ({
      appName: 'billing',
      instanceId: 'i-1',
      bucket: {
        start: t.clock.now().toISOString(),
        stop: t.clock.now().toISOString(),
        toggles: { reports: { yes, no, variants }, unknown: { yes: 5, no: 0 } },
      },
    });
    expect((await post('/api/client/metrics', bucket(3, 1, { a: 2, disabled: 1 }))).statusCode).toBe(202);
    expect((await post('/api/client/metrics', bucket(2, 0, { a: 1, b: 1 }))).statusCode).toBe(202);
    const metrics = await t.kw.database.db.selectFrom('flag_metrics').selectAll().execute();
    expect(metrics).toHaveLength(1);
    expect(metrics[0]).toMatchObject({
      flag_key: 'reports',
      product_id: lic.product.id,
      variants: { a: 3, b: 1, disabled: 1 },
    });
    expect(Number(metrics[0]?.yes)).toBe(5);
    expect(Number(metrics[0]?.no)).toBe(1);
    expect(new Date(metrics[0]!.hour).getUTCMinutes()).toBe(0);
  });

  it('answers 400 in the one error shape for bad bodies', async () => {
    const bad: Array<[string, unknown]> = [
      ['/api/client/register', {}],
      ['/api/client/register', { appName: 'a', instanceId: 'b', interval: 'soon' }],
      ['/api/client/metrics', { appName: 'a', instanceId: 'b' }],
      ['/api/client/metrics', { appName: 'a', instanceId: 'b', bucket: { start: 'x', stop: 'y', toggles: {} } }],
      [
        '/api/client/metrics',
        {
          appName: 'a',
          instanceId: 'b',
          bucket: {
            start: t.clock.now().toISOString(),
            stop: t.clock.now().toISOString(),
            toggles: { f: { yes: -1, no: 0 } },
          },
        },
      ],
    ];
    for (const [url, payload] of bad) {
      const res = await post(url, payload);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 400 });
      expect(res.json().error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    }
    const notJson = await t.request({
      method: 'POST',
      url: '/api/client/metrics',
      token: null,
      headers: { authorization: client, 'content-type': 'application/json' },
      payload: '{"a":',
    });
    expect(notJson.statusCode).toBe(400);
  });
});
