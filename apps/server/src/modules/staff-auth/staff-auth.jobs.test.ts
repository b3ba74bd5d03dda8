import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { SESSION_TTL_SECONDS } from '../../platform/auth/session-cookie.ts';
import { asUser, createUser, signIn, signInRequest } from './test-session.ts';

describe(`sessions.cleanup job (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t.close();
  });

  const count = async (table: 'sessions' | 'password_resets' | 'sign_in_throttle') =>
    Number(
      (
        await t.kw.database.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  it('deletes expired sessions, password links and forgotten sign-in failures; keeps live ones working', async () => {
    const old = await createUser(t, 'support');
    await signIn(t, old.email);
    expect((await signInRequest(t, old.email, 'a wrong password')).statusCode).toBe(401);
    expect(await count('sign_in_throttle')).toBe(1);
    const reset = await t.kw.app.inject({
      method: 'POST',
      url: '/v1/auth/password-reset',
      payload: { email: old.email },
    });
    expect(reset.statusCode).toBe(202);
    expect(await count('sessions')).toBe(1);
    expect(await count('password_resets')).toBe(1);

    t.clock.advanceSeconds(SESSION_TTL_SECONDS + 60); // the first session and the link have expired
    const fresh = await createUser(t, 'read_only');
    const live = await signIn(t, fresh.email);

    const outcome = await t.kw.jobs.runNow('sessions.cleanup');
    expect(outcome).toEqual({
      job: 'sessions.cleanup',
      status: 'succeeded',
      result: { sessions: 1, passwordLinks: 1, signInThrottles: 0 },
    });
    expect(await count('sign_in_throttle')).toBe(1); // failures are remembered for 24 hours
    expect(await count('sessions')).toBe(1);
    expect(await count('password_resets')).toBe(0);
    const me = await asUser(t, { ...live, csrf: null }, { method: 'GET', url: '/v1/auth/session' });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(fresh.email);

    t.clock.advanceSeconds(1);
    expect(await t.kw.jobs.runNow('sessions.cleanup')).toMatchObject({ result: { sessions: 0, passwordLinks: 0 } });
    t.clock.advanceSeconds(12 * 3600);
    expect(await t.kw.jobs.runNow('sessions.cleanup')).toMatchObject({ result: { signInThrottles: 1 } });
    expect(await count('sign_in_throttle')).toBe(0);
  });
});
