import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from './harness.ts';
import { fillPath, type OpenApiDoc, type Operation, operationsOf } from './openapi-sweep.ts';
import { credentials, defaultParams, REQUESTS, type Req } from './support/matrix-requests.ts';
import { buildWorld, CALLERS, type Caller, freshMaker, STAFF, type World } from './support/matrix-world.ts';

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
      // A denied request changed nothing: the next caller reuses it (and what it made fresh).
      let spare: Req | null = null;
      for (const caller of CALLERS) {
        const req: Req = spare ?? (await (REQUESTS[key]?.(w, fresh) ?? {}));
        const url = fillPath(op.path, { ...defaultParams(w, op.path), ...req.params });
        const res = await t.kw.app.inject({
          method: op.method,
          url: req.query ? `${url}?${req.query}` : url,
          headers: credentials(w, caller),
          ...(req.body !== undefined ? { payload: req.body as InjectOptions['payload'] } : {}),
        } as InjectOptions);
        const want = expected(op, caller);
        const got = outcomeOf(res);
        spare = got.outcome === 'allowed' ? null : req;
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
