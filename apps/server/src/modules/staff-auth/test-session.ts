import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import type { UserRole } from '../../platform/db/schema.ts';

/** Test helpers for dashboard sessions: create a user, sign in, call the API with the cookie (+ CSRF header). */
export interface TestSession {
  cookie: string;
  csrf: string;
  userId: string;
}

export const PASSWORD = 'correct horse battery staple';

let seq = 0;

export async function createUser(
  t: TestApp,
  role: UserRole,
  opts: { email?: string; password?: string } = {},
): Promise<{ id: string; email: string }> {
  const email = opts.email ?? `${role.replace('_', '-')}-${++seq}@example.com`;
  const { user } = await t.kw.services.users.create(systemContext('test'), {
    email,
    name: `${role} ${seq}`,
    role,
    password: opts.password ?? PASSWORD,
  });
  return { id: user.id, email: user.email };
}

export function signInRequest(
  t: TestApp,
  email: string,
  password: string,
  extra: Partial<InjectOptions> = {},
): Promise<LightMyRequestResponse> {
  return t.kw.app.inject({ method: 'POST', url: '/v1/auth/sign-in', payload: { email, password }, ...extra });
}

export function sessionCookieOf(res: LightMyRequestResponse) {
  return res.cookies.find((c) => c.name === 'kw_session');
}

export async function signIn(t: TestApp, email: string, password = PASSWORD, remoteAddress?: string) {
  const res = await signInRequest(t, email, password, remoteAddress ? { remoteAddress } : {});
  expect(res.statusCode, res.body).toBe(200);
  const cookie = sessionCookieOf(res)?.value;
  expect(cookie).toBeTruthy();
  return { cookie: cookie as string, csrf: res.json().csrfToken as string, userId: res.json().user.id as string };
}

export async function signInAs(t: TestApp, role: UserRole): Promise<TestSession> {
  const user = await createUser(t, role);
  return signIn(t, user.email);
}

/** app.inject with the session cookie (no bearer); the CSRF header unless `csrf: null`. */
export function asUser(
  t: TestApp,
  session: Pick<TestSession, 'cookie'> & { csrf: string | null },
  opts: InjectOptions,
): Promise<LightMyRequestResponse> {
  return t.kw.app.inject({
    ...opts,
    headers: {
      ...opts.headers,
      cookie: `kw_session=${session.cookie}`,
      ...(session.csrf ? { 'x-csrf-token': session.csrf } : {}),
    },
  });
}
