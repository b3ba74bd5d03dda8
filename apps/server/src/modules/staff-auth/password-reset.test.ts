import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { hashResetToken } from './password-reset.write.ts';
import { asUser, createUser, PASSWORD, signIn, signInRequest } from './test-session.ts';

const NEW_PASSWORD = 'a brand new passphrase';

describe(`password reset through the mail outbox (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { KEYWARD_PUBLIC_URL: 'https://keyward.example.com/' } });
  });
  afterAll(async () => t.close());

  const outbox = () => t.kw.database.db.selectFrom('outbox_mail').selectAll().orderBy('created_at').execute();
  const request = (email: string, host?: string) =>
    t.kw.app.inject({
      method: 'POST',
      url: '/v1/auth/password-reset',
      payload: { email },
      ...(host ? { headers: { host } } : {}),
    });
  const confirm = (token: string, password = NEW_PASSWORD) =>
    t.kw.app.inject({ method: 'POST', url: '/v1/auth/password-reset/confirm', payload: { token, password } });
  const tokenOf = (body: string) => {
    const match = /https:\/\/keyward\.example\.com\/reset-password\?token=([A-Za-z0-9_-]{43})\n/.exec(body);
    expect(match, body).not.toBeNull();
    return match?.[1] as string;
  };

  it('answers 202 for unknown and disabled users too, without writing a mail (no enumeration)', async () => {
    const disabled = await createUser(t, 'support');
    await t.kw.services.users.update(systemContext('test'), disabled.id, { disabled: true });
    for (const email of ['nobody@example.com', disabled.email]) {
      const res = await request(email);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ accepted: true });
    }
    expect(await outbox()).toEqual([]);
  });

  it('mails a one-time link (token stored hashed, 1 h) whose origin is the configured URL, never the Host header', async () => {
    const user = await createUser(t, 'account_manager', { email: 'ann@example.com' });
    const old = await signIn(t, user.email);
    const res = await request('ANN@example.com', 'evil.example.net');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ accepted: true });
    const mails = await outbox();
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ to: 'ann@example.com', subject: 'Reset your Keyward password', sent_at: null });
    expect(mails[0]?.body).not.toContain('evil');
    const token = tokenOf(mails[0]?.body ?? '');
    const stored = await t.kw.database.db
      .selectFrom('password_resets')
      .selectAll()
      .where('user_id', '=', user.id)
      .execute();
    expect(stored).toHaveLength(1);
    expect(stored[0]?.token_hash).toBe(hashResetToken(token));
    expect(JSON.stringify(stored)).not.toContain(token);
    expect(stored[0]?.expires_at.getTime()).toBe(t.clock.now().getTime() + 3600_000);

    const short = await confirm(token, 'too short');
    expect(short.statusCode).toBe(400);
    expect(short.json().error.details[0].field).toBe('/body/password');

    const done = await confirm(token);
    expect(done.statusCode).toBe(204);
    // The old password and every old session stop working; the new password works.
    expect((await asUser(t, old, { method: 'GET', url: '/v1/auth/session' })).statusCode).toBe(401);
    expect((await signInRequest(t, user.email, PASSWORD)).statusCode).toBe(401);
    expect((await signInRequest(t, user.email, NEW_PASSWORD)).statusCode).toBe(200);
    // One time only.
    const again = await confirm(token, 'yet another passphrase');
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('RESET_TOKEN_INVALID');
    const actions = await t.kw.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', user.id)
      .where('action', 'like', 'user.password%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual(['user.password_reset_requested', 'user.password_reset']);
  });

  it('refuses expired, superseded and made-up tokens', async () => {
    const user = await createUser(t, 'support');
    await request(user.email);
    const first = tokenOf((await outbox()).at(-1)?.body ?? '');
    t.clock.advanceSeconds(60);
    await request(user.email);
    const second = tokenOf((await outbox()).at(-1)?.body ?? '');
    expect(second).not.toBe(first);
    expect((await confirm(first)).json().error.code).toBe('RESET_TOKEN_INVALID'); // superseded
    t.clock.advanceSeconds(3601);
    expect((await confirm(second)).json().error.code).toBe('RESET_TOKEN_INVALID'); // expired
    const madeUp = await confirm('A'.repeat(43));
    expect(madeUp.statusCode).toBe(400);
    expect(madeUp.json().error.code).toBe('RESET_TOKEN_INVALID');
  });

  it('forgets the failed sign-ins of the email from every address', async () => {
    const user = await createUser(t, 'read_only');
    for (let i = 0; i < 6; i++) await signInRequest(t, user.email, 'wrong password!');
    const throttled = await signInRequest(t, user.email, PASSWORD);
    expect([throttled.statusCode, throttled.json().error.code]).toEqual([429, 'SIGN_IN_THROTTLED']);
    await request(user.email);
    expect((await confirm(tokenOf((await outbox()).at(-1)?.body ?? ''))).statusCode).toBe(204);
    expect((await signInRequest(t, user.email, NEW_PASSWORD)).statusCode).toBe(200);
  });
});
