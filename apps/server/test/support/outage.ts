import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { createLicense, createToken, type Fixture } from '../../src/modules/client/test-fixtures.ts';
import { ACTIVE_KID_TTL_MS } from '../../src/modules/signing/key-store.ts';
import { signInAs, type TestSession } from '../../src/modules/staff-auth/test-session.ts';
import type { TestApp } from '../harness.ts';
import { type PublicKeys, verifyResponseSignature } from './spec-verifier.ts';

/**
 * What every request must look like while the database cannot be reached (issue 10, finding 9), shared by the test
 * that stops a real PostgreSQL server and the one that closes the database under the app (PGlite and PostgreSQL):
 * 503 DATABASE_UNAVAILABLE with Retry-After in the one error shape, nothing internal, and signed where the route
 * signs — also after the signing key's cache expired.
 */

export interface OutageFixtures {
  license: Fixture;
  session: TestSession;
  clientToken: string;
  keys: PublicKeys;
}

/** Data for the sweep, made while the database is up. */
export async function outageFixtures(t: TestApp): Promise<OutageFixtures> {
  const license = await createLicense(t);
  const session = await signInAs(t, 'support');
  const clientToken = await createToken(t, 'client', license.product.id);
  const keysRes = await t.request({ method: 'GET', url: '/v1/keys', token: null });
  expect(keysRes.statusCode).toBe(200);
  const keys: PublicKeys = Object.fromEntries(
    (keysRes.json().keys as { kid: string; publicKey: string }[]).map((k) => [k.kid, k.publicKey]),
  );
  return { license, session, clientToken, keys };
}

interface SweepRequest {
  name: string;
  options: InjectOptions;
  /** With the harness's admin bearer token. */
  admin?: boolean;
  /** The route signs its responses: the nonce sent. */
  signedNonce?: string;
}

function sweepRequests(f: OutageFixtures): SweepRequest[] {
  const key = f.license.key;
  const client = (url: string, payload: object, nonce: string): SweepRequest => ({
    name: `client ${url}`,
    options: { method: 'POST', url, payload: { ...payload, nonce }, remoteAddress: '203.0.113.9' },
    signedNonce: nonce,
  });
  const cookie = { cookie: `kw_session=${f.session.cookie}`, 'x-csrf-token': f.session.csrf };
  return [
    { name: 'admin list', admin: true, options: { method: 'GET', url: '/v1/products' } },
    { name: 'admin read', admin: true, options: { method: 'GET', url: `/v1/licenses/${f.license.licenseId}` } },
    {
      name: 'admin write',
      admin: true,
      options: { method: 'POST', url: '/v1/products', payload: { code: 'OUTAGE', name: 'Outage' } },
    },
    {
      name: 'admin action',
      admin: true,
      options: { method: 'POST', url: `/v1/licenses/${f.license.licenseId}/actions/extend`, payload: { days: 7 } },
    },
    { name: 'admin audit', admin: true, options: { method: 'GET', url: '/v1/audit-events' } },
    { name: 'dashboard session read', options: { method: 'GET', url: '/v1/licenses', headers: cookie } },
    { name: 'dashboard session', options: { method: 'GET', url: '/v1/auth/session', headers: cookie } },
    {
      name: 'dashboard sign-in',
      options: {
        method: 'POST',
        url: '/v1/auth/sign-in',
        payload: { email: 'someone@example.com', password: 'a password of some length' },
      },
    },
    client('/v1/licenses/validate-key', { key }, 'outage-validate'),
    client('/v1/machines/activate', { key, fingerprint: 'outage-machine' }, 'outage-activate'),
    client('/v1/licenses/check-out', { key }, 'outage-check-out'),
    client('/v1/client/entitlements', { key }, 'outage-entitlements'),
    client('/v1/client/usage', { key, property: 'api_calls' }, 'outage-usage'),
    { name: 'public keys', options: { method: 'GET', url: '/v1/keys' } },
    {
      name: 'unleash features',
      options: { method: 'GET', url: '/api/client/features', headers: { authorization: f.clientToken } },
    },
  ];
}

/** Anything that would tell an outsider what is behind the server. */
const INTERNALS = /ECONN|127\.0\.0\.1|localhost|postgres|pglite|5432|driver|pool|connect |terminat|stack|\bat \//i;

function expectUnavailable(name: string, res: LightMyRequestResponse): void {
  expect(res.statusCode, `${name}: ${res.body}`).toBe(503);
  expect(res.headers['retry-after'], name).toBe('5');
  const body = res.json();
  expect(Object.keys(body), name).toEqual(['error']);
  expect(body.error, name).toEqual({
    code: 'DATABASE_UNAVAILABLE',
    message: 'The database cannot be reached right now; retry in a few seconds',
    requestId: expect.any(String),
  });
  expect(res.body, name).not.toMatch(INTERNALS);
}

/**
 * Every kind of request while the database is away: each 503 DATABASE_UNAVAILABLE; the client API's answers
 * signed — with the key in hand, and again after the active-key cache expired. /healthz says 503 too.
 */
export async function expectEverythingUnavailable(t: TestApp, f: OutageFixtures): Promise<void> {
  for (const pass of ['cached key', 'key cache expired'] as const) {
    if (pass === 'key cache expired') t.clock.advanceSeconds(ACTIVE_KID_TTL_MS / 1000 + 1);
    for (const r of sweepRequests(f)) {
      const res = await t.request({ ...r.options, ...(r.admin ? {} : { token: null }) });
      const name = `${r.name} (${pass})`;
      expectUnavailable(name, res);
      if (r.signedNonce !== undefined) {
        const header = res.headers['keyward-signature'];
        expect(typeof header, `${name} is signed`).toBe('string');
        const path = String(r.options.url);
        verifyResponseSignature(String(header), f.keys, { method: 'POST', path, nonce: r.signedNonce }, res.body);
      }
    }
  }
  const health = await t.request({ method: 'GET', url: '/healthz', token: null });
  expect(health.statusCode).toBe(503);
  expect(health.headers['retry-after']).toBe('5');
  expect(health.json()).toEqual({ status: 'unavailable', database: t.kw.database.kind });
}
