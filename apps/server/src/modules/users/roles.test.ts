import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import type { UserRole } from '../../platform/db/schema.ts';
import { catalog, insertToken, issue } from '../licenses/test-fixtures.ts';
import { asUser, signInAs, type TestSession } from '../staff-auth/test-session.ts';

/** Each dashboard role against a representative set of admin routes (the policy: platform/auth/permissions.ts). */
describe(`user roles on the admin API (${dbKind})`, () => {
  let t: TestApp;
  let licenseId: string;
  let accountId: string;
  let productId: string;
  const sessions = {} as Record<UserRole, TestSession>;

  beforeAll(async () => {
    t = await startTestApp();
    const c = await catalog(t, 'ROLES');
    productId = c.product.id;
    accountId = c.account.id;
    licenseId = (await issue(t, { planId: c.yearly.id, accountId })).id;
    for (const role of ['admin', 'account_manager', 'support', 'read_only'] as const) {
      sessions[role] = await signInAs(t, role);
    }
  });
  afterAll(async () => t.close());

  const call = (role: UserRole, opts: InjectOptions) => asUser(t, sessions[role], opts);
  const outcome = async (role: UserRole, opts: InjectOptions) => {
    const res = await call(role, opts);
    return res.statusCode === 403 ? `403 ${res.json().error.code}` : res.statusCode;
  };
  const extend = (days: number): InjectOptions => ({
    method: 'POST',
    url: `/v1/licenses/${licenseId}/actions/extend`,
    payload: { days },
  });
  const patchLicense = (payload: object): InjectOptions => ({
    method: 'PATCH',
    url: `/v1/licenses/${licenseId}`,
    payload,
  });
  const patchAccount = (payload: object): InjectOptions => ({
    method: 'PATCH',
    url: `/v1/accounts/${accountId}`,
    payload,
  });
  const createToken: InjectOptions = { method: 'POST', url: '/v1/tokens', payload: { name: 'x', role: 'admin' } };
  const createUser: InjectOptions = {
    method: 'POST',
    url: '/v1/users',
    payload: {
      email: `new-${Math.random()}@example.com`,
      name: 'New',
      role: 'admin',
      password: 'long enough password',
    },
  };
  const FORBIDDEN = '403 FORBIDDEN';

  it('every role may read licenses, accounts, products, plans and the audit log', async () => {
    const reads = ['/v1/products', '/v1/plans', '/v1/accounts', '/v1/licenses', '/v1/audit-events'];
    for (const role of Object.keys(sessions) as UserRole[]) {
      for (const url of [
        ...reads,
        `/v1/products/${productId}`,
        `/v1/licenses/${licenseId}`,
        `/v1/accounts/${accountId}`,
      ]) {
        expect({ role, url, status: await outcome(role, { method: 'GET', url }) }).toEqual({ role, url, status: 200 });
      }
    }
  });

  it('support: +7 and -7 days, notes on licenses and accounts — nothing else', async () => {
    expect(await outcome('support', extend(7))).toBe(200);
    expect(await outcome('support', extend(-7))).toBe(200);
    for (const days of [30, 8, -30, 1]) expect(await outcome('support', extend(days))).toBe(FORBIDDEN);
    expect(await outcome('support', patchLicense({ notes: 'called on Monday' }))).toBe(200);
    expect(await outcome('support', patchLicense({ maxMachines: 50 }))).toBe(FORBIDDEN);
    expect(await outcome('support', patchLicense({ notes: 'x', maxMachines: 50 }))).toBe(FORBIDDEN);
    expect(await outcome('support', patchAccount({ notes: 'VIP' }))).toBe(200);
    expect(await outcome('support', patchAccount({ name: 'Renamed' }))).toBe(FORBIDDEN);
    for (const action of ['renew', 'suspend', 'revoke', 'reset-machines']) {
      expect(await outcome('support', { method: 'POST', url: `/v1/licenses/${licenseId}/actions/${action}` })).toBe(
        FORBIDDEN,
      );
    }
    expect(await outcome('support', { method: 'POST', url: '/v1/accounts', payload: { name: 'A' } })).toBe(FORBIDDEN);
    expect(await outcome('support', { method: 'DELETE', url: `/v1/accounts/${accountId}` })).toBe(FORBIDDEN);
    // A notes-only body does not make other methods on the same route acceptable.
    for (const url of [`/v1/licenses/${licenseId}`, `/v1/accounts/${accountId}`]) {
      expect(await outcome('support', { method: 'DELETE', url, payload: { notes: 'x' } })).toBe(FORBIDDEN);
    }
    expect((await t.request({ method: 'GET', url: `/v1/licenses/${licenseId}` })).statusCode).toBe(200);
    for (const url of ['/v1/tokens', '/v1/users'])
      expect(await outcome('support', { method: 'GET', url })).toBe(FORBIDDEN);
    const res = await call('support', extend(30));
    expect(res.json().error.message).toMatch(/support role/);
    expect(res.json().error.message).toMatch(/7 or -7/);
    const license = (await t.request({ method: 'GET', url: `/v1/licenses/${licenseId}` })).json();
    expect(license.notes).toBe('called on Monday');
    expect(license.maxMachines).not.toBe(50);
    // The change is audited as the user.
    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['actor_type', 'actor_id'])
      .where('license_id', '=', licenseId)
      .where('action', 'like', 'license.%')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_type: 'user', actor_id: sessions.support.userId });
  });

  it('read_only: changes nothing', async () => {
    for (const opts of [
      extend(7),
      patchLicense({ notes: 'x' }),
      patchAccount({ notes: 'x' }),
      { method: 'POST', url: '/v1/accounts', payload: { name: 'A' } },
      { method: 'DELETE', url: `/v1/licenses/${licenseId}` },
      createToken,
    ] as InjectOptions[]) {
      const res = await call('read_only', opts);
      expect({ url: opts.url, status: res.statusCode }).toEqual({ url: opts.url, status: 403 });
      expect(res.json().error.message).toMatch(/read_only role/);
    }
    for (const url of ['/v1/tokens', '/v1/users']) {
      expect(await outcome('read_only', { method: 'GET', url })).toBe(FORBIDDEN);
    }
  });

  it('account_manager: licenses and accounts yes; tokens, users, signing keys, product/plan writes no', async () => {
    expect(await outcome('account_manager', extend(30))).toBe(200);
    expect(await outcome('account_manager', patchLicense({ maxMachines: 9, notes: 'upsell' }))).toBe(200);
    expect(await outcome('account_manager', patchAccount({ name: 'Renamed Co' }))).toBe(200);
    expect(
      await outcome('account_manager', { method: 'POST', url: '/v1/accounts', payload: { name: 'New customer' } }),
    ).toBe(201);
    for (const opts of [
      createToken,
      createUser,
      { method: 'GET', url: '/v1/tokens' },
      { method: 'GET', url: '/v1/users' },
      { method: 'POST', url: '/v1/signing-keys/rotate' },
      { method: 'POST', url: '/v1/products', payload: { code: 'AMP', name: 'AM product' } },
      { method: 'PATCH', url: `/v1/products/${productId}`, payload: { name: 'x' } },
      { method: 'POST', url: '/v1/plans', payload: { productId, name: 'AM plan', licenseType: 'perpetual' } },
    ] as InjectOptions[]) {
      const res = await call('account_manager', opts);
      expect({ op: `${opts.method} ${opts.url}`, status: res.statusCode }).toEqual({
        op: `${opts.method} ${opts.url}`,
        status: 403,
      });
      expect(res.json().error.message).toMatch(/account_manager role/);
    }
    const tokens = await t.kw.database.db.selectFrom('api_tokens').select('name').where('name', '=', 'x').execute();
    expect(tokens).toEqual([]);
  });

  it('admin users may do everything, tokens and users included', async () => {
    expect(await outcome('admin', createToken)).toBe(201);
    expect(await outcome('admin', createUser)).toBe(201);
    expect(await outcome('admin', { method: 'GET', url: '/v1/users' })).toBe(200);
    expect(await outcome('admin', { method: 'GET', url: '/v1/tokens' })).toBe(200);
    expect(await outcome('admin', extend(365))).toBe(200);
  });

  it('a role change applies to the next request of an existing session', async () => {
    const s = await signInAs(t, 'support');
    expect((await asUser(t, s, patchAccount({ name: 'By support' }))).statusCode).toBe(403);
    const promoted = await t.request({
      method: 'PATCH',
      url: `/v1/users/${s.userId}`,
      payload: { role: 'account_manager' },
    });
    expect(promoted.statusCode).toBe(200);
    expect((await asUser(t, s, patchAccount({ name: 'By AM' }))).statusCode).toBe(200);
  });

  it('bearer tokens keep working exactly as before', async () => {
    const readOnly = await insertToken(t, 'read-only');
    const write = await t.request({ method: 'POST', url: '/v1/accounts', payload: { name: 'RO' }, token: readOnly });
    expect(write.statusCode).toBe(403);
    expect(write.json().error.message).toBe('Read-only tokens cannot make changes');
    expect((await t.request({ method: 'GET', url: '/v1/tokens', token: readOnly })).statusCode).toBe(200);
    const product = await insertToken(t, 'product', productId);
    expect(
      (await t.request({ method: 'POST', url: '/v1/tokens', payload: { name: 'p', role: 'admin' }, token: product }))
        .statusCode,
    ).toBe(403);
    expect(
      (await t.request({ method: 'POST', url: '/v1/accounts', payload: { name: 'Admin token' } })).statusCode,
    ).toBe(201);
    // An unknown or garbage cookie without a bearer token is a 401, never a 500.
    for (const cookie of ['kw_session=nope', 'kw_session=', `kw_session=${'x'.repeat(5000)}`, 'kw_session=%E0%A4%A']) {
      const res = await t.kw.app.inject({ method: 'GET', url: '/v1/licenses', headers: { cookie } });
      expect({ cookie: cookie.slice(0, 30), status: res.statusCode }).toEqual({
        cookie: cookie.slice(0, 30),
        status: 401,
      });
    }
  });
});
