import type { InjectOptions } from 'fastify';
import { createUser, PASSWORD, signIn, type TestSession } from '../../src/modules/staff-auth/test-session.ts';
import type { UserRole } from '../../src/platform/db/schema.ts';
import type { TestApp } from '../harness.ts';

/**
 * The data the authorization matrix (authorization-matrix.test.ts) calls every operation on: a product A with one of
 * everything (plan, account, license, machine, metered property, override, flag, segment, toggle), a product B with
 * a plan, an account and a license, a token of each kind and a signed-in user of each role. Built through the admin
 * API with the bootstrap admin token, like a user would. `fresh` makes a new thing of a kind for an operation that
 * uses its target up (delete, revoke, deactivate, …).
 */

export const CALLERS = [
  'anonymous',
  'badToken',
  'client',
  'readOnly',
  'otherProduct',
  'product',
  'adminToken',
  'admin',
  'account_manager',
  'support',
  'read_only',
] as const;
export type Caller = (typeof CALLERS)[number];
export const STAFF: readonly Caller[] = ['admin', 'account_manager', 'support', 'read_only'];

let seq = 0;
/** A unique suffix (codes, names, emails, fingerprints). */
export const uniq = () => `${Date.now().toString(36)}${(++seq).toString(36)}`.toUpperCase();

/** The JSON answers setup reads (loosely: each answer has only some of these). */
export interface SetupBody {
  id: string;
  key: string;
  secret: string;
  token: { id: string };
  data: Array<{ id: string }>;
}

export interface World {
  t: TestApp;
  a: { productId: string; planId: string; accountId: string; crmId: string; licenseId: string; key: string };
  b: { productId: string; planId: string; accountId: string; licenseId: string };
  machine: { id: string; fingerprint: string };
  property: { id: string; key: string };
  overrideId: string;
  flagId: string;
  segmentId: string;
  userId: string;
  tokenId: string;
  signInEmail: string;
  tokens: Record<'client' | 'readOnly' | 'otherProduct' | 'product', string>;
  sessions: Record<UserRole, TestSession>;
  /** The admin API as the bootstrap admin token: the JSON body of a 2xx answer, or a thrown error. */
  api(method: InjectOptions['method'], url: string, payload?: object): Promise<SetupBody>;
}

export async function buildWorld(t: TestApp): Promise<World> {
  const api: World['api'] = async (method, url, payload) => {
    const res = await t.request({ method, url, ...(payload ? { payload } : {}) });
    if (res.statusCode >= 300) throw new Error(`setup ${method} ${url} → ${res.statusCode} ${res.body}`);
    return (res.body ? res.json() : {}) as SetupBody;
  };
  const catalog = async (code: string) => {
    const productId = (await api('POST', '/v1/products', { code, name: `Matrix ${code}` })).id;
    const planId = (
      await api('POST', '/v1/plans', { productId, name: 'Yearly', licenseType: 'subscription', durationDays: 365 })
    ).id;
    const crmId = `CRM-${code}`;
    const accountId = (await api('POST', '/v1/accounts', { name: `Customer of ${code}`, crmId })).id;
    const license = await api('POST', '/v1/licenses', { planId, accountId });
    return { productId, planId, accountId, crmId, licenseId: license.id, key: license.key };
  };
  const a = await catalog('MXA');
  const b = await catalog('MXB');
  const token = async (role: string, productId?: string) =>
    (await api('POST', '/v1/tokens', { name: `matrix ${role}`, role, ...(productId ? { productId } : {}) })).secret;
  const tokens = {
    client: await token('client', a.productId),
    readOnly: await token('read-only'),
    otherProduct: await token('product', b.productId),
    product: await token('product', a.productId),
  };
  const fingerprint = `fp-${uniq()}`;
  const activated = await t.request({
    method: 'POST',
    url: '/v1/machines/activate',
    token: null,
    payload: { key: a.key, fingerprint },
  });
  if (activated.statusCode >= 300) throw new Error(`setup activate → ${activated.body}`);
  const property = await api('POST', '/v1/properties', {
    productId: a.productId,
    key: 'api_calls',
    name: 'API calls',
    type: 'number',
    metered: true,
  });
  await api('PUT', `/v1/plans/${a.planId}/properties/${property.id}`, { value: 1_000_000 });
  const override = await api('POST', '/v1/overrides', {
    propertyId: property.id,
    accountId: a.accountId,
    value: 2_000_000,
    reason: 'matrix',
  });
  const flag = await api('POST', '/v1/flags', { productId: a.productId, key: 'matrix-flag', enabled: true });
  const segment = await api('POST', '/v1/flag-segments', { productId: a.productId, name: 'Matrix', constraints: [] });
  await api('PUT', `/v1/flags/${flag.id}/toggles/account/${a.accountId}`, { enabled: true });
  const target = await createUser(t, 'support');
  const signInUser = await createUser(t, 'read_only');
  const sessions = {} as Record<UserRole, TestSession>;
  for (const role of ['admin', 'account_manager', 'support', 'read_only'] as const) {
    sessions[role] = await signIn(t, (await createUser(t, role)).email, PASSWORD);
  }
  const tokenId = (await api('GET', '/v1/tokens?limit=1')).data[0]?.id ?? '';
  return {
    t,
    a,
    b,
    machine: { id: activated.json().machine?.id ?? activated.json().id, fingerprint },
    property: { id: property.id, key: property.key },
    overrideId: override.id,
    flagId: flag.id,
    segmentId: segment.id,
    userId: target.id,
    tokenId,
    signInEmail: signInUser.email,
    tokens,
    sessions,
    api,
  };
}

/** New things of a kind (of product A unless said otherwise), for operations that use up their target. */
export function freshMaker(w: World) {
  const { api } = w;
  return {
    product: async () => (await api('POST', '/v1/products', { code: `F${uniq()}`.slice(0, 12), name: 'Fresh' })).id,
    plan: async () =>
      (await api('POST', '/v1/plans', { productId: w.a.productId, name: `Fresh ${uniq()}`, licenseType: 'perpetual' }))
        .id,
    account: async () => (await api('POST', '/v1/accounts', { name: `Fresh ${uniq()}` })).id,
    license: async () => (await api('POST', '/v1/licenses', { planId: w.a.planId, accountId: w.a.accountId })).id,
    suspendedLicense: async () => {
      const id = (await api('POST', '/v1/licenses', { planId: w.a.planId, accountId: w.a.accountId })).id;
      await api('POST', `/v1/licenses/${id}/actions/suspend`);
      return id;
    },
    machine: async () => {
      const fingerprint = `fp-${uniq()}`;
      const res = await w.t.request({
        method: 'POST',
        url: '/v1/machines/activate',
        token: null,
        payload: { key: w.a.key, fingerprint },
      });
      if (res.statusCode >= 300) throw new Error(`fresh machine → ${res.body}`);
      return { id: (res.json().machine?.id ?? res.json().id) as string, fingerprint };
    },
    token: async () => (await api('POST', '/v1/tokens', { name: `fresh ${uniq()}`, role: 'read-only' })).token.id,
    user: async () => (await createUser(w.t, 'support')).id,
    property: async () =>
      (
        await api('POST', '/v1/properties', {
          productId: w.a.productId,
          key: `fresh_${uniq().toLowerCase()}`,
          name: 'Fresh',
          type: 'boolean',
        })
      ).id,
    override: async (licenseId: string) =>
      (await api('POST', '/v1/overrides', { propertyId: w.property.id, licenseId, value: 5, reason: 'fresh' })).id,
    flag: async () =>
      (await api('POST', '/v1/flags', { productId: w.a.productId, key: `fresh-${uniq().toLowerCase()}` })).id,
    segment: async () =>
      (await api('POST', '/v1/flag-segments', { productId: w.a.productId, name: `Fresh ${uniq()}`, constraints: [] }))
        .id,
    /** A one-time password link of a new user (its token), as the invitation mail carries it. */
    resetToken: async () => {
      const email = `invited-${uniq().toLowerCase()}@example.com`;
      await api('POST', '/v1/users', { email, name: 'Invited', role: 'support' });
      const mail = await w.t.kw.database.db
        .selectFrom('outbox_mail')
        .select('body')
        .where('to', '=', email)
        .executeTakeFirstOrThrow();
      const token = /token=([A-Za-z0-9_-]{43})/.exec(mail.body)?.[1];
      if (!token) throw new Error(`no link in ${mail.body}`);
      return token;
    },
  };
}
export type Fresh = ReturnType<typeof freshMaker>;
