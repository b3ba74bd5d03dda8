import argon2 from 'argon2';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { blockSecondsAfter, FREE_FAILURES, MAX_BLOCK_SECONDS } from './sign-in-throttle.ts';
import { createUser, PASSWORD, sessionCookieOf, signInRequest } from './test-session.ts';

/**
 * Brute force against the dashboard sign-in (issue: a per-user lockout answered 423 for known emails only and let
 * anyone keep the admin out). Failures are throttled per (email, client address), identically for known and unknown
 * emails, and no account is ever locked.
 */
describe(`sign-in throttling (${dbKind})`, () => {
  let t: TestApp;
  let ip = 0;
  const nextIp = () => `192.0.2.${++ip}`;
  beforeAll(async () => {
    t = await startTestApp({
      env: { KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP: '40', KEYWARD_SIGN_IN_RATE_LIMIT_PER_EMAIL: '3' },
    });
  });
  afterAll(async () => t.close());

  const attempt = (email: string, password: string, remoteAddress: string) =>
    signInRequest(t, email, password, { remoteAddress });
  /** Everything a client can observe but the request id and the date. */
  const observable = (res: LightMyRequestResponse) => {
    const { date: _d, 'x-request-id': _r, ...headers } = res.headers;
    const { requestId: _id, ...error } = res.json().error ?? {};
    return { status: res.statusCode, headers, error };
  };

  it('answers a known and an unknown email identically, failure after failure, 429 included', async () => {
    const user = await createUser(t, 'admin', { email: 'boss@example.com' });
    const [a, b] = [nextIp(), nextIp()];
    for (let i = 1; i <= FREE_FAILURES + 2; i++) {
      const known = await attempt(user.email, `wrong ${i}`, a);
      const unknown = await attempt('no.such.user@example.com', `wrong ${i}`, b);
      expect(observable(known)).toEqual(observable(unknown));
      expect(known.statusCode).toBe(i <= FREE_FAILURES ? 401 : 429);
      if (i > FREE_FAILURES) {
        expect(known.json().error.code).toBe('SIGN_IN_THROTTLED');
        expect(known.headers['retry-after']).toBe('60');
      } else {
        expect(known.json().error).toMatchObject({
          code: 'INVALID_CREDENTIALS',
          message: 'The email or password is wrong',
        });
      }
    }
  });

  it('spends the same password-hash work on an unknown email as on a known one', async () => {
    const user = await createUser(t, 'support');
    const verify = vi.spyOn(argon2, 'verify');
    try {
      await attempt(user.email, 'not the password', nextIp());
      await attempt('ghost@example.com', 'not the password', nextIp());
      const disabled = await createUser(t, 'support');
      await t.kw.database.db.updateTable('users').set({ disabled: true }).where('id', '=', disabled.id).execute();
      await attempt(disabled.email, PASSWORD, nextIp());
      expect(verify).toHaveBeenCalledTimes(3);
      // Against a hash of the same parameters (the cost of a check).
      const params = verify.mock.calls.map(([hash]) => /^\$argon2id\$v=19\$([^$]+)\$/.exec(hash)?.[1]);
      expect(new Set(params)).toEqual(new Set(['m=19456,p=1,t=2']));
    } finally {
      verify.mockRestore();
    }
  });

  it('never locks the user out: the right password from another address signs in while an attacker is blocked', async () => {
    const user = await createUser(t, 'admin');
    const attacker = nextIp();
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt(user.email, 'guess', attacker)).statusCode).toBe(401);
    // The attacker's address is refused for this email — even with the right password.
    const blocked = await attempt(user.email, PASSWORD, attacker);
    expect([blocked.statusCode, blocked.headers['retry-after']]).toEqual([429, '60']);
    expect(sessionCookieOf(blocked)).toBeUndefined();
    // The real user, anywhere else, signs in; the attacker's address stays blocked.
    const real = await attempt(user.email, PASSWORD, nextIp());
    expect(real.statusCode).toBe(200);
    expect(sessionCookieOf(real)?.value).toBeTruthy();
    expect((await attempt(user.email, 'guess', attacker)).statusCode).toBe(429);
    // The attacker's other targets are not affected by this block (only by the per-address rate limit).
    expect((await attempt('someone.else@example.com', 'guess', attacker)).statusCode).toBe(401);
  });

  it('blocks for a growing time (1 min, doubling per failure, at most 1 h) and forgets failures after 24 h', async () => {
    const user = await createUser(t, 'support');
    const from = nextIp();
    for (let i = 0; i < FREE_FAILURES; i++) await attempt(user.email, 'guess', from);
    const waits: number[] = [];
    for (let failures = FREE_FAILURES; failures < FREE_FAILURES + 8; failures++) {
      const refused = await attempt(user.email, 'guess', from);
      expect(refused.statusCode).toBe(429);
      const wait = Number(refused.headers['retry-after']);
      waits.push(wait);
      expect(wait).toBe(blockSecondsAfter(failures));
      t.clock.advanceSeconds(wait - 1);
      expect((await attempt(user.email, PASSWORD, from)).statusCode).toBe(429); // one second early
      t.clock.advanceSeconds(1);
      expect((await attempt(user.email, 'guess', from)).statusCode).toBe(401); // one more guess, then blocked again
    }
    expect(waits).toEqual([60, 120, 240, 480, 960, 1920, 3600, 3600]);
    expect(Math.max(...waits)).toBe(MAX_BLOCK_SECONDS);
    t.clock.advanceSeconds(24 * 3600);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await attempt(user.email, 'guess', from)).statusCode).toBe(401);
    expect((await attempt(user.email, PASSWORD, from)).statusCode).toBe(429);
  });

  it('forgets an address’s failures when the right password is given from it', async () => {
    const user = await createUser(t, 'read_only');
    const from = nextIp();
    for (let i = 0; i < FREE_FAILURES - 1; i++) await attempt(user.email, 'typo', from);
    expect((await attempt(user.email, PASSWORD, from)).statusCode).toBe(200);
    for (let i = 0; i < FREE_FAILURES - 1; i++) expect((await attempt(user.email, 'typo', from)).statusCode).toBe(401);
    expect((await attempt(user.email, PASSWORD, from)).statusCode).toBe(200);
  });

  it('counts parallel guesses exactly: 12 at once from one address get 5 answers 401 and 7 answers 429', async () => {
    const user = await createUser(t, 'account_manager');
    const from = nextIp();
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => attempt(user.email, `parallel ${i}`, from)));
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([...Array(FREE_FAILURES).fill(401), ...Array(12 - FREE_FAILURES).fill(429)]);
    const row = await t.kw.database.db
      .selectFrom('sign_in_throttle')
      .select('failures')
      .where('ip', '=', from)
      .execute();
    expect(row).toEqual([{ failures: FREE_FAILURES }]);
  });

  it('has no per-email limit a stranger could exhaust; the per-address limit still holds', async () => {
    const user = await createUser(t, 'admin');
    for (let i = 0; i < 12; i++) expect((await attempt(user.email, 'spray', nextIp())).statusCode).toBe(401);
    expect((await attempt(user.email, PASSWORD, nextIp())).statusCode).toBe(200);
    // One address trying many emails hits the per-IP rate limit (40 here) instead.
    const sprayer = nextIp();
    const statuses: number[] = [];
    for (let i = 0; i < 41; i++) statuses.push((await attempt(`spray${i}@example.com`, 'x', sprayer)).statusCode);
    expect(statuses.slice(0, 40).every((s) => s === 401)).toBe(true);
    const limited = await attempt('spray-last@example.com', 'x', sprayer);
    expect([limited.statusCode, limited.json().error.code]).toEqual([429, 'RATE_LIMITED']);
    expect(statuses[40]).toBe(429);
    // Reset mails keep their per-email limit (3 here): it caps mails to one inbox.
    const resets: number[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await t.kw.app.inject({
        method: 'POST',
        url: '/v1/auth/password-reset',
        payload: { email: user.email },
        remoteAddress: nextIp(),
      });
      resets.push(res.statusCode);
    }
    expect(resets).toEqual([202, 202, 202, 429]);
  });

  it('audits every failure and, once per block, user.sign_in_throttled (what a warning mail will be sent on)', async () => {
    const user = await createUser(t, 'support');
    const from = nextIp();
    for (let i = 0; i < FREE_FAILURES + 3; i++) await attempt(user.email, 'guess', from);
    const events = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'target_id', 'after'])
      .where('target_id', '=', user.id)
      .where('action', 'like', 'user.sign_in%')
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.action)).toEqual([
      ...Array(FREE_FAILURES).fill('user.sign_in_failed'),
      'user.sign_in_throttled',
    ]);
    expect(events.at(-1)?.after).toEqual({
      email: user.email,
      ip: from,
      failures: FREE_FAILURES,
      blockedUntil: new Date(t.clock.now().getTime() + 60_000).toISOString(),
    });
    const stored = await t.kw.database.db.selectFrom('sign_in_throttle').selectAll().where('ip', '=', from).execute();
    expect(JSON.stringify(stored)).not.toContain(user.email);
  });
});
