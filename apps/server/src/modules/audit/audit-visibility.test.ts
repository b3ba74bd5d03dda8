import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { type OpenApiDoc, operationsOf } from '../../../test/openapi-sweep.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import type { UserRole } from '../../platform/db/schema.ts';
import { catalog, insertToken, issue } from '../licenses/test-fixtures.ts';
import { asUser, createUser, PASSWORD, signIn, signInRequest, type TestSession } from '../staff-auth/test-session.ts';
import { recordAudit } from './audit.write.ts';
import { AUDIT_TARGET_ROUTES } from './audit-targets.ts';

interface Event {
  action: string;
  target: { type: string; id: string };
  after: unknown;
}

/**
 * Audit events about users, tokens and signing keys follow the permission of those resources (issue: read_only and
 * support users got 403 on GET /v1/users and /v1/tokens but read the same facts through the audit log).
 */
describe(`audit log visibility per role (${dbKind})`, () => {
  let t: TestApp;
  let productA: string;
  let accountId: string;
  let licenseId: string;
  let supportUserId: string;
  const sessions = {} as Record<UserRole, TestSession>;
  const tokens = {} as Record<'admin' | 'read-only' | 'product', string>;

  beforeAll(async () => {
    t = await startTestApp({ env: { KEYWARD_TRUST_PROXY: 'true' } });
    const c = await catalog(t, 'AUDV');
    productA = c.product.id;
    accountId = c.account.id;
    licenseId = (await issue(t, { planId: c.yearly.id, accountId })).id;
    let ip = 0;
    for (const role of ['admin', 'account_manager', 'support', 'read_only'] as const) {
      const user = await createUser(t, role);
      if (role === 'support') supportUserId = user.id;
      sessions[role] = await signIn(t, user.email, PASSWORD, `10.9.0.${++ip}`);
    }
    // Events about users (a failed sign-in with the IP), tokens (a product token of product A) and signing keys.
    await signInRequest(t, 'nobody@example.com', 'wrong password', { remoteAddress: '10.9.1.1' });
    const created = await t.request({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'a-integration', role: 'product', productId: productA },
    });
    expect(created.statusCode).toBe(201);
    expect((await t.request({ method: 'POST', url: '/v1/signing-keys/rotate' })).statusCode).toBe(201);
    // A token event that also names the customer, so the per-account and per-license histories are filtered too.
    await t.kw.database.db.transaction().execute((trx) =>
      recordAudit(trx, systemContext('seed'), t.clock, {
        action: 'token.created',
        targetType: 'token',
        targetId: created.json().token.id,
        productId: productA,
        accountId,
        licenseId,
        after: { name: 'customer-portal', prefix: 'kw_secret_prefix' },
      }),
    );
    tokens.admin = await insertToken(t, 'admin');
    tokens['read-only'] = await insertToken(t, 'read-only');
    tokens.product = await insertToken(t, 'product', productA);
  });
  afterAll(async () => t.close());

  type Caller = { role: UserRole } | { token: keyof typeof tokens };
  const get = (caller: Caller, url: string) =>
    'role' in caller
      ? asUser(t, { cookie: sessions[caller.role].cookie, csrf: null }, { method: 'GET', url })
      : t.request({ method: 'GET', url, token: tokens[caller.token] });
  const events = async (caller: Caller, url: string): Promise<Event[]> => {
    const res = await get(caller, url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json().data;
  };
  const typesSeen = async (caller: Caller, url: string) =>
    [...new Set((await events(caller, url)).map((e) => e.target.type))].sort();

  const SECRET_TYPES = ['signing_key', 'token', 'user'];
  const everything: Caller[] = [{ role: 'admin' }, { token: 'admin' }, { token: 'read-only' }];
  const restricted: Caller[] = [{ role: 'account_manager' }, { role: 'support' }, { role: 'read_only' }];

  it('shows events about users, tokens and signing keys to those who may read them', async () => {
    for (const caller of everything) {
      const seen = await typesSeen(caller, '/v1/audit-events?limit=500');
      expect({ caller, seen }).toEqual({ caller, seen: expect.arrayContaining([...SECRET_TYPES, 'license']) });
      expect((await events(caller, '/v1/audit-events?targetType=user&limit=500')).length).toBeGreaterThan(4);
      const history = await events(caller, `/v1/accounts/${accountId}/audit-events`);
      expect(history.map((e) => e.target.type)).toContain('token');
    }
    // These callers also get the resources themselves.
    for (const caller of everything) {
      for (const url of ['/v1/users', '/v1/tokens']) expect((await get(caller, url)).statusCode).toBe(200);
    }
  });

  it('hides them from roles that get 403 on /v1/users and /v1/tokens: lists, filters and histories', async () => {
    for (const caller of restricted) {
      for (const url of ['/v1/users', '/v1/tokens']) {
        const refused = await get(caller, url);
        expect({ caller, url, status: refused.statusCode }).toEqual({ caller, url, status: 403 });
      }
      const all = await events(caller, '/v1/audit-events?limit=500');
      expect(all.length).toBeGreaterThan(0);
      expect({ caller, types: [...new Set(all.map((e) => e.target.type))] }).toEqual({
        caller,
        types: expect.not.arrayContaining(SECRET_TYPES),
      });
      const filtered = [
        '/v1/audit-events?targetType=user',
        '/v1/audit-events?targetType=token',
        '/v1/audit-events?targetType=signing_key',
        `/v1/audit-events?targetId=${supportUserId}`,
        '/v1/audit-events?action=user.',
        '/v1/audit-events?action=token*',
        `/v1/audit-events?targetType=user&actorId=${supportUserId}`,
      ];
      for (const url of filtered)
        expect({ caller, url, data: await events(caller, url) }).toEqual({ caller, url, data: [] });
      for (const url of [`/v1/accounts/${accountId}/audit-events`, `/v1/licenses/${licenseId}/audit-events`]) {
        const history = await events(caller, url);
        expect(history.map((e) => e.target.type)).toContain('license');
        expect(history.map((e) => e.target.type)).not.toContain('token');
      }
      const body = JSON.stringify(all);
      expect(body).not.toContain('10.9.'); // sign-in addresses
      expect(body).not.toContain('nobody@example.com');
      expect(body).not.toContain('kw_secret_prefix');
    }
  });

  it('shows a product token no token events, not even those of its own product', async () => {
    const caller: Caller = { token: 'product' };
    expect((await get(caller, '/v1/tokens')).statusCode).toBe(403);
    expect(await typesSeen(caller, '/v1/audit-events?limit=500')).toEqual(['license', 'product']);
    expect(await events(caller, '/v1/audit-events?targetType=token')).toEqual([]);
    const history = await events(caller, `/v1/licenses/${licenseId}/audit-events`);
    expect(history.map((e) => e.action)).toEqual(['license.created']);
  });

  it('names, for every target type, a route of the policy (a GET operation, but for signing keys)', async () => {
    await t.kw.app.ready();
    const gets = new Set(
      operationsOf(t.kw.app.swagger() as unknown as OpenApiDoc)
        .filter((o) => o.method === 'GET')
        .map((o) => o.path.replace(/\{(\w+)\}/g, ':$1')),
    );
    for (const [type, route] of Object.entries(AUDIT_TARGET_ROUTES)) {
      if (type !== 'signing_key')
        expect({ type, route, served: gets.has(route) }).toEqual({ type, route, served: true });
    }
    const written = await t.kw.database.db.selectFrom('audit_events').select('target_type').distinct().execute();
    for (const { target_type } of written) expect(Object.keys(AUDIT_TARGET_ROUTES)).toContain(target_type);
  });
});
