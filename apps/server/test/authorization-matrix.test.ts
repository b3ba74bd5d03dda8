import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PASSWORD } from '../src/modules/staff-auth/test-session.ts';
import { dbKind, startTestApp, type TestApp } from './harness.ts';
import { fillPath, type OpenApiDoc, type Operation, operationsOf } from './openapi-sweep.ts';
import {
  buildWorld,
  CALLERS,
  type Caller,
  type Fresh,
  freshMaker,
  STAFF,
  uniq,
  type World,
} from './support/matrix-world.ts';

/*
 * Every operation of /openapi.json × every kind of caller, against ONE table of expected answers. An operation the
 * table does not classify fails the suite, so a new endpoint cannot ship without deciding who may call it.
 *
 * A secured operation's rule is "<staff> <product>" (+ " r" for a POST that only reads):
 *   staff:   who of the signed-in roles may call it — R all, T admin+account_manager+support, M admin+account_manager,
 *            A admin (support's body-dependent rights: the requests below send the +7 days / notes-only bodies);
 *   product: what product tokens get, on product A's things — S scoped (product A: allowed, product B: hidden, i.e.
 *            404/422 *_NOT_FOUND as if it did not exist), L list or create (both allowed, lists filtered), H shared
 *            customer record (both allowed), W account change (A allowed; B 403: the account holds A's licenses,
 *            ADR 0007), N never (403).
 * And for every secured operation, by rule: anonymous and a bad token 401 UNAUTHORIZED, the client token 403, the
 * read-only token allowed on reads and 403 on writes, the admin token allowed.
 * PUBLIC: allowed whatever credentials are sent (they are ignored). UNLEASH: the client token only (no or a bad
 * token 401, other tokens 403). SESSION: the signed-in roles only.
 */
const PUBLIC = 'public';
const UNLEASH = 'unleash';
const SESSION = 'session';
const TABLE: Record<string, string> = {
  'GET /healthz': PUBLIC,
  'GET /metrics': PUBLIC,
  'GET /v1/keys': PUBLIC,
  'GET /.well-known/keyward-keys.json': PUBLIC,
  'POST /v1/licenses/validate-key': PUBLIC,
  'POST /v1/machines/activate': PUBLIC,
  'POST /v1/machines/heartbeat': PUBLIC,
  'POST /v1/machines/deactivate': PUBLIC,
  'POST /v1/licenses/check-out': PUBLIC,
  'POST /v1/client/entitlements': PUBLIC,
  'POST /v1/client/usage': PUBLIC,
  'POST /v1/client/flags': PUBLIC,
  'GET /api/client/features': UNLEASH,
  'POST /api/client/register': UNLEASH,
  'POST /api/client/metrics': UNLEASH,
  'POST /v1/auth/sign-in': PUBLIC,
  'POST /v1/auth/sign-out': PUBLIC,
  'GET /v1/auth/session': SESSION,
  'POST /v1/auth/password-reset': PUBLIC,
  'POST /v1/auth/password-reset/confirm': PUBLIC,
  'GET /v1/products': 'R L',
  'POST /v1/products': 'A N',
  'GET /v1/products/{id}': 'R S',
  'PATCH /v1/products/{id}': 'A S',
  'DELETE /v1/products/{id}': 'A N',
  'GET /v1/plans': 'R L',
  'POST /v1/plans': 'A S',
  'GET /v1/plans/{id}': 'R S',
  'PATCH /v1/plans/{id}': 'A S',
  'DELETE /v1/plans/{id}': 'A S',
  'GET /v1/accounts': 'R H',
  'POST /v1/accounts': 'M H',
  'GET /v1/accounts/by-crm-id/{crmId}': 'R H',
  'PUT /v1/accounts/by-crm-id/{crmId}': 'M W',
  'GET /v1/accounts/{id}': 'R H',
  'PATCH /v1/accounts/{id}': 'T W',
  'DELETE /v1/accounts/{id}': 'A N',
  'GET /v1/tokens': 'A N',
  'POST /v1/tokens': 'A N',
  'GET /v1/tokens/{id}': 'A N',
  'DELETE /v1/tokens/{id}': 'A N',
  'GET /v1/audit-events': 'R L',
  'GET /v1/licenses/{id}/audit-events': 'R S',
  'GET /v1/accounts/{id}/audit-events': 'R H',
  'GET /v1/licenses': 'R L',
  'POST /v1/licenses': 'M S',
  'GET /v1/licenses/{id}': 'R S',
  'PATCH /v1/licenses/{id}': 'T S',
  'DELETE /v1/licenses/{id}': 'M S',
  'GET /v1/licenses/{id}/key': 'R S',
  'POST /v1/licenses/{id}/actions/renew': 'M S',
  'POST /v1/licenses/{id}/actions/extend': 'T S',
  'POST /v1/licenses/{id}/actions/set-expiry': 'M S',
  'POST /v1/licenses/{id}/actions/suspend': 'M S',
  'POST /v1/licenses/{id}/actions/reinstate': 'M S',
  'POST /v1/licenses/{id}/actions/revoke': 'M S',
  'POST /v1/licenses/{id}/actions/transfer': 'M S',
  'POST /v1/licenses/{id}/actions/reset-machines': 'M S',
  'POST /v1/licenses/{id}/actions/check-out': 'M S',
  'GET /v1/machines': 'R L',
  'GET /v1/machines/{id}': 'R S',
  'DELETE /v1/machines/{id}': 'M S',
  'GET /v1/licenses/{id}/machines': 'R S',
  'POST /v1/signing-keys/rotate': 'A N',
  'GET /v1/users': 'A N',
  'POST /v1/users': 'A N',
  'GET /v1/users/{id}': 'A N',
  'PATCH /v1/users/{id}': 'A N',
  'DELETE /v1/users/{id}': 'A N',
  'GET /v1/stats/overview': 'R L',
  'GET /v1/search': 'R L',
  'GET /v1/licenses/{id}/usage': 'R S',
  'POST /v1/licenses/{id}/usage/{propertyKey}': 'M S',
  'POST /v1/licenses/{id}/usage/{propertyKey}/reset': 'M S',
  'GET /v1/licenses/{id}/usage/{propertyKey}/history': 'R S',
  'GET /v1/properties': 'R L',
  'POST /v1/properties': 'A S',
  'GET /v1/properties/{id}': 'R S',
  'PATCH /v1/properties/{id}': 'A S',
  'DELETE /v1/properties/{id}': 'A S',
  'GET /v1/plans/{id}/properties': 'R S',
  'PUT /v1/plans/{id}/properties/{propertyId}': 'A S',
  'DELETE /v1/plans/{id}/properties/{propertyId}': 'A S',
  'GET /v1/overrides': 'R L',
  'POST /v1/overrides': 'T S',
  'GET /v1/overrides/{id}': 'R S',
  'PATCH /v1/overrides/{id}': 'T S',
  'DELETE /v1/overrides/{id}': 'T S',
  'GET /v1/licenses/{id}/entitlements': 'R S',
  'GET /v1/properties/{id}/explain': 'R S',
  'GET /v1/flags': 'R L',
  'POST /v1/flags': 'A S',
  'GET /v1/flags/{id}': 'R S',
  'PATCH /v1/flags/{id}': 'A S',
  'DELETE /v1/flags/{id}': 'A S',
  'GET /v1/flag-segments': 'R L',
  'POST /v1/flag-segments': 'A S',
  'GET /v1/flag-segments/{id}': 'R S',
  'PATCH /v1/flag-segments/{id}': 'A S',
  'DELETE /v1/flag-segments/{id}': 'A S',
  'GET /v1/flags/{id}/toggles': 'R S',
  'PUT /v1/flags/{id}/toggles/{scope}/{targetId}': 'T S',
  'DELETE /v1/flags/{id}/toggles/{scope}/{targetId}': 'T S',
  'GET /v1/licenses/{id}/flags': 'R S',
  'GET /v1/accounts/{id}/flags': 'R S',
  'POST /v1/flags/{id}/explain': 'R S r',
  'GET /v1/flags/{id}/metrics': 'R S',
  'GET /v1/flag-clients': 'R L',
};

type Outcome = 'allowed' | 401 | 403 | 'hidden';
const STAFF_RULES: Record<string, readonly Caller[]> = {
  R: STAFF,
  T: ['admin', 'account_manager', 'support'],
  M: ['admin', 'account_manager'],
  A: ['admin'],
};
const OTHER_TOKENS: readonly Caller[] = ['readOnly', 'otherProduct', 'product', 'adminToken'];
const PRODUCT_B: Record<string, Outcome> = { S: 'hidden', L: 'allowed', H: 'allowed', W: 403, N: 403 };

function expected(op: Operation, caller: Caller): Outcome {
  const rule = TABLE[`${op.method} ${op.path}`] as string;
  if (rule === PUBLIC) return 'allowed';
  if (rule === UNLEASH) return caller === 'client' ? 'allowed' : OTHER_TOKENS.includes(caller) ? 403 : 401;
  if (rule === SESSION) return STAFF.includes(caller) ? 'allowed' : 401;
  const [staff = '', product = '', readsOnly] = rule.split(' ');
  switch (caller) {
    case 'anonymous':
    case 'badToken':
      return 401;
    case 'client':
      return 403;
    case 'adminToken':
      return 'allowed';
    case 'readOnly':
      return op.method === 'GET' || readsOnly === 'r' ? 'allowed' : 403;
    case 'product':
      return product === 'N' ? 403 : 'allowed';
    case 'otherProduct':
      return PRODUCT_B[product] ?? 403;
    default:
      return STAFF_RULES[staff]?.includes(caller) ? 'allowed' : 403;
  }
}

/** What a request needs beyond the defaults: path parameters, query, body — made per call when it uses up things. */
interface Req {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
}
type Build = (w: World, fresh: Fresh) => Req | Promise<Req>;
const lic = async (_w: World, f: Fresh): Promise<Req> => ({ params: { id: await f.license() } });
const REQUESTS: Record<string, Build> = {
  'POST /v1/licenses/validate-key': (w) => ({ body: { key: w.a.key } }),
  'POST /v1/machines/activate': (w) => ({ body: { key: w.a.key, fingerprint: `fp-${uniq()}` } }),
  'POST /v1/machines/heartbeat': (w) => ({ body: { key: w.a.key, fingerprint: w.machine.fingerprint } }),
  'POST /v1/machines/deactivate': async (w, f) => ({
    body: { key: w.a.key, fingerprint: (await f.machine()).fingerprint },
  }),
  'POST /v1/licenses/check-out': (w) => ({ body: { key: w.a.key } }),
  'POST /v1/client/entitlements': (w) => ({ body: { key: w.a.key } }),
  'POST /v1/client/usage': (w) => ({ body: { key: w.a.key, property: w.property.key } }),
  'POST /v1/client/flags': (w) => ({ body: { key: w.a.key } }),
  'POST /api/client/register': () => ({
    body: {
      appName: 'matrix',
      instanceId: uniq(),
      sdkVersion: 'unleash-client-node:6.0.0',
      strategies: [],
      interval: 15000,
    },
  }),
  'POST /api/client/metrics': () => ({
    body: {
      appName: 'matrix',
      instanceId: uniq(),
      bucket: { start: '2026-01-01T00:00:00.000Z', stop: '2026-01-01T00:01:00.000Z', toggles: {} },
    },
  }),
  'POST /v1/auth/sign-in': (w) => ({ body: { email: w.signInEmail, password: PASSWORD } }),
  'POST /v1/auth/password-reset': () => ({ body: { email: `nobody-${uniq()}@example.com` } }),
  'POST /v1/auth/password-reset/confirm': async (_w, f) => ({
    body: { token: await f.resetToken(), password: 'matrix password 123' },
  }),
  'POST /v1/products': () => ({ body: { code: `P${uniq()}`.slice(0, 12), name: 'Matrix product' } }),
  'PATCH /v1/products/{id}': () => ({ body: { name: 'Matrix MXA' } }),
  'DELETE /v1/products/{id}': async (_w, f) => ({ params: { id: await f.product() } }),
  'POST /v1/plans': (w) => ({ body: { productId: w.a.productId, name: `Plan ${uniq()}`, licenseType: 'perpetual' } }),
  'PATCH /v1/plans/{id}': () => ({ body: { graceDays: 3 } }),
  'DELETE /v1/plans/{id}': async (_w, f) => ({ params: { id: await f.plan() } }),
  'POST /v1/accounts': () => ({ body: { name: `Customer ${uniq()}` } }),
  'PUT /v1/accounts/by-crm-id/{crmId}': () => ({ body: { name: `Customer of MXA ${uniq()}` } }),
  'PATCH /v1/accounts/{id}': () => ({ body: { notes: `note ${uniq()}` } }),
  'DELETE /v1/accounts/{id}': async (_w, f) => ({ params: { id: await f.account() } }),
  'POST /v1/tokens': () => ({ body: { name: `t ${uniq()}`, role: 'read-only' } }),
  'DELETE /v1/tokens/{id}': async (_w, f) => ({ params: { id: await f.token() } }),
  'POST /v1/licenses': (w) => ({ body: { planId: w.a.planId, accountId: w.a.accountId } }),
  'PATCH /v1/licenses/{id}': () => ({ body: { notes: `note ${uniq()}` } }),
  'DELETE /v1/licenses/{id}': lic,
  'POST /v1/licenses/{id}/actions/extend': () => ({ body: { days: 7 } }),
  'POST /v1/licenses/{id}/actions/set-expiry': () => ({ body: { endsAt: '2099-01-01T00:00:00.000Z' } }),
  'POST /v1/licenses/{id}/actions/suspend': lic,
  'POST /v1/licenses/{id}/actions/reinstate': async (_w, f) => ({ params: { id: await f.suspendedLicense() } }),
  'POST /v1/licenses/{id}/actions/revoke': lic,
  'POST /v1/licenses/{id}/actions/reset-machines': lic,
  'POST /v1/licenses/{id}/actions/transfer': async (_w, f) => ({
    params: { id: await f.license() },
    body: { accountId: await f.account() },
  }),
  'POST /v1/licenses/{id}/actions/check-out': () => ({ body: {} }),
  'DELETE /v1/machines/{id}': async (_w, f) => ({ params: { id: (await f.machine()).id } }),
  'POST /v1/users': () => ({
    body: { email: `new-${uniq().toLowerCase()}@example.com`, name: 'New', role: 'support' },
  }),
  'PATCH /v1/users/{id}': () => ({ body: { name: `Renamed ${uniq()}` } }),
  'DELETE /v1/users/{id}': async (_w, f) => ({ params: { id: await f.user() } }),
  'GET /v1/search': () => ({ query: 'q=MXA' }),
  'POST /v1/licenses/{id}/usage/{propertyKey}': () => ({ body: { amount: 1 } }),
  'POST /v1/properties': (w) => ({
    body: { productId: w.a.productId, key: `p_${uniq().toLowerCase()}`, name: 'Matrix', type: 'boolean' },
  }),
  'PATCH /v1/properties/{id}': () => ({ body: { name: 'API calls' } }),
  'DELETE /v1/properties/{id}': async (_w, f) => ({ params: { id: await f.property() } }),
  'PUT /v1/plans/{id}/properties/{propertyId}': () => ({ body: { value: 1_000_000 } }),
  'DELETE /v1/plans/{id}/properties/{propertyId}': async (w, f) => {
    const propertyId = await f.property();
    await w.api('PUT', `/v1/plans/${w.a.planId}/properties/${propertyId}`, { value: true });
    return { params: { propertyId } };
  },
  'POST /v1/overrides': async (w, f) => ({
    body: { propertyId: w.property.id, licenseId: await f.license(), value: 7, reason: 'matrix' },
  }),
  'PATCH /v1/overrides/{id}': () => ({ body: { reason: `matrix ${uniq()}` } }),
  'DELETE /v1/overrides/{id}': async (_w, f) => ({ params: { id: await f.override(await f.license()) } }),
  'GET /v1/properties/{id}/explain': (w) => ({ query: `licenseId=${w.a.licenseId}` }),
  'POST /v1/flags': (w) => ({ body: { productId: w.a.productId, key: `f-${uniq().toLowerCase()}` } }),
  'PATCH /v1/flags/{id}': () => ({ body: { description: `matrix ${uniq()}` } }),
  'DELETE /v1/flags/{id}': async (_w, f) => ({ params: { id: await f.flag() } }),
  'POST /v1/flag-segments': (w) => ({ body: { productId: w.a.productId, name: `Seg ${uniq()}`, constraints: [] } }),
  'PATCH /v1/flag-segments/{id}': () => ({ body: { description: `matrix ${uniq()}` } }),
  'DELETE /v1/flag-segments/{id}': async (_w, f) => ({ params: { id: await f.segment() } }),
  'PUT /v1/flags/{id}/toggles/{scope}/{targetId}': () => ({ body: { enabled: true } }),
  'DELETE /v1/flags/{id}/toggles/{scope}/{targetId}': async (w, f) => {
    const targetId = await f.license();
    await w.api('PUT', `/v1/flags/${w.flagId}/toggles/license/${targetId}`, { enabled: false });
    return { params: { scope: 'license', targetId } };
  },
  'GET /v1/accounts/{id}/flags': (w) => ({ query: `productId=${w.a.productId}` }),
  'POST /v1/flags/{id}/explain': (w) => ({ body: { licenseId: w.a.licenseId } }),
};

/** Path parameters by name and by the resource the path is under: product A's things. */
function defaultParams(w: World, path: string): Record<string, string> {
  const resource = /^\/v1\/([a-z-]+)/.exec(path)?.[1] ?? '';
  const ids: Record<string, string> = {
    products: w.a.productId,
    plans: w.a.planId,
    accounts: w.a.accountId,
    licenses: w.a.licenseId,
    machines: w.machine.id,
    tokens: w.tokenId,
    users: w.userId,
    properties: w.property.id,
    overrides: w.overrideId,
    flags: w.flagId,
    'flag-segments': w.segmentId,
  };
  return {
    id: ids[resource] ?? '',
    crmId: w.a.crmId,
    propertyKey: w.property.key,
    propertyId: w.property.id,
    scope: 'account',
    targetId: w.a.accountId,
  };
}

function credentials(w: World, caller: Caller): Record<string, string> {
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  switch (caller) {
    case 'anonymous':
      return {};
    case 'badToken':
      return bearer('kw_this_token_does_not_exist_0123456789');
    case 'adminToken':
      return bearer('kw_test_admin_token_0123456789abcdefghij');
    case 'client':
    case 'readOnly':
    case 'otherProduct':
    case 'product':
      return bearer(w.tokens[caller]);
    default: {
      const session = w.sessions[caller];
      return { cookie: `kw_session=${session.cookie}`, 'x-csrf-token': session.csrf };
    }
  }
}

function outcomeOf(res: LightMyRequestResponse): { outcome: Outcome | number; code?: string } {
  const code: string | undefined = res.statusCode >= 400 ? res.json().error?.code : undefined;
  if (res.statusCode >= 200 && res.statusCode < 300) return { outcome: 'allowed' };
  if ((res.statusCode === 404 || res.statusCode === 422) && code?.endsWith('_NOT_FOUND'))
    return { outcome: 'hidden', code };
  return { outcome: res.statusCode, ...(code ? { code } : {}) };
}
const DENIAL_CODES: Partial<Record<Outcome, RegExp>> = {
  401: /^UNAUTHORIZED$/,
  403: /^FORBIDDEN$/,
  hidden: /_NOT_FOUND$/,
};

describe(`authorization matrix: every operation × every caller (${dbKind})`, () => {
  let t: TestApp;
  let w: World;
  let operations: Operation[];
  beforeAll(async () => {
    t = await startTestApp({
      env: { KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP: '100000', KEYWARD_SIGN_IN_RATE_LIMIT_PER_EMAIL: '100000' },
    });
    await t.kw.app.ready();
    const doc = (await t.kw.app.inject({ method: 'GET', url: '/openapi.json' })).json() as OpenApiDoc;
    operations = operationsOf(doc);
    w = await buildWorld(t);
  });
  afterAll(async () => t?.close());

  it('classifies every operation of /openapi.json, and nothing else', () => {
    const served = operations.map((o) => `${o.method} ${o.path}`);
    expect(served.filter((op) => !(op in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((op) => !served.includes(op))).toEqual([]);
    expect(Object.keys(REQUESTS).filter((op) => !served.includes(op))).toEqual([]);
    expect(served.length).toBeGreaterThanOrEqual(100);
  });

  it('answers every caller as the table says, with the stable code of each denial', async () => {
    const fresh = freshMaker(w);
    // Signing out ends the caller's session: last.
    const ordered = [...operations].sort(
      (x, y) => Number(x.path === '/v1/auth/sign-out') - Number(y.path === '/v1/auth/sign-out'),
    );
    const wrong: string[] = [];
    let cells = 0;
    for (const op of ordered) {
      const key = `${op.method} ${op.path}`;
      for (const caller of CALLERS) {
        const req = await (REQUESTS[key]?.(w, fresh) ?? {});
        const url = fillPath(op.path, { ...defaultParams(w, op.path), ...req.params });
        const res = await t.kw.app.inject({
          method: op.method,
          url: req.query ? `${url}?${req.query}` : url,
          headers: credentials(w, caller),
          ...(req.body !== undefined ? { payload: req.body as InjectOptions['payload'] } : {}),
        } as InjectOptions);
        const want = expected(op, caller);
        const got = outcomeOf(res);
        const codeOk = want === 'allowed' || DENIAL_CODES[want]?.test(got.code ?? '') !== false;
        if (got.outcome !== want || !codeOk) {
          wrong.push(`${key} as ${caller}: expected ${want}, got ${res.statusCode} ${res.body.slice(0, 160)}`);
        }
        cells++;
      }
    }
    expect(wrong).toEqual([]);
    expect(cells).toBe(operations.length * CALLERS.length);
  });
});
