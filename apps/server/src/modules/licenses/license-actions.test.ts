import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { addDays } from '../../platform/clock.ts';
import type { LicenseDto } from './licenses.schemas.ts';
import { act, auditOf, catalog, insertAccount, insertMachines, issue } from './test-fixtures.ts';

const T0 = new Date('2026-03-01T10:00:00.000Z');
const day = (n: number) => addDays(T0, n).toISOString();

describe(`license actions (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // A 7-day `expiring` window (config.expiringWindowDays), so a 14-day trial starts out active.
    t = await startTestApp({ configOverrides: { expiringWindowDays: 7 } });
  });
  afterAll(async () => t.close());

  const get = async (id: string): Promise<LicenseDto> =>
    (await t.request({ method: 'GET', url: `/v1/licenses/${id}` })).json();
  const ok = async (res: Awaited<ReturnType<typeof act>>): Promise<LicenseDto> => {
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const error = (res: Awaited<ReturnType<typeof act>>) => [res.statusCode, res.json().error.code];

  it('runs a trial through its whole life as the clock moves', async () => {
    t.clock.set(T0);
    const c = await catalog(t, 'LIFE');
    let license = await issue(t, { planId: c.trial.id, accountId: c.account.id });
    expect(license).toMatchObject({ licenseType: 'trial', status: 'active', endsAt: day(14), maxMachines: 1 });

    t.clock.set(day(8));
    expect((await get(license.id)).status).toBe('expiring');

    license = await ok(await act(t, license.id, 'extend', { days: 7 }));
    expect(license).toMatchObject({ endsAt: day(21), status: 'active' });
    license = await ok(await act(t, license.id, 'extend', { days: -7 }));
    expect(license).toMatchObject({ endsAt: day(14), status: 'expiring' });

    // Renew while running: from the end date.
    license = await ok(await act(t, license.id, 'renew'));
    expect(license).toMatchObject({ endsAt: day(28), status: 'active' });

    t.clock.set(day(28));
    expect((await get(license.id)).status).toBe('in_grace');
    t.clock.set(new Date(Date.parse(day(31)) - 1));
    expect((await get(license.id)).status).toBe('in_grace');
    t.clock.set(day(31));
    expect((await get(license.id)).status).toBe('expired');

    // Renew after it ended: from now.
    t.clock.set(day(40));
    license = await ok(await act(t, license.id, 'renew'));
    expect(license).toMatchObject({ endsAt: day(54), status: 'active' });

    license = await ok(await act(t, license.id, 'suspend'));
    expect(license).toMatchObject({ status: 'suspended', suspended: true });
    expect(error(await act(t, license.id, 'suspend'))).toEqual([409, 'LICENSE_SUSPENDED']);
    license = await ok(await act(t, license.id, 'reinstate'));
    expect(license).toMatchObject({ status: 'active', suspended: false });
    expect(error(await act(t, license.id, 'reinstate'))).toEqual([409, 'LICENSE_NOT_SUSPENDED']);

    license = await ok(await act(t, license.id, 'revoke'));
    expect(license).toMatchObject({ status: 'revoked', revoked: true });
    for (const [action, body] of [
      ['reinstate', undefined],
      ['suspend', undefined],
      ['revoke', undefined],
      ['renew', undefined],
      ['extend', { days: 7 }],
      ['set-expiry', { endsAt: null }],
    ] as const) {
      expect([action, ...error(await act(t, license.id, action, body))]).toEqual([action, 409, 'LICENSE_REVOKED']);
    }

    const audit = await auditOf(t, license.id);
    expect(audit.map((a) => a.action)).toEqual([
      'license.created',
      'license.extended',
      'license.extended',
      'license.renewed',
      'license.renewed',
      'license.suspended',
      'license.reinstated',
      'license.revoked',
    ]);
    const ends = audit.slice(1, 5).map((a) => [(a.before as LicenseDto).endsAt, (a.after as LicenseDto).endsAt]);
    expect(ends).toEqual([
      [day(14), day(21)],
      [day(21), day(14)],
      [day(14), day(28)],
      [day(28), day(54)],
    ]);
    expect(audit[1]!.after).toMatchObject({ extendedByDays: 7 });
    expect(audit[4]!.before).toMatchObject({ status: 'expired' });
    expect(audit[7]).toMatchObject({ before: { revoked: false }, after: { revoked: true }, actor_type: 'token:admin' });
  });

  it('shows pending licenses, and grace by the plan', async () => {
    t.clock.set(T0);
    const c = await catalog(t, 'PEND');
    const pending = await issue(t, { planId: c.yearly.id, accountId: c.account.id, startsAt: day(10) });
    expect(pending).toMatchObject({ status: 'pending', endsAt: day(375), graceEndsAt: day(382) });
    t.clock.set(day(10));
    expect((await get(pending.id)).status).toBe('active');
    t.clock.set(day(370));
    expect((await get(pending.id)).status).toBe('expiring');
    t.clock.set(day(376));
    expect((await get(pending.id)).status).toBe('in_grace');
    t.clock.set(day(382));
    expect((await get(pending.id)).status).toBe('expired');
  });

  it('refuses renewals and extensions that do not fit', async () => {
    t.clock.set(T0);
    const c = await catalog(t, 'NOFIT');
    const perpetual = await issue(t, { planId: c.perpetual.id, accountId: c.account.id });
    expect(error(await act(t, perpetual.id, 'renew'))).toEqual([422, 'LICENSE_HAS_NO_EXPIRY']);
    expect(error(await act(t, perpetual.id, 'extend', { days: 7 }))).toEqual([422, 'LICENSE_HAS_NO_EXPIRY']);
    const dated = await issue(t, { planId: c.perpetual.id, accountId: c.account.id, endsAt: day(30) });
    expect(error(await act(t, dated.id, 'renew'))).toEqual([422, 'PLAN_HAS_NO_DURATION']);
    const tooShort = await act(t, dated.id, 'extend', { days: -30 });
    expect(error(tooShort)).toEqual([422, 'INVALID_DATES']);
    expect(tooShort.json().error.details[0].field).toBe('/body/days');
    expect((await get(dated.id)).endsAt).toBe(day(30));

    for (const body of [
      { days: 0 },
      { days: 3651 },
      { days: -3651 },
      { days: 1.5 },
      { days: '7x' },
      {},
      { days: 7, x: 1 },
    ]) {
      const res = await act(t, dated.id, 'extend', body);
      expect([JSON.stringify(body), ...error(res)]).toEqual([JSON.stringify(body), 400, 'VALIDATION_FAILED']);
      expect(res.json().error.details.map((d: { field: string }) => d.field)[0]).toMatch(/^\/body/);
    }
    const noBody = await act(t, dated.id, 'extend');
    expect(noBody.statusCode).toBe(400);
    expect(await ok(await act(t, dated.id, 'extend', { days: 3650 }))).toMatchObject({ endsAt: day(3680) });
  });

  it('sets, clears and validates the expiry', async () => {
    t.clock.set(T0);
    const c = await catalog(t, 'EXPIRY');
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    expect(await ok(await act(t, license.id, 'set-expiry', { endsAt: day(20) }))).toMatchObject({
      endsAt: day(20),
      graceEndsAt: day(27),
    });
    expect(await ok(await act(t, license.id, 'set-expiry', { endsAt: null }))).toMatchObject({
      endsAt: null,
      graceEndsAt: null,
      status: 'active',
    });
    expect(error(await act(t, license.id, 'set-expiry', { endsAt: day(0) }))).toEqual([422, 'INVALID_DATES']);
    expect(error(await act(t, license.id, 'set-expiry', { endsAt: '2026-02-30' }))).toEqual([400, 'VALIDATION_FAILED']);
    expect(error(await act(t, license.id, 'set-expiry', {}))).toEqual([400, 'VALIDATION_FAILED']);
    const audit = await auditOf(t, license.id);
    expect(audit.map((a) => a.action)).toEqual(['license.created', 'license.expiry_set', 'license.expiry_set']);
    expect(audit[2]).toMatchObject({ before: { endsAt: day(20) }, after: { endsAt: null } });
  });

  it('transfers to another account and resets machines, auditing both', async () => {
    t.clock.set(T0);
    const c = await catalog(t, 'MOVE');
    const target = await insertAccount(t, { name: 'Initech', crm_id: 'CRM-INITECH' });
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id });

    const moved = await ok(await act(t, license.id, 'transfer', { accountId: target.id }));
    expect(moved.account).toEqual({ id: target.id, name: 'Initech', crmId: 'CRM-INITECH' });
    const missing = await act(t, license.id, 'transfer', { accountId: '00000000-0000-4000-8000-000000000000' });
    expect(error(missing)).toEqual([422, 'ACCOUNT_NOT_FOUND']);
    expect(error(await act(t, license.id, 'transfer', { accountId: 'nope' }))).toEqual([400, 'VALIDATION_FAILED']);

    await insertMachines(t, license.id, 3);
    expect((await get(license.id)).machineCount).toBe(3);
    const reset = await ok(await act(t, license.id, 'reset-machines'));
    expect(reset.machineCount).toBe(0);

    const audit = await auditOf(t, license.id);
    expect(audit.map((a) => a.action)).toEqual(['license.created', 'license.transferred', 'license.machines_reset']);
    expect(audit[1]).toMatchObject({
      account_id: target.id,
      before: { account: { id: c.account.id } },
      after: { account: { id: target.id }, fromAccountId: c.account.id },
    });
    expect(audit[2]).toMatchObject({ before: { machineCount: 3 }, after: { machineCount: 0, machinesRemoved: 3 } });
  });

  it('serialises concurrent actions on one license (row lock): ten +1 day clicks add ten days', async () => {
    t.clock.set(T0);
    const c = await catalog(t, 'RACE');
    const license = await issue(t, { planId: c.yearly.id, accountId: c.account.id });
    const results = await Promise.all(Array.from({ length: 10 }, () => act(t, license.id, 'extend', { days: 1 })));
    expect(results.map((r) => r.statusCode)).toEqual(Array(10).fill(200));
    expect((await get(license.id)).endsAt).toBe(day(375));
    expect((await auditOf(t, license.id)).filter((a) => a.action === 'license.extended')).toHaveLength(10);
  });
});
