import type { Insertable } from 'kysely';
import { expect } from 'vitest';
import type { TestApp } from '../../../test/harness.ts';
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from '../../platform/auth/token-secret.ts';
import type { AccountsTable, PlanRow, PlansTable, TokenRole } from '../../platform/db/schema.ts';
import type { LicenseDto } from './licenses.schemas.ts';

/**
 * Test setup for the licenses suites. Products go through the API; plans, accounts, tokens and machines are
 * inserted with Kysely (their APIs belong to other modules) — setup only, the behaviour under test goes through
 * the licenses API.
 */
export async function createProduct(t: TestApp, code: string): Promise<{ id: string; code: string }> {
  const res = await t.request({ method: 'POST', url: '/v1/products', payload: { code, name: `${code} product` } });
  expect(res.statusCode).toBe(201);
  return res.json();
}

export function insertPlan(
  t: TestApp,
  productId: string,
  values: Partial<Insertable<PlansTable>> = {},
): Promise<PlanRow> {
  const now = t.clock.now();
  return t.kw.database.db
    .insertInto('plans')
    .values({
      product_id: productId,
      name: `plan ${Math.random().toString(36).slice(2, 10)}`,
      license_type: 'subscription',
      duration_days: 365,
      maintenance_days: null,
      max_machines: null,
      heartbeat_interval_seconds: null,
      created_at: now,
      updated_at: now,
      ...values,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function insertAccount(t: TestApp, values: Partial<Insertable<AccountsTable>> = {}) {
  const now = t.clock.now();
  return t.kw.database.db
    .insertInto('accounts')
    .values({ name: 'Globex Corporation', crm_id: null, created_at: now, updated_at: now, ...values })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** An API token of the given role; returns its secret. */
export async function insertToken(t: TestApp, role: TokenRole, productId: string | null = null): Promise<string> {
  const secret = generateTokenSecret();
  await t.kw.database.db
    .insertInto('api_tokens')
    .values({
      name: `${role} test token`,
      role,
      product_id: productId,
      token_hash: hashTokenSecret(secret),
      token_prefix: tokenDisplayPrefix(secret),
      created_at: t.clock.now(),
      expires_at: null,
    })
    .execute();
  return secret;
}

export async function insertMachines(t: TestApp, licenseId: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    await t.kw.database.db
      .insertInto('machines')
      .values({ license_id: licenseId, fingerprint: `fp-${i}`, created_at: t.clock.now() })
      .execute();
  }
}

/** Issues a license through the API and expects 201. */
export async function issue(t: TestApp, payload: Record<string, unknown>, token?: string): Promise<LicenseDto> {
  const res = await t.request({ method: 'POST', url: '/v1/licenses', payload, ...(token ? { token } : {}) });
  expect(res.statusCode, res.body).toBe(201);
  return res.json();
}

/** POST /v1/licenses/:id/actions/<action>. */
export function act(t: TestApp, id: string, action: string, payload?: Record<string, unknown>, token?: string) {
  return t.request({
    method: 'POST',
    url: `/v1/licenses/${id}/actions/${action}`,
    ...(payload ? { payload } : {}),
    ...(token ? { token } : {}),
  });
}

/** The audit events of a license, oldest first. */
export function auditOf(t: TestApp, licenseId: string) {
  return t.kw.database.db
    .selectFrom('audit_events')
    .select(['action', 'before', 'after', 'actor_type', 'product_id', 'account_id', 'license_id'])
    .where('license_id', '=', licenseId)
    .orderBy('id')
    .execute();
}

/** A product with a 14-day trial plan (3 grace days), a yearly plan and a perpetual plan, and an account. */
export async function catalog(t: TestApp, code: string) {
  const product = await createProduct(t, code);
  const trial = await insertPlan(t, product.id, {
    name: 'Trial',
    license_type: 'trial',
    duration_days: 14,
    grace_days: 3,
    max_machines: 1,
    entitlements: ['CORE'],
  });
  const yearly = await insertPlan(t, product.id, {
    name: 'Yearly',
    license_type: 'subscription',
    duration_days: 365,
    maintenance_days: 365,
    max_machines: 5,
    grace_days: 7,
    entitlements: ['CORE', 'SSO'],
  });
  const perpetual = await insertPlan(t, product.id, {
    name: 'Perpetual',
    license_type: 'perpetual',
    duration_days: null,
    maintenance_days: 365,
    max_machines: null,
  });
  const account = await insertAccount(t, { name: `${code} Customer GmbH`, crm_id: `CRM-${code}` });
  return { product, trial, yearly, perpetual, account };
}

let keySeq = 0;

/** A license row inserted directly (bulk setup for status/sort suites); the API reads it like any other. */
export async function insertLicense(
  t: TestApp,
  plan: PlanRow,
  accountId: string,
  values: { starts_at: Date; ends_at: Date | null; suspended?: boolean; revoked?: boolean; created_at?: Date },
): Promise<string> {
  const now = t.clock.now();
  const row = await t.kw.database.db
    .insertInto('licenses')
    .values({
      key: `BULK-${String(++keySeq).padStart(6, '0')}-${Math.random().toString(36).slice(2, 8)}`,
      product_id: plan.product_id,
      plan_id: plan.id,
      account_id: accountId,
      license_type: plan.license_type,
      maintenance_ends_at: null,
      max_machines: null,
      created_at: now,
      updated_at: now,
      ...values,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface StatusCase {
  starts_at: Date;
  ends_at: Date | null;
  suspended: boolean;
  revoked: boolean;
}

/**
 * Licenses around every boundary of the status rules at `now`: start, end, grace end (for 0, 3 and 7 grace days),
 * the `expiring` window, ±1 ms of each, and the suspended/revoked flags.
 */
export function statusCases(now: Date, windowDays: number): StatusCase[] {
  const at = (ms: number) => new Date(now.getTime() + ms);
  const DAY = 86_400_000;
  const starts = [-100 * DAY, -1, 0, 1, 5 * DAY];
  const ends: (number | null)[] = [null, -1, 0, 1, -DAY, 365 * DAY, (windowDays + 1) * DAY];
  for (const days of [3, 7, windowDays]) {
    const sign = days === windowDays ? 1 : -1;
    ends.push(sign * days * DAY - 1, sign * days * DAY, sign * days * DAY + 1);
  }
  const cases: StatusCase[] = [];
  for (const s of starts) {
    for (const e of ends) {
      if (e !== null && e <= s) continue; // the table's CHECK: ends after start
      cases.push({ starts_at: at(s), ends_at: e === null ? null : at(e), suspended: false, revoked: false });
    }
  }
  for (const e of [null, -1, 1, -8 * DAY]) {
    for (const [suspended, revoked] of [
      [true, false],
      [false, true],
      [true, true],
    ] as const) {
      cases.push({ starts_at: at(-100 * DAY), ends_at: e === null ? null : at(e), suspended, revoked });
    }
  }
  cases.push({ starts_at: at(DAY), ends_at: at(2 * DAY), suspended: true, revoked: false });
  return cases;
}

/** Inserts many licenses in one statement (setup). */
export async function insertLicenses(t: TestApp, plan: PlanRow, accountId: string, cases: StatusCase[]) {
  const now = t.clock.now();
  if (cases.length === 0) return;
  await t.kw.database.db
    .insertInto('licenses')
    .values(
      cases.map((c) => ({
        key: `BULK-${String(++keySeq).padStart(6, '0')}-${Math.random().toString(36).slice(2, 8)}`,
        product_id: plan.product_id,
        plan_id: plan.id,
        account_id: accountId,
        license_type: plan.license_type,
        maintenance_ends_at: null,
        max_machines: null,
        created_at: now,
        updated_at: now,
        ...c,
      })),
    )
    .execute();
}
