import { PASSWORD } from '../../src/modules/staff-auth/test-session.ts';
import { ADMIN_TOKEN } from '../harness.ts';
import { type Caller, type Fresh, uniq, type World } from './matrix-world.ts';

/*
 * How the authorization matrix (authorization-matrix.test.ts) calls each operation: the request of an operation is
 * valid enough to pass validation and reach the service's checks (real ids of product A's things, bodies that the
 * allowed callers' requests succeed with); an operation that uses up its target gets a fresh one per request.
 * Operations not listed here are called with the defaults (defaultParams, no query, no body).
 */
/** What a request needs beyond the defaults: path parameters, query, body — made per call when it uses up things. */
export interface Req {
  params?: Record<string, string>;
  query?: string;
  body?: unknown;
}
export type Build = (w: World, fresh: Fresh) => Req | Promise<Req>;
const lic = async (_w: World, f: Fresh): Promise<Req> => ({ params: { id: await f.license() } });
export const REQUESTS: Record<string, Build> = {
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
export function defaultParams(w: World, path: string): Record<string, string> {
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

export function credentials(w: World, caller: Caller): Record<string, string> {
  const bearer = (secret: string) => ({ authorization: `Bearer ${secret}` });
  switch (caller) {
    case 'anonymous':
      return {};
    case 'badToken':
      return bearer('kw_this_token_does_not_exist_0123456789');
    case 'adminToken':
      return bearer(ADMIN_TOKEN);
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
