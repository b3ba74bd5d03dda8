import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { hashTokenSecret } from '../../platform/auth/token-secret.ts';

describe(`API tokens (${dbKind})`, () => {
  let t: TestApp;
  let productId: string;
  beforeAll(async () => {
    t = await startTestApp();
    const res = await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'TOKP', name: 'Token P' } });
    productId = res.json().id;
  });
  afterAll(async () => t.close());

  it('creates a token whose secret is shown once, stored only as a hash, and works as a bearer', async () => {
    const res = await t.request({ method: 'POST', url: '/v1/tokens', payload: { name: 'CI', role: 'read-only' } });
    expect(res.statusCode).toBe(201);
    const { token, secret } = res.json();
    expect(secret).toMatch(/^kw_[A-Za-z0-9]{40}$/);
    expect(token).toEqual({
      id: expect.any(String),
      name: 'CI',
      role: 'read-only',
      productId: null,
      prefix: secret.slice(0, 10),
      createdAt: t.clock.now().toISOString(),
      expiresAt: null,
      lastUsedAt: null,
      revokedAt: null,
    });
    const row = await t.kw.database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashTokenSecret(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    const asIt = await t.request({ method: 'GET', url: '/v1/products', token: secret });
    expect(asIt.statusCode).toBe(200);

    const got = await t.request({ method: 'GET', url: `/v1/tokens/${token.id}` });
    expect(got.json()).toMatchObject({ id: token.id, name: 'CI' });
    expect(got.body).not.toContain(secret);
    expect(got.body).not.toContain(row.token_hash);

    const list = await t.request({ method: 'GET', url: '/v1/tokens' });
    expect(list.statusCode).toBe(200);
    expect(list.json().data.map((x: { id: string }) => x.id)).toContain(token.id);
    expect(list.body).not.toMatch(/kw_[A-Za-z0-9]{40}/);
    expect(list.body).not.toContain(row.token_hash);

    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .selectAll()
      .where('target_id', '=', token.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['token.created']);
    expect(JSON.stringify(audit)).not.toContain(secret);
    expect(JSON.stringify(audit)).not.toContain(row.token_hash);
  });

  it('creates product tokens only with a known product, and only product tokens have one', async () => {
    const missing = await t.request({ method: 'POST', url: '/v1/tokens', payload: { name: 'p', role: 'product' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.details[0].field).toBe('/body/productId');

    const unknown = await t.request({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'p', role: 'product', productId: '00000000-0000-4000-8000-000000000000' },
    });
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().error.code).toBe('PRODUCT_NOT_FOUND');

    const extra = await t.request({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'a', role: 'admin', productId },
    });
    expect(extra.statusCode).toBe(400);

    const ok = await t.request({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'p', role: 'product', productId },
    });
    expect(ok.statusCode).toBe(201);
    expect(ok.json().token).toMatchObject({ role: 'product', productId });
  });

  it('rejects a past expiry and stops accepting a token once it expires', async () => {
    const past = await t.request({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'old', role: 'admin', expiresAt: '2020-01-01T00:00:00Z' },
    });
    expect(past.statusCode).toBe(400);
    expect(past.json().error.details[0].field).toBe('/body/expiresAt');

    const expiresAt = new Date(t.clock.now().getTime() + 3600_000).toISOString();
    const res = await t.request({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'short', role: 'admin', expiresAt },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().token.expiresAt).toBe(expiresAt);
    const { secret } = res.json();
    expect((await t.request({ method: 'GET', url: '/v1/tokens', token: secret })).statusCode).toBe(200);
    t.clock.advanceSeconds(3601);
    const after = await t.request({ method: 'GET', url: '/v1/tokens', token: secret });
    expect(after.statusCode).toBe(401);
  });

  it('revokes a token: it stops working at once; revoking again changes nothing', async () => {
    const created = (
      await t.request({ method: 'POST', url: '/v1/tokens', payload: { name: 'temp', role: 'admin' } })
    ).json();
    expect((await t.request({ method: 'GET', url: '/v1/products', token: created.secret })).statusCode).toBe(200);

    const del = await t.request({ method: 'DELETE', url: `/v1/tokens/${created.token.id}` });
    expect(del.statusCode).toBe(200);
    expect(del.json().revokedAt).toBe(t.clock.now().toISOString());
    const denied = await t.request({ method: 'GET', url: '/v1/products', token: created.secret });
    expect(denied.statusCode).toBe(401);

    const again = await t.request({ method: 'DELETE', url: `/v1/tokens/${created.token.id}` });
    expect(again.statusCode).toBe(200);
    const actions = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'after'])
      .where('target_id', '=', created.token.id)
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['token.created', 'token.revoked']);
    expect(JSON.stringify(actions)).not.toContain(created.secret);

    const missing = await t.request({ method: 'DELETE', url: '/v1/tokens/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('TOKEN_NOT_FOUND');
  });

  it('refuses to revoke the last working admin token', async () => {
    const me = (await t.request({ method: 'GET', url: '/v1/tokens?limit=500' })).json().data as Array<{
      id: string;
      role: string;
      revokedAt: string | null;
      expiresAt: string | null;
      prefix: string;
    }>;
    const now = t.clock.now().toISOString();
    const activeAdmins = me.filter(
      (x) => x.role === 'admin' && !x.revokedAt && (x.expiresAt === null || x.expiresAt > now),
    );
    const mine = activeAdmins.find((x) => ADMIN_TOKEN.startsWith(x.prefix));
    expect(mine).toBeDefined();
    for (const other of activeAdmins.filter((x) => x.id !== mine?.id)) {
      expect((await t.request({ method: 'DELETE', url: `/v1/tokens/${other.id}` })).statusCode).toBe(200);
    }
    const last = await t.request({ method: 'DELETE', url: `/v1/tokens/${mine?.id}` });
    expect(last.statusCode).toBe(409);
    expect(last.json().error.code).toBe('TOKEN_LAST_ADMIN');
    expect((await t.request({ method: 'GET', url: '/v1/tokens' })).statusCode).toBe(200);

    // Two admins revoked concurrently: exactly one revocation may win.
    const ctx = systemContext('test');
    const other = await t.kw.services.tokens.create(ctx, { name: 'second admin', role: 'admin' });
    const results = await Promise.allSettled([
      t.kw.services.tokens.revoke(ctx, other.token.id),
      t.kw.services.tokens.revoke(ctx, mine!.id),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const failure = results.find((r) => r.status === 'rejected');
    expect((failure as PromiseRejectedResult).reason.code).toBe('TOKEN_LAST_ADMIN');
    const stillWorking = await t.request({ method: 'GET', url: '/v1/tokens', token: other.secret });
    const adminWorks = await t.request({ method: 'GET', url: '/v1/tokens' });
    expect([stillWorking.statusCode, adminWorks.statusCode].sort()).toEqual([200, 401]);
    if (adminWorks.statusCode === 401) {
      // Keep the suite's admin token usable for the tests that follow.
      await t.kw.database.db.updateTable('api_tokens').set({ revoked_at: null }).where('id', '=', mine!.id).execute();
    }
  });

  it('lets only admin tokens manage tokens', async () => {
    const product = (
      await t.request({ method: 'POST', url: '/v1/tokens', payload: { name: 'pt', role: 'product', productId } })
    ).json().secret;
    for (const [method, url] of [
      ['GET', '/v1/tokens'],
      ['POST', '/v1/tokens'],
    ] as const) {
      const res = await t.request({ method, url, token: product, payload: { name: 'x', role: 'admin' } });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('offers a service method the CLI can call with a system context', async () => {
    const { token, secret } = await t.kw.services.tokens.create(systemContext('cli'), {
      name: 'from cli',
      role: 'admin',
    });
    expect((await t.request({ method: 'GET', url: `/v1/tokens/${token.id}`, token: secret })).statusCode).toBe(200);
    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['actor_type', 'actor_name'])
      .where('target_id', '=', token.id)
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ actor_type: 'system', actor_name: 'cli' });
  });

  it('pages through tokens and rejects a forged cursor', async () => {
    const first = (await t.request({ method: 'GET', url: '/v1/tokens?limit=2' })).json();
    expect(first.data).toHaveLength(2);
    const second = (await t.request({ method: 'GET', url: `/v1/tokens?limit=2&cursor=${first.nextCursor}` })).json();
    expect(second.data[0].id).not.toBe(first.data[1].id);
    const forged = Buffer.from(JSON.stringify({ v: 'nope', id: 'nope' })).toString('base64url');
    const bad = await t.request({ method: 'GET', url: `/v1/tokens?cursor=${forged}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_CURSOR');
  });
});
