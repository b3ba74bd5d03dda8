import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { addDays } from '../../platform/clock.ts';
import type { PlanRow } from '../../platform/db/schema.ts';
import { act, catalog, insertLicense, insertPlan, insertToken } from '../licenses/test-fixtures.ts';

const NOW = new Date('2026-01-15T12:00:00.000Z');
const day = (n: number) => addDays(NOW, n);

describe(`GET /v1/stats/overview (${dbKind})`, () => {
  let t: TestApp;
  let productToken: string;
  let readOnlyToken: string;

  const lic = (plan: PlanRow, accountId: string, ends: number | null, extra: Record<string, unknown> = {}) =>
    insertLicense(t, plan, accountId, { starts_at: day(-60), ends_at: ends === null ? null : day(ends), ...extra });

  async function machine(licenseId: string, createdAt: Date, lastHeartbeatAt: Date | null = null) {
    await t.kw.database.db
      .insertInto('machines')
      .values({
        license_id: licenseId,
        fingerprint: `fp-${Math.random().toString(36).slice(2)}`,
        created_at: createdAt,
        last_heartbeat_at: lastHeartbeatAt,
      })
      .execute();
  }

  async function auditEvent(productId: string, action: string, at: string) {
    await t.kw.database.db
      .insertInto('audit_events')
      .values({
        at: new Date(at),
        actor_type: 'system',
        actor_id: null,
        actor_name: 'test',
        action,
        target_type: 'license',
        target_id: 'x',
        product_id: productId,
        account_id: null,
        license_id: null,
        before: null,
        after: null,
        request_id: null,
      })
      .execute();
  }

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set(NOW);
    const a = await catalog(t, 'STATA');
    const heartbeat = await insertPlan(t, a.product.id, { name: 'Heartbeat', heartbeat_interval_seconds: 3600 });
    const acc = a.account.id;
    await lic(a.trial, acc, 3); // expiring trial, ends within 7 days
    await lic(a.trial, acc, 20); // expiring trial, ends within 30 days
    await lic(a.trial, acc, 3, { suspended: true }); // suspended: counted nowhere but its status
    await lic(a.yearly, acc, 45); // active, ends within 60 days
    await lic(a.yearly, acc, 80); // active, ends within 90 days
    await lic(a.yearly, acc, -2); // in grace (7 grace days)
    const expired = await lic(a.yearly, acc, -30);
    const perpetual = await lic(a.perpetual, acc, null);
    await lic(a.yearly, acc, 100, { revoked: true });
    await insertLicense(t, a.yearly, acc, { starts_at: day(5), ends_at: day(370) }); // pending
    const beating = await lic(heartbeat, acc, 200);

    await machine(perpetual, day(-10));
    await machine(perpetual, day(-10));
    await machine(expired, day(-40)); // its license is expired: holds no seat
    await machine(beating, NOW);
    await machine(beating, day(-1), new Date(NOW.getTime() - 10 * 60_000));
    await machine(beating, new Date(NOW.getTime() - 3 * 3_600_000)); // no heartbeat for 3 hours: dead

    await auditEvent(a.product.id, 'license.renewed', '2026-01-02T08:00:00.000Z');
    await auditEvent(a.product.id, 'license.renewed', '2025-12-20T08:00:00.000Z');
    await auditEvent(a.product.id, 'license.extended', '2025-12-31T23:59:59.999Z');
    await auditEvent(a.product.id, 'license.renewed', '2025-07-01T00:00:00.000Z'); // older than 6 months
    await auditEvent(a.product.id, 'license.updated', '2026-01-03T00:00:00.000Z'); // not a renewal

    const b = await catalog(t, 'STATB');
    const other = await lic(b.yearly, b.account.id, 10);
    await machine(other, day(-1));
    expect((await act(t, other, 'extend', { days: 7 })).statusCode).toBe(200); // a real license.extended event

    productToken = await insertToken(t, 'product', a.product.id);
    readOnlyToken = await insertToken(t, 'read-only');
  });
  afterAll(async () => t.close());

  it('counts licenses by computed status, ending soon, renewals and live seats (product token)', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/stats/overview', token: productToken });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.asOf).toBe(NOW.toISOString());
    expect(body.expiringWindowDays).toBe(30);
    expect(body.licensesByStatus).toEqual({
      pending: 1,
      active: 4,
      expiring: 2,
      in_grace: 1,
      expired: 1,
      suspended: 1,
      revoked: 1,
    });
    expect(body.activeLicenses).toBe(6);
    expect(body.trialsEnding).toEqual([
      { days: 7, count: 1, before: day(7).toISOString() },
      { days: 30, count: 2, before: day(30).toISOString() },
    ]);
    expect(body.expiring.map((e: { count: number }) => e.count)).toEqual([2, 3, 4]);
    expect(body.expiring[2].before).toBe(day(90).toISOString());
    const weeks = body.expiringByWeek.map((w: { count: number }) => w.count);
    expect(weeks).toEqual([1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0, 1]);
    expect(body.expiringByWeek[1].weekStart).toBe(day(7).toISOString());
    expect(body.renewals).toEqual({
      monthStart: '2026-01-01T00:00:00.000Z',
      renewed: 1,
      extended: 0,
      byMonth: [
        { month: '2025-08', count: 0 },
        { month: '2025-09', count: 0 },
        { month: '2025-10', count: 0 },
        { month: '2025-11', count: 0 },
        { month: '2025-12', count: 2 },
        { month: '2026-01', count: 1 },
      ],
    });
    expect(body.seatsInUse).toBe(4);
  });

  it('covers every product for admin and read-only tokens', async () => {
    for (const token of [undefined, readOnlyToken]) {
      const res = await t.request({ method: 'GET', url: '/v1/stats/overview', ...(token ? { token } : {}) });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.licensesByStatus.expiring).toBe(3); // the other product's license ends in 17 days
      expect(body.expiring.map((e: { count: number }) => e.count)).toEqual([3, 4, 5]);
      expect(body.renewals.extended).toBe(1);
      expect(body.renewals.byMonth.at(-1)).toEqual({ month: '2026-01', count: 2 });
      expect(body.seatsInUse).toBe(5);
    }
  });

  it('moves with the clock: a month later the trials have ended and the month is new', async () => {
    t.clock.set(day(31));
    const res = await t.request({ method: 'GET', url: '/v1/stats/overview', token: productToken });
    const body = res.json();
    expect(body.trialsEnding.map((x: { count: number }) => x.count)).toEqual([0, 0]);
    expect(body.renewals.monthStart).toBe('2026-02-01T00:00:00.000Z');
    expect(body.renewals.renewed).toBe(0);
    expect(body.renewals.byMonth.map((m: { month: string }) => m.month)).toEqual([
      '2025-09',
      '2025-10',
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    t.clock.set(NOW);
  });

  it('needs a valid token', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/stats/overview', token: null });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHORIZED');
  });
});
