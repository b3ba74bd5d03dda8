import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { hashSessionSecret } from '../../platform/auth/session-cookie.ts';
import { asUser, createUser, PASSWORD, sessionCookieOf, signIn, signInRequest } from './test-session.ts';

describe(`staff sign-in and sessions (${dbKind})`, () => {
  let t: TestApp;
  let ip = 0;
  /** Each test signs in from its own address, so the per-IP limit of one test does not spill into the next. */
  const nextIp = () => `10.0.0.${++ip}`;
  beforeAll(async () => {
    t = await startTestApp({
      env: {
        KEYWARD_TRUST_PROXY: 'true',
        KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP: '12',
        KEYWARD_SIGN_IN_RATE_LIMIT_PER_EMAIL: '8',
      },
    });
  });
  afterAll(async () => t.close());

  const audit = (action: string) =>
    t.kw.database.db
      .selectFrom('audit_events')
      .select(['actor_type', 'actor_id', 'target_id', 'after'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  it('signs in: user + CSRF token, an httpOnly SameSite=Strict cookie whose secret is stored only hashed', async () => {
    const user = await createUser(t, 'support', { email: 'Sam.Support@Example.com' });
    expect(user.email).toBe('sam.support@example.com');
    const res = await signInRequest(t, 'SAM.support@example.COM', PASSWORD, { remoteAddress: nextIp() });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      user: { id: user.id, email: 'sam.support@example.com', name: expect.any(String), role: 'support' },
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    const cookie = sessionCookieOf(res);
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/', maxAge: 43_200 });
    expect(cookie?.secure).toBeFalsy();
    const secret = cookie?.value as string;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.json().csrfToken).not.toBe(secret);

    const rows = await t.kw.database.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.id).toBe(hashSessionSecret(secret));
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(JSON.stringify(rows)).not.toContain(res.json().csrfToken);
    expect(rows[0]?.expires_at.toISOString()).toBe(new Date(t.clock.now().getTime() + 43_200_000).toISOString());
    const signedIn = await audit('user.signed_in');
    expect(signedIn.at(-1)).toMatchObject({ actor_type: 'user', actor_id: user.id, target_id: user.id });

    const session = await asUser(t, { cookie: secret, csrf: null }, { method: 'GET', url: '/v1/auth/session' });
    expect(session.statusCode).toBe(200);
    expect(session.json()).toEqual(res.json());
    expect((await asUser(t, { cookie: secret, csrf: null }, { method: 'GET', url: '/v1/licenses' })).statusCode).toBe(
      200,
    );
  });

  it('marks the cookie Secure when the request came over https', async () => {
    const user = await createUser(t, 'read_only');
    const res = await signInRequest(t, user.email, PASSWORD, {
      remoteAddress: nextIp(),
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.statusCode).toBe(200);
    expect(sessionCookieOf(res)).toMatchObject({ secure: true, httpOnly: true, sameSite: 'Strict' });
  });

  it('signs out: the session row is gone, the cookie cleared, the old cookie refused everywhere', async () => {
    const user = await createUser(t, 'account_manager');
    const s = await signIn(t, user.email, PASSWORD, nextIp());
    const out = await asUser(t, s, { method: 'POST', url: '/v1/auth/sign-out' });
    expect(out.statusCode).toBe(204);
    const cleared = sessionCookieOf(out);
    expect(cleared?.value).toBe('');
    expect(new Date(cleared?.expires ?? Date.now()).getTime()).toBeLessThan(Date.now());
    const left = await t.kw.database.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
    expect(left).toEqual([]);
    expect((await asUser(t, s, { method: 'GET', url: '/v1/auth/session' })).statusCode).toBe(401);
    const api = await asUser(t, s, { method: 'GET', url: '/v1/accounts' });
    expect(api.statusCode).toBe(401);
    expect(api.json().error.code).toBe('UNAUTHORIZED');
    expect((await t.kw.app.inject({ method: 'POST', url: '/v1/auth/sign-out' })).statusCode).toBe(204);
    expect((await t.kw.app.inject({ method: 'GET', url: '/v1/auth/session' })).statusCode).toBe(401);
    expect((await audit('user.signed_out')).at(-1)).toMatchObject({ actor_id: user.id });
  });

  it('answers a wrong password and an unknown email alike (401 INVALID_CREDENTIALS, no cookie), audited', async () => {
    const user = await createUser(t, 'support');
    const address = nextIp();
    const wrong = await signInRequest(t, user.email, 'not the password', { remoteAddress: address });
    const unknown = await signInRequest(t, 'nobody@example.com', PASSWORD, { remoteAddress: address });
    for (const res of [wrong, unknown]) {
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({
        code: 'INVALID_CREDENTIALS',
        message: 'The email or password is wrong',
      });
      expect(sessionCookieOf(res)).toBeUndefined();
    }
    expect(wrong.json().error.message).toBe(unknown.json().error.message);
    const failed = await audit('user.sign_in_failed');
    expect(failed.slice(-2).map((a) => [a.target_id, (a.after as { email: string }).email])).toEqual([
      [user.id, user.email],
      ['nobody@example.com', 'nobody@example.com'],
    ]);
    expect(JSON.stringify(failed)).not.toContain('not the password');
  });

  it('needs the CSRF token for cookie-authenticated changes; a bearer header wins over the cookie', async () => {
    const s = await signIn(t, (await createUser(t, 'account_manager')).email, PASSWORD, nextIp());
    const create = (csrf: string | null) =>
      asUser(t, { cookie: s.cookie, csrf }, { method: 'POST', url: '/v1/accounts', payload: { name: 'Initech' } });
    for (const csrf of [null, 'wrong', `${s.csrf}x`]) {
      const res = await create(csrf);
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('CSRF_TOKEN_INVALID');
    }
    expect((await create(s.csrf)).statusCode).toBe(201);
    expect((await asUser(t, { cookie: s.cookie, csrf: null }, { method: 'GET', url: '/v1/accounts' })).statusCode).toBe(
      200,
    );
    // Another session's token does not fit.
    const other = await signIn(t, (await createUser(t, 'account_manager')).email, PASSWORD, nextIp());
    expect((await create(other.csrf)).statusCode).toBe(403);
    // With a bearer token the cookie is ignored (no CSRF needed; the token's rights apply).
    const bearer = await t.request({
      method: 'POST',
      url: '/v1/accounts',
      payload: { name: 'Umbrella' },
      headers: { cookie: `kw_session=${s.cookie}` },
    });
    expect(bearer.statusCode).toBe(201);
  });

  it('slides the session: 12 h after the last use, renewing the cookie; idle for 12 h it ends', async () => {
    const s = await signIn(t, (await createUser(t, 'read_only')).email, PASSWORD, nextIp());
    const get = () => asUser(t, s, { method: 'GET', url: '/v1/products' });
    t.clock.advanceSeconds(30);
    const soon = await get();
    expect(soon.statusCode).toBe(200);
    expect(sessionCookieOf(soon)).toBeUndefined(); // renewed at most once a minute
    t.clock.advanceSeconds(11 * 3600);
    const later = await get();
    expect(later.statusCode).toBe(200);
    expect(sessionCookieOf(later)).toMatchObject({ value: s.cookie, maxAge: 43_200, httpOnly: true });
    t.clock.advanceSeconds(11 * 3600); // 22 h after sign-in, 11 h after the last use
    expect((await get()).statusCode).toBe(200);
    t.clock.advanceSeconds(12 * 3600 + 1);
    expect((await get()).statusCode).toBe(401);
    expect((await asUser(t, s, { method: 'GET', url: '/v1/auth/session' })).statusCode).toBe(401);
  });
});
