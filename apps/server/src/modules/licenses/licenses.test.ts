import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { generateLicenseKey } from './license-key.ts';
import { findLicenseByKey } from './licenses.read.ts';
import { LicensesService } from './licenses.service.ts';
import { auditOf, catalog, insertMachines, issue } from './test-fixtures.ts';

const fields = (res: { json(): { error: { details?: { field: string }[] } } }) =>
  (res.json().error.details ?? []).map((d) => d.field);

describe(`licenses API (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('issues from a plan, filling every omitted field from the plan, and audits it', async () => {
    t.clock.set('2026-01-15T12:00:00.000Z');
    const c = await catalog(t, 'ISSUE');
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    expect(license).toMatchObject({
      name: '',
      product: { id: c.product.id, code: 'ISSUE', name: 'ISSUE product' },
      plan: { id: c.yearly.id, name: 'Yearly', expirationStrategy: 'restrict' },
      account: { id: c.account.id, name: 'ISSUE Customer GmbH', crmId: 'CRM-ISSUE' },
      licenseType: 'subscription',
      status: 'active',
      startsAt: '2026-01-15T12:00:00.000Z',
      endsAt: '2027-01-15T12:00:00.000Z',
      graceEndsAt: '2027-01-22T12:00:00.000Z',
      maintenanceEndsAt: '2027-01-15T12:00:00.000Z',
      maxMachines: 5,
      machineCount: 0,
      domains: [],
      entitlements: [],
      effectiveEntitlements: ['CORE', 'SSO'],
      billing: { invoiceUrl: null, paymentStatus: null, purchaseMethod: null, orderReference: null },
      metadata: {},
      notes: '',
      suspended: false,
      revoked: false,
      lastValidatedAt: null,
      validationCount: 0,
      createdAt: '2026-01-15T12:00:00.000Z',
    });
    expect(license.key).toMatch(/^ISSUE-([0-9A-HJKMNP-TV-Z]{6}-){4}[0-9A-HJKMNP-TV-Z]{6}$/);

    const perpetual = await issue(t, { planId: c.perpetual.id, accountId: c.account.id });
    expect(perpetual).toMatchObject({ licenseType: 'perpetual', endsAt: null, graceEndsAt: null, maxMachines: null });

    const audit = await auditOf(t, license.id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: 'license.created', before: null, product_id: c.product.id });
    expect(audit[0]!.after).toMatchObject({ id: license.id, key: license.key });
  });

  it('takes explicit values over the plan: dates, type, seats, domains, entitlements, billing, metadata', async () => {
    t.clock.set('2026-01-15T12:00:00.000Z');
    const c = await catalog(t, 'EXPL');
    const license = await issue(t, {
      planId: c.yearly.id,
      accountId: c.account.id,
      name: 'Globex prod cluster',
      licenseType: 'custom',
      startsAt: '2026-02-01T00:00:00Z',
      endsAt: null,
      maintenanceEndsAt: null,
      maxMachines: null,
      domains: ['App.Example.com', 'app.example.com', '*.globex.io'],
      entitlements: ['SSO', 'AUDIT', 'AUDIT'],
      billing: { invoiceUrl: 'https://billing.example.com/inv/42', paymentStatus: 'pending', orderReference: 'PO-7' },
      metadata: { seatsSold: 12, region: 'eu' },
      notes: 'Signed by Hank',
    });
    expect(license).toMatchObject({
      name: 'Globex prod cluster',
      licenseType: 'custom',
      status: 'pending',
      startsAt: '2026-02-01T00:00:00.000Z',
      endsAt: null,
      maintenanceEndsAt: null,
      maxMachines: null,
      domains: ['app.example.com', '*.globex.io'],
      entitlements: ['SSO', 'AUDIT'],
      effectiveEntitlements: ['CORE', 'SSO', 'AUDIT'],
      billing: {
        invoiceUrl: 'https://billing.example.com/inv/42',
        paymentStatus: 'pending',
        purchaseMethod: null,
        orderReference: 'PO-7',
      },
      metadata: { seatsSold: 12, region: 'eu' },
      notes: 'Signed by Hank',
    });
    // endsAt from the plan counts from the given start.
    const later = await issue(t, { planId: c.trial.id, accountId: c.account.id, startsAt: '2026-03-01T00:00:00Z' });
    expect(later.endsAt).toBe('2026-03-15T00:00:00.000Z');
  });

  it('imports legacy keys, refuses a taken key with 409 and a Keyward-shaped typo with 422', async () => {
    const c = await catalog(t, 'IMPORT');
    const legacy = await issue(t, { planId: c.yearly.id, accountId: c.account.id, key: 'legacy-key 0001' });
    expect(legacy.key).toBe('legacy-key 0001');

    const taken = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: c.yearly.id, accountId: c.account.id, key: 'legacy-key 0001' },
    });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.code).toBe('LICENSE_KEY_TAKEN');

    const keyward = generateLicenseKey('IMPORT');
    const canonical = await issue(t, { planId: c.yearly.id, accountId: c.account.id, key: keyward.toLowerCase() });
    expect(canonical.key).toBe(keyward);
    const last = keyward.at(-1) === '0' ? '1' : '0';
    const typo = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: c.yearly.id, accountId: c.account.id, key: keyward.slice(0, -1) + last },
    });
    expect(typo.statusCode).toBe(422);
    expect(typo.json().error.code).toBe('LICENSE_KEY_INVALID');
  });

  it('finds a license by key with its plan policy for the client API (findLicenseByKey)', async () => {
    const c = await catalog(t, 'READ');
    const license = await issue(t, { planId: c.trial.id, accountId: c.account.id });
    const found = await findLicenseByKey(t.kw.database.db, license.key);
    expect(found?.license).toMatchObject({ id: license.id, key: license.key, plan_id: c.trial.id, suspended: false });
    expect(found?.plan).toMatchObject({
      id: c.trial.id,
      name: 'Trial',
      license_type: 'trial',
      grace_days: 3,
      max_machines: 1,
      expiration_strategy: 'restrict',
      entitlements: ['CORE'],
    });
    expect(found?.productCode).toBe('READ');
    expect(found?.license).not.toHaveProperty('plan_name');
    const locked = await t.kw.database.db
      .transaction()
      .execute((trx) => findLicenseByKey(trx, license.key, { forUpdate: true }));
    expect(locked?.license.id).toBe(license.id);
    expect(await findLicenseByKey(t.kw.database.db, license.key.toLowerCase())).toBeUndefined();
  });

  it('draws a new key when a generated key collides', async () => {
    const c = await catalog(t, 'RETRY');
    const existing = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    const fresh = generateLicenseKey('RETRY');
    const keys = [existing.key, existing.key, fresh];
    const service = new LicensesService({
      db: t.kw.database.db,
      clock: t.clock,
      expiringWindowDays: 30,
      generateKey: () => keys.shift()!,
    });
    const created = await service.create(systemContext('test'), { planId: c.yearly.id, accountId: c.account.id });
    expect(created.key).toBe(fresh);
    expect(keys).toEqual([]);
  });

  it('answers 422 for unknown plans/accounts and bad date order', async () => {
    const c = await catalog(t, 'ERRS');
    const post = (payload: Record<string, unknown>) => t.request({ method: 'POST', url: '/v1/licenses', payload });
    const noPlan = await post({ planId: '00000000-0000-4000-8000-000000000000', accountId: c.account.id });
    expect([noPlan.statusCode, noPlan.json().error.code]).toEqual([422, 'PLAN_NOT_FOUND']);
    const noAccount = await post({ planId: c.yearly.id, accountId: '00000000-0000-4000-8000-000000000000' });
    expect([noAccount.statusCode, noAccount.json().error.code]).toEqual([422, 'ACCOUNT_NOT_FOUND']);
    const badOrder = await post({
      planId: c.yearly.id,
      accountId: c.account.id,
      startsAt: '2026-05-01T00:00:00Z',
      endsAt: '2026-05-01T00:00:00Z',
    });
    expect([badOrder.statusCode, badOrder.json().error.code]).toEqual([422, 'INVALID_DATES']);
    expect(fields(badOrder)).toEqual(['/body/endsAt']);
  });

  it('rejects bad input with 400 VALIDATION_FAILED and field details', async () => {
    const c = await catalog(t, 'BAD');
    const bad = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      payload: {
        planId: 'not-a-uuid',
        accountId: c.account.id,
        startsAt: '2026-13-45',
        endsAt: 'tomorrow',
        maxMachines: 0,
        domains: ['not a domain'],
        key: 'short',
        billing: { paymentStatus: 'maybe', color: 'red' },
        licenseType: 'forever',
        seats: 3,
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(fields(bad)).toEqual(
      expect.arrayContaining([
        '/body/planId',
        '/body/startsAt',
        '/body/endsAt',
        '/body/maxMachines',
        '/body/domains/0',
        '/body/key',
        '/body/billing/paymentStatus',
        '/body/billing/color',
        '/body/licenseType',
        '/body/seats',
      ]),
    );
    const badId = await t.request({ method: 'GET', url: '/v1/licenses/123' });
    expect(badId.statusCode).toBe(400);
    expect(fields(badId)).toEqual(['/params/id']);
    const emptyPatch = await t.request({
      method: 'PATCH',
      url: '/v1/licenses/00000000-0000-4000-8000-000000000000',
      payload: {},
    });
    expect(emptyPatch.statusCode).toBe(400);
    const badQuery = await t.request({ method: 'GET', url: '/v1/licenses?status=active,bogus&sort=name&x=1' });
    expect(badQuery.statusCode).toBe(400);
    expect(fields(badQuery)).toEqual(
      expect.arrayContaining(['/querystring/status', '/querystring/sort', '/querystring/x']),
    );
  });

  it('gives the key as exact base64 and a Kubernetes secret', async () => {
    const c = await catalog(t, 'KEYS');
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id, key: "it's-legacy-key" });
    const res = await t.request({ method: 'GET', url: `/v1/licenses/${license.id}/key?secretName=globex-license` });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.key).toBe("it's-legacy-key");
    expect(body.base64).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(body.base64, 'base64').toString('utf8')).toBe(license.key);
    expect(body.kubernetesSecret).toContain('name: globex-license');
    expect(body.kubernetesSecret).toContain(`license-key: ${body.base64}\n`);
    expect(body.kubectl).toBe(
      `kubectl create secret generic globex-license --from-literal=license-key='it'\\''s-legacy-key'`,
    );
    const badName = await t.request({ method: 'GET', url: `/v1/licenses/${license.id}/key?secretName=Bad_Name` });
    expect(badName.statusCode).toBe(400);
    expect(fields(badName)).toEqual(['/querystring/secretName']);
  });

  it('edits a license: billing merges, metadata replaces, dates checked, audited with before/after', async () => {
    t.clock.set('2026-01-15T12:00:00.000Z');
    const c = await catalog(t, 'EDIT');
    const license = await issue(t, {
      planId: c.yearly.id,
      accountId: c.account.id,
      billing: { paymentStatus: 'pending', orderReference: 'PO-1' },
      metadata: { a: 1, b: 2 },
    });
    t.clock.advanceSeconds(60);
    const res = await t.request({
      method: 'PATCH',
      url: `/v1/licenses/${license.id}`,
      payload: {
        name: 'Renamed',
        billing: { paymentStatus: 'paid', invoiceUrl: 'https://b.example.com/1' },
        metadata: { c: 3 },
        domains: ['EXAMPLE.org'],
        entitlements: ['EXTRA'],
        maxMachines: 10,
        maintenanceEndsAt: null,
        notes: 'Paid on 2026-01-15',
      },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      name: 'Renamed',
      billing: { paymentStatus: 'paid', orderReference: 'PO-1', invoiceUrl: 'https://b.example.com/1' },
      metadata: { c: 3 },
      domains: ['example.org'],
      entitlements: ['EXTRA'],
      effectiveEntitlements: ['CORE', 'SSO', 'EXTRA'],
      maxMachines: 10,
      maintenanceEndsAt: null,
      notes: 'Paid on 2026-01-15',
      updatedAt: '2026-01-15T12:01:00.000Z',
    });
    const clear = await t.request({
      method: 'PATCH',
      url: `/v1/licenses/${license.id}`,
      payload: { billing: { orderReference: null } },
    });
    expect(clear.json().billing).toEqual({
      invoiceUrl: 'https://b.example.com/1',
      paymentStatus: 'paid',
      purchaseMethod: null,
      orderReference: null,
    });
    const badStart = await t.request({
      method: 'PATCH',
      url: `/v1/licenses/${license.id}`,
      payload: { startsAt: '2030-01-01T00:00:00Z' },
    });
    expect([badStart.statusCode, badStart.json().error.code]).toEqual([422, 'INVALID_DATES']);
    const audit = await auditOf(t, license.id);
    expect(audit.map((a) => a.action)).toEqual(['license.created', 'license.updated', 'license.updated']);
    expect(audit[1]!.before).toMatchObject({ name: '', metadata: { a: 1, b: 2 } });
    expect(audit[1]!.after).toMatchObject({ name: 'Renamed', metadata: { c: 3 } });
  });

  it('deletes a license with its machines, auditing the last snapshot', async () => {
    const c = await catalog(t, 'DEL');
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    await insertMachines(t, license.id, 2);
    expect((await t.request({ method: 'GET', url: `/v1/licenses/${license.id}` })).json().machineCount).toBe(2);
    const del = await t.request({ method: 'DELETE', url: `/v1/licenses/${license.id}` });
    expect(del.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: `/v1/licenses/${license.id}` })).statusCode).toBe(404);
    const machines = await t.kw.database.db
      .selectFrom('machines')
      .select('id')
      .where('license_id', '=', license.id)
      .execute();
    expect(machines).toEqual([]);
    const audit = await auditOf(t, license.id);
    expect(audit.at(-1)).toMatchObject({ action: 'license.deleted', after: null });
    expect(audit.at(-1)!.before).toMatchObject({ id: license.id, key: license.key, machineCount: 2 });
  });
});
