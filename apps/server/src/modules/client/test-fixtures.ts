import type { Insertable } from 'kysely';
import type { TestApp } from '../../../test/harness.ts';
import { hashTokenSecret } from '../../platform/auth/token-secret.ts';
import { DAY_MS } from '../../platform/clock.ts';
import type { LicensesTable, PlansTable, TokenRole } from '../../platform/db/schema.ts';
import { generateLicenseKey } from '../licenses/license-key.ts';

/** Test data for the client API and machine tests. Products go through the API; the rest is inserted directly. */
let counter = 0;

export const NO_RATE_LIMIT = { rateLimit: { perIp: 1_000_000, perKey: 1_000_000, windowSeconds: 60 } };

export function uniqueCode(prefix = 'T'): string {
  counter += 1;
  const random = Math.random().toString(36).slice(2, 6).toUpperCase();
  return `${prefix}${counter}${random}`.slice(0, 12);
}

export async function createProduct(t: TestApp, code = uniqueCode()): Promise<{ id: string; code: string }> {
  const res = await t.request({ method: 'POST', url: '/v1/products', payload: { code, name: `Product ${code}` } });
  if (res.statusCode !== 201) throw new Error(`product fixture failed: ${res.body}`);
  return res.json();
}

export type PlanOptions = Partial<Omit<Insertable<PlansTable>, 'product_id' | 'created_at' | 'updated_at'>>;
export type LicenseOptions = Partial<
  Omit<Insertable<LicensesTable>, 'key' | 'product_id' | 'plan_id' | 'account_id' | 'created_at' | 'updated_at'>
>;

export interface Fixture {
  product: { id: string; code: string };
  planId: string;
  accountId: string;
  licenseId: string;
  key: string;
}

/**
 * A product, plan, account and license. Defaults: subscription plan, 3 seats, floating, no heartbeat, restrict;
 * license started a day before the test clock's now, ending in 30 days.
 */
export async function createLicense(
  t: TestApp,
  opts: { plan?: PlanOptions; license?: LicenseOptions; product?: { id: string; code: string } } = {},
): Promise<Fixture> {
  const { db } = t.kw.database;
  const now = t.clock.now();
  const product = opts.product ?? (await createProduct(t));
  const plan = await db
    .insertInto('plans')
    .values({
      product_id: product.id,
      name: `Plan ${uniqueCode('P')}`,
      license_type: 'subscription',
      duration_days: 365,
      max_machines: 3,
      heartbeat_interval_seconds: null,
      maintenance_days: null,
      ...opts.plan,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const account = await db
    .insertInto('accounts')
    .values({ name: `Account ${uniqueCode('A')}`, crm_id: null, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const key = generateLicenseKey(product.code);
  const license = await db
    .insertInto('licenses')
    .values({
      key,
      name: 'Test license',
      product_id: product.id,
      plan_id: plan.id,
      account_id: account.id,
      license_type: 'subscription',
      starts_at: new Date(now.getTime() - DAY_MS),
      ends_at: new Date(now.getTime() + 30 * DAY_MS),
      maintenance_ends_at: null,
      max_machines: null,
      ...opts.license,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { product, planId: plan.id, accountId: account.id, licenseId: license.id, key };
}

/** An API token inserted directly; returns its secret. */
export async function createToken(t: TestApp, role: TokenRole, productId: string | null = null): Promise<string> {
  const secret = `kw_test_${role}_${uniqueCode('K')}_0123456789abcdef`;
  await t.kw.database.db
    .insertInto('api_tokens')
    .values({
      name: `test ${role}`,
      role,
      product_id: productId,
      token_hash: hashTokenSecret(secret),
      token_prefix: secret.slice(0, 10),
      created_at: t.clock.now(),
      expires_at: null,
    })
    .execute();
  return secret;
}

/** A client API call (no bearer token), from `ip`. */
export function clientCall(t: TestApp, url: string, payload: unknown, ip = '203.0.113.7') {
  return t.request({ method: 'POST', url, payload: payload as object, token: null, remoteAddress: ip });
}

export const validate = (t: TestApp, payload: unknown, ip?: string) =>
  clientCall(t, '/v1/licenses/validate-key', payload, ip);
export const activate = (t: TestApp, payload: unknown, ip?: string) =>
  clientCall(t, '/v1/machines/activate', payload, ip);
export const heartbeat = (t: TestApp, payload: unknown, ip?: string) =>
  clientCall(t, '/v1/machines/heartbeat', payload, ip);
export const deactivate = (t: TestApp, payload: unknown, ip?: string) =>
  clientCall(t, '/v1/machines/deactivate', payload, ip);
