import { verifyResponseSignature } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { act, catalog, insertLicense, insertPlan, issue } from '../licenses/test-fixtures.ts';
import { createProperty, errorOf, setPlanValue } from '../properties/test-fixtures.ts';

const DAY = 86_400_000;

describe(`client entitlements: POST /v1/client/entitlements (${dbKind})`, () => {
  let t: TestApp;
  let c: Awaited<ReturnType<typeof catalog>>;
  const call = (payload: Record<string, unknown>) =>
    t.kw.app.inject({ method: 'POST', url: '/v1/client/entitlements', payload });

  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    c = await catalog(t, 'CLIENT');
    const sso = await createProperty(t, { productId: c.product.id, key: 'sso', name: 'SSO', type: 'boolean' });
    await setPlanValue(t, c.yearly.id, sso.id, { value: true });
  });
  afterAll(async () => t.close());

  it('the client variant: by key, signed, refused like activation for malformed, unknown, revoked and suspended keys', async () => {
    const lic = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    const keys = (await t.request({ method: 'GET', url: '/v1/keys', token: null })).json();
    const res = await call({ key: lic.key, nonce: 'n-1', context: { userId: 'u1', properties: { region: 'eu' } } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual((await t.request({ method: 'GET', url: `/v1/licenses/${lic.id}/entitlements` })).json());
    expect(res.json().properties).toMatchObject([{ key: 'sso', value: true, source: { kind: 'plan' } }]);
    const verified = await verifyResponseSignature({
      publicKeys: keys,
      header: res.headers['keyward-signature'] as string,
      method: 'POST',
      path: '/v1/client/entitlements',
      nonce: 'n-1',
      body: res.rawPayload,
      now: t.clock.now(),
    });
    expect(verified).toMatchObject({ valid: true });
    // Keys are case- and space-insensitive, like validate-key.
    expect((await call({ key: ` ${lic.key.toLowerCase()} ` })).statusCode).toBe(200);

    const mistyped = `${lic.key.slice(0, -1)}${lic.key.endsWith('0') ? '1' : '0'}`;
    expect(errorOf(await call({ key: mistyped }))).toMatchObject({ status: 400, code: 'MALFORMED_KEY' });
    expect(errorOf(await call({ key: 'NOT-A-KEY-AT-ALL' }))).toMatchObject({ status: 404, code: 'LICENSE_NOT_FOUND' });
    expect(errorOf(await call({ key: lic.key, fingerprint: 'unknown-machine' }))).toMatchObject({
      status: 422,
      code: 'MACHINE_NOT_FOUND',
    });
    const refused = await call({ key: lic.key, context: { nope: 1 } });
    expect(errorOf(refused)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(refused.headers['keyward-signature']).toBeDefined();

    expect((await act(t, lic.id, 'suspend')).statusCode).toBe(200);
    expect(errorOf(await call({ key: lic.key }))).toMatchObject({ status: 403, code: 'LICENSE_SUSPENDED' });
    expect((await act(t, lic.id, 'revoke')).statusCode).toBe(200);
    expect(errorOf(await call({ key: lic.key }))).toMatchObject({ status: 403, code: 'LICENSE_REVOKED' });
    // The admin view still answers, with the status.
    const admin = await t.request({ method: 'GET', url: `/v1/licenses/${lic.id}/entitlements` });
    expect(admin.json().license.status).toBe('revoked');
  });

  it('answers expired licenses that may keep running; refuses revoke-on-expiry, not-yet-started and unbound machines', async () => {
    const now = t.clock.now().getTime();
    const ended = { starts_at: new Date(now - 40 * DAY), ends_at: new Date(now - 20 * DAY) };
    const keyOf = async (id: string) =>
      (await t.kw.database.db.selectFrom('licenses').select('key').where('id', '=', id).executeTakeFirstOrThrow()).key;
    const restrict = await insertPlan(t, c.product.id, { expiration_strategy: 'restrict', grace_days: 0 });
    const revoke = await insertPlan(t, c.product.id, { expiration_strategy: 'revoke', grace_days: 0 });
    const expired = await call({ key: await keyOf(await insertLicense(t, restrict, c.account.id, ended)) });
    expect(expired.statusCode, expired.body).toBe(200);
    expect(expired.json()).toMatchObject({ license: { status: 'expired' }, trial: { phase: 'ended', daysLeft: 0 } });
    expect(
      errorOf(await call({ key: await keyOf(await insertLicense(t, revoke, c.account.id, ended)) })),
    ).toMatchObject({
      status: 403,
      code: 'LICENSE_EXPIRED',
    });
    const future = { starts_at: new Date(now + DAY), ends_at: new Date(now + 30 * DAY) };
    expect(
      errorOf(await call({ key: await keyOf(await insertLicense(t, restrict, c.account.id, future)) })),
    ).toMatchObject({
      status: 403,
      code: 'LICENSE_NOT_YET_VALID',
    });

    const bound = await insertPlan(t, c.product.id, { require_fingerprint: true });
    const lic = await issue(t, { planId: bound.id, accountId: c.account.id });
    expect(errorOf(await call({ key: lic.key }))).toMatchObject({ status: 422, code: 'FINGERPRINT_REQUIRED' });
    const activated = await t.kw.app.inject({
      method: 'POST',
      url: '/v1/machines/activate',
      payload: { key: lic.key, fingerprint: 'fp-1' },
    });
    expect(activated.statusCode, activated.body).toBe(201);
    expect((await call({ key: lic.key, fingerprint: 'fp-1' })).statusCode).toBe(200);
    expect(errorOf(await call({ key: lic.key, fingerprint: 'fp-2' }))).toMatchObject({ code: 'MACHINE_NOT_FOUND' });
  });
});

describe(`client entitlements rate limit (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: { rateLimit: { perIp: 100, perKey: 3, windowSeconds: 60 } } });
  });
  afterAll(async () => t.close());

  it('limits requests per license key like validate-key (429 with Retry-After)', async () => {
    const c = await catalog(t, 'RLENT');
    const lic = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    const statuses: number[] = [];
    let last: Awaited<ReturnType<typeof t.kw.app.inject>> | undefined;
    for (let i = 0; i < 5; i++) {
      last = await t.kw.app.inject({ method: 'POST', url: '/v1/client/entitlements', payload: { key: lic.key } });
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(last?.headers['retry-after']).toBeDefined();
    expect(errorOf(last!).code).toBe('RATE_LIMITED');
  });
});
