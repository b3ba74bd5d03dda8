import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { verifyPassword } from '../staff-auth/passwords.ts';
import { asUser, createUser, PASSWORD, signIn, signInRequest } from '../staff-auth/test-session.ts';
import { ensureFirstAdmin } from './users.bootstrap.ts';

describe(`users API (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { KEYWARD_PUBLIC_URL: 'http://dash.example.com' } });
  });
  afterAll(async () => t.close());

  const post = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: '/v1/users', payload });
  const patch = (id: string, payload: Record<string, unknown>) =>
    t.request({ method: 'PATCH', url: `/v1/users/${id}`, payload });

  it('creates the first admin once (generated or configured password), even when two processes race', async () => {
    const ctx = systemContext('bootstrap');
    const db = t.kw.database.db;
    const [a, b] = await Promise.all([
      ensureFirstAdmin(db, t.clock, ctx, { adminEmail: 'admin@keyward.local', adminPassword: null }),
      ensureFirstAdmin(db, t.clock, ctx, { adminEmail: 'admin@keyward.local', adminPassword: null }),
    ]);
    expect([a.created, b.created].sort()).toEqual([false, true]);
    const first = a.created ? a : b;
    expect(first.generatedPassword).toMatch(/^[A-Za-z0-9_-]{24}$/);
    const rows = await db.selectFrom('users').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ email: 'admin@keyward.local', role: 'admin', disabled: false });
    expect(rows[0]?.password_hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(rows[0]?.password_hash ?? '', first.generatedPassword ?? '')).toBe(true);
    const again = await ensureFirstAdmin(db, t.clock, ctx, {
      adminEmail: 'x@example.com',
      adminPassword: 'configured password',
    });
    expect(again).toEqual({ created: false, email: 'x@example.com', generatedPassword: null });
    expect((await signInRequest(t, 'admin@keyward.local', first.generatedPassword ?? '')).statusCode).toBe(200);
  });

  it('creates a user with a password: stored as argon2id, never returned, audited without secrets', async () => {
    const res = await post({ email: 'Pat@Example.com', name: 'Pat', role: 'support', password: PASSWORD });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      id: expect.any(String),
      email: 'pat@example.com',
      name: 'Pat',
      role: 'support',
      disabled: false,
      createdAt: t.clock.now().toISOString(),
      updatedAt: t.clock.now().toISOString(),
      lastSignInAt: null,
    });
    expect(res.body).not.toContain('argon2');
    const { id } = res.json();
    expect((await t.request({ method: 'GET', url: `/v1/users/${id}` })).json()).toEqual(res.json());
    const list = await t.request({ method: 'GET', url: '/v1/users?limit=500' });
    expect(list.json().data.map((u: { id: string }) => u.id)).toContain(id);
    const audit = await t.kw.database.db.selectFrom('audit_events').selectAll().where('target_id', '=', id).execute();
    expect(audit.map((a) => a.action)).toEqual(['user.created']);
    expect(JSON.stringify(audit)).not.toContain(PASSWORD);
    expect(JSON.stringify(audit)).not.toContain('argon2');
    expect((await signInRequest(t, 'pat@example.com', PASSWORD)).statusCode).toBe(200);

    const taken = await post({ email: 'PAT@example.com', name: 'Pat 2', role: 'support', password: PASSWORD });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('USER_EMAIL_TAKEN');
    const short = await post({ email: 'short@example.com', name: 'S', role: 'support', password: 'elevenchars' });
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].field).toBe('/body/password');
    const badRole = await post({ email: 'r@example.com', name: 'R', role: 'superuser', password: PASSWORD });
    expect(badRole.statusCode).toBe(400);
  });

  it('creates a user without a password by mailing an invitation link', async () => {
    const res = await post({ email: 'ivy@example.com', name: 'Ivy', role: 'account_manager' });
    expect(res.statusCode).toBe(201);
    const mail = await t.kw.database.db
      .selectFrom('outbox_mail')
      .selectAll()
      .where('to', '=', 'ivy@example.com')
      .executeTakeFirstOrThrow();
    expect(mail.subject).toBe('Your Keyward account');
    const token = /http:\/\/dash\.example\.com\/reset-password\?token=([A-Za-z0-9_-]{43})/.exec(mail.body)?.[1];
    expect(token).toBeDefined();
    // No password yet: signing in fails like any wrong password.
    expect((await signInRequest(t, 'ivy@example.com', PASSWORD)).statusCode).toBe(401);
    const set = await t.kw.app.inject({
      method: 'POST',
      url: '/v1/auth/password-reset/confirm',
      payload: { token, password: PASSWORD },
    });
    expect(set.statusCode).toBe(204);
    expect((await signInRequest(t, 'ivy@example.com', PASSWORD)).statusCode).toBe(200);
  });

  it('changes name, email and role; disabling ends sessions, enabling lets the user in again', async () => {
    const user = await createUser(t, 'support');
    const s = await signIn(t, user.email);
    const renamed = await patch(user.id, { name: 'Renamed', email: 'Renamed@example.com', role: 'read_only' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({ name: 'Renamed', email: 'renamed@example.com', role: 'read_only' });
    expect((await asUser(t, s, { method: 'GET', url: '/v1/auth/session' })).json().user.role).toBe('read_only');

    const disabled = await patch(user.id, { disabled: true });
    expect(disabled.json().disabled).toBe(true);
    expect((await asUser(t, s, { method: 'GET', url: '/v1/licenses' })).statusCode).toBe(401);
    expect((await signInRequest(t, 'renamed@example.com', PASSWORD)).statusCode).toBe(401);

    const enabled = await patch(user.id, { disabled: false });
    expect(enabled.json()).toMatchObject({ disabled: false });
    expect(enabled.json()).not.toHaveProperty('lockedUntil');
    expect((await signInRequest(t, 'renamed@example.com', PASSWORD)).statusCode).toBe(200);

    const other = await createUser(t, 'support');
    const clash = await patch(other.id, { email: 'RENAMED@example.com' });
    expect(clash.statusCode).toBe(409);
    expect(clash.json().error.code).toBe('USER_EMAIL_TAKEN');
    const actions = await t.kw.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', user.id)
      .where('target_type', '=', 'user')
      .where('action', 'not like', 'user.sign%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['user.created', 'user.updated', 'user.disabled', 'user.enabled']);
  });

  it('never removes, disables or demotes the last enabled admin', async () => {
    const admins = await t.kw.database.db
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('disabled', '=', false)
      .execute();
    expect(admins).toHaveLength(1); // the first admin
    const only = admins[0]?.id as string;
    for (const res of [
      await patch(only, { role: 'account_manager' }),
      await patch(only, { disabled: true }),
      await t.request({ method: 'DELETE', url: `/v1/users/${only}` }),
    ]) {
      expect(res.statusCode).toBe(409);
      expect(res.json().error.code).toBe('USER_LAST_ADMIN');
    }
    expect((await patch(only, { name: 'Still admin' })).statusCode).toBe(200);

    const second = await createUser(t, 'admin');
    // Two demotions at once: exactly one may win.
    const ctx = systemContext('test');
    const results = await Promise.allSettled([
      t.kw.services.users.update(ctx, only, { role: 'support' }),
      t.kw.services.users.update(ctx, second.id, { disabled: true }),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code).toBe('USER_LAST_ADMIN');

    const third = await createUser(t, 'admin');
    const remaining = results[0]?.status === 'fulfilled' ? second.id : only;
    const del = await t.request({ method: 'DELETE', url: `/v1/users/${remaining}` });
    expect(del.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: `/v1/users/${remaining}` })).statusCode).toBe(404);
    const last = await t.request({ method: 'DELETE', url: `/v1/users/${third.id}` });
    expect(last.json().error.code).toBe('USER_LAST_ADMIN');
    const missing = await t.request({ method: 'DELETE', url: '/v1/users/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('USER_NOT_FOUND');
  });
});
