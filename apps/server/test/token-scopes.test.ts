import { afterAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp } from './harness.ts';
import { fillPath, type OpenApiDoc, operationsOf, sampleValue } from './openapi-sweep.ts';

/** Token roles against every operation of the OpenAPI document (so routes added later are covered too). */
const t = await startTestApp();
afterAll(async () => t.close());
await t.kw.app.ready();
const operations = operationsOf(t.kw.app.swagger() as unknown as OpenApiDoc);

/** The client API takes a license key, not a bearer token. */
const CLIENT_API = new Set([
  'POST /v1/licenses/validate-key',
  'POST /v1/licenses/check-out',
  'POST /v1/machines/activate',
  'POST /v1/machines/heartbeat',
  'POST /v1/machines/deactivate',
  'POST /v1/client/entitlements',
  'POST /v1/client/flags',
  'POST /v1/client/usage',
  'GET /v1/keys', // public too: the keys that verify signatures (docs/license-files.md)
  // Dashboard sign-in: the session cookie is the credential (docs/dashboard-auth.md).
  'POST /v1/auth/sign-in',
  'POST /v1/auth/sign-out',
  'GET /v1/auth/session',
  'POST /v1/auth/password-reset',
  'POST /v1/auth/password-reset/confirm',
]);
const NOTHING = '00000000-0000-4000-8000-00000000beef';
const admin = operations.filter((o) => o.path.startsWith('/v1/') && !CLIENT_API.has(`${o.method} ${o.path}`));
const urlOf = (path: string) => fillPath(path, new Proxy({}, { get: () => NOTHING }) as Record<string, string>);

async function createToken(payload: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await t.request({ method: 'POST', url: '/v1/tokens', payload });
  expect(res.statusCode).toBe(201);
  return { id: res.json().token.id, secret: res.json().secret };
}

describe(`token scopes (${dbKind})`, () => {
  it('documents bearer security on every admin route and none on the client API', () => {
    expect(admin.length).toBeGreaterThanOrEqual(12);
    for (const op of admin)
      expect({ op: `${op.method} ${op.path}`, secured: op.secured }).toMatchObject({ secured: true });
    for (const op of operations.filter((o) => CLIENT_API.has(`${o.method} ${o.path}`))) expect(op.secured).toBe(false);
  });

  it('read-only tokens may GET everything and change nothing', async () => {
    await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'SCOPEA', name: 'Scope A' } });
    const { secret } = await createToken({ name: 'auditor', role: 'read-only' });
    // POSTs that only read (explain with a context body; route config `readsOnly`) count as reads.
    const readsOnly = (o: (typeof admin)[number]) => o.method === 'POST' && o.path.endsWith('/explain');
    const reads = admin.filter((o) => o.method === 'GET' || readsOnly(o));
    const writes = admin.filter((o) => o.method !== 'GET' && !readsOnly(o));
    expect(reads.length).toBeGreaterThanOrEqual(6);
    expect(writes.length).toBeGreaterThanOrEqual(6);
    const outcomes: string[] = [];
    for (const op of reads) {
      const payload = op.body ? JSON.stringify(sampleValue(op.body)) : undefined;
      const res = await t.request({
        method: op.method,
        url: urlOf(op.path),
        token: secret,
        ...(payload ? { payload, headers: { 'content-type': 'application/json' } } : {}),
      });
      const ok = op.pathParams.length > 0 ? [200, 404].includes(res.statusCode) : res.statusCode === 200;
      if (!ok) outcomes.push(`${op.method} ${op.path} → ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    for (const op of writes) {
      const payload = op.body ? JSON.stringify(sampleValue(op.body)) : undefined;
      const res = await t.request({
        method: op.method,
        url: urlOf(op.path),
        token: secret,
        ...(payload ? { payload, headers: { 'content-type': 'application/json' } } : {}),
      });
      if (res.statusCode !== 403 || res.json().error.code !== 'FORBIDDEN') {
        outcomes.push(`${op.method} ${op.path} → ${res.statusCode} ${res.body.slice(0, 200)}`);
      }
    }
    expect(outcomes).toEqual([]);
    const products = await t.request({ method: 'GET', url: '/v1/products', token: secret });
    expect(products.json().data.map((p: { code: string }) => p.code)).toContain('SCOPEA');
  });

  it('product tokens see only their product and cannot manage tokens', async () => {
    const mine = (
      await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'MINE', name: 'Mine' } })
    ).json();
    const other = (
      await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'OTHER', name: 'Other' } })
    ).json();
    const { secret } = await createToken({ name: 'mine only', role: 'product', productId: mine.id });

    const list = await t.request({ method: 'GET', url: '/v1/products', token: secret });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((p: { id: string }) => p.id)).toEqual([mine.id]);
    expect((await t.request({ method: 'GET', url: `/v1/products/${other.id}`, token: secret })).statusCode).toBe(404);
    expect((await t.request({ method: 'GET', url: `/v1/products/${mine.id}`, token: secret })).statusCode).toBe(200);

    const tokenOps = admin.filter((o) => o.tags.includes('Tokens'));
    expect(tokenOps.length).toBeGreaterThanOrEqual(4);
    for (const op of tokenOps) {
      const res = await t.request({
        method: op.method,
        url: urlOf(op.path),
        token: secret,
        ...(op.body ? { payload: { name: 'escalate', role: 'admin' } } : {}),
      });
      expect({ op: `${op.method} ${op.path}`, status: res.statusCode }).toEqual({
        op: `${op.method} ${op.path}`,
        status: 403,
      });
    }
    const admins = await t.kw.database.db
      .selectFrom('api_tokens')
      .select('name')
      .where('name', '=', 'escalate')
      .execute();
    expect(admins).toEqual([]);
  });

  it('expired and revoked tokens get 401 on every admin route', async () => {
    const expiring = await createToken({
      name: 'expiring',
      role: 'admin',
      expiresAt: new Date(t.clock.now().getTime() + 60_000).toISOString(),
    });
    const revoked = await createToken({ name: 'revoked', role: 'admin' });
    expect((await t.request({ method: 'GET', url: '/v1/products', token: expiring.secret })).statusCode).toBe(200);
    expect((await t.request({ method: 'DELETE', url: `/v1/tokens/${revoked.id}` })).statusCode).toBe(200);
    t.clock.advanceSeconds(61);
    let checked = 0;
    for (const op of admin) {
      for (const secret of [expiring.secret, revoked.secret]) {
        const res = await t.request({ method: op.method, url: urlOf(op.path), token: secret });
        expect({ op: `${op.method} ${op.path}`, status: res.statusCode, code: res.json().error?.code }).toEqual({
          op: `${op.method} ${op.path}`,
          status: 401,
          code: 'UNAUTHORIZED',
        });
        checked++;
      }
    }
    expect(checked).toBe(admin.length * 2);
  });

  it('client tokens get 403 on every admin route and read only their product through /api/client', async () => {
    const mine = (
      await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'CLIA', name: 'A' } })
    ).json();
    const other = (
      await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'CLIB', name: 'B' } })
    ).json();
    for (const [productId, key] of [
      [mine.id, 'mine-flag'],
      [other.id, 'other-flag'],
    ]) {
      const res = await t.request({ method: 'POST', url: '/v1/flags', payload: { productId, key, enabled: true } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const { secret } = await createToken({ name: 'sdk', role: 'client', productId: mine.id });
    const outcomes: string[] = [];
    for (const op of admin) {
      const res = await t.request({ method: op.method, url: urlOf(op.path), token: secret });
      if (res.statusCode !== 403) outcomes.push(`${op.method} ${op.path} → ${res.statusCode}`);
    }
    expect(outcomes).toEqual([]);
    const features = await t.request({
      method: 'GET',
      url: '/api/client/features',
      token: null,
      headers: { authorization: secret },
    });
    expect(features.statusCode).toBe(200);
    expect(features.json().features.map((f: { name: string }) => f.name)).toEqual(['mine-flag']);
    const asAdmin = await t.request({ method: 'GET', url: '/api/client/features' });
    expect(asAdmin.statusCode).toBe(403);
  });
});
