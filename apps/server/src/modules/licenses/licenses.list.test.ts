import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { addDays } from '../../platform/clock.ts';
import { LICENSE_STATUSES } from './license-status.ts';
import type { LicenseDto } from './licenses.schemas.ts';
import { catalog, insertAccount, insertLicenses, insertPlan, issue, statusCases } from './test-fixtures.ts';

const T0 = new Date('2026-04-01T09:00:00.000Z');
const day = (n: number) => addDays(T0, n).toISOString();

describe(`license list, filters and search (${dbKind})`, () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof catalog>>;
  let b: Awaited<ReturnType<typeof catalog>>;
  let all: LicenseDto[];
  const L: Record<string, LicenseDto> = {};

  const list = async (query: string): Promise<{ data: LicenseDto[]; nextCursor: string | null }> => {
    const res = await t.request({ method: 'GET', url: `/v1/licenses?${query}` });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const ids = async (query: string) => (await list(`limit=500&${query}`)).data.map((l) => l.id).sort();
  const idsOf = (...names: string[]) => names.map((n) => L[n]!.id).sort();

  beforeAll(async () => {
    t = await startTestApp();
    t.clock.set(T0);
    a = await catalog(t, 'LISTA');
    b = await catalog(t, 'LISTB');
    const initech = await insertAccount(t, { name: 'Initech', crm_id: 'SF-0042' });
    const pct = await insertAccount(t, { name: '100% Pure_Water Ltd', crm_id: null });
    const specs: [string, Record<string, unknown>][] = [
      ['trialA', { planId: a.trial.id, accountId: a.account.id, name: 'Evaluation' }],
      ['yearA', { planId: a.yearly.id, accountId: initech.id, domains: ['portal.initech.com'] }],
      ['permA', { planId: a.perpetual.id, accountId: initech.id }],
      ['pendingA', { planId: a.yearly.id, accountId: a.account.id, startsAt: day(5) }],
      ['pastA', { planId: a.yearly.id, accountId: pct.id, startsAt: day(-400), endsAt: day(-20) }],
      ['trialB', { planId: b.trial.id, accountId: b.account.id, key: 'LEGACY_100%_KEY' }],
      ['yearB', { planId: b.yearly.id, accountId: pct.id, endsAt: day(14) }],
    ];
    for (const [name, payload] of specs) {
      L[name] = await issue(t, payload);
      t.clock.advanceSeconds(1);
    }
    // Same created_at and same end dates for several licenses: the id tie-breaker must keep pages exact.
    const plan = await insertPlan(t, a.product.id, { name: 'bulk', grace_days: 3 });
    await insertLicenses(t, plan, a.account.id, [
      ...Array.from({ length: 6 }, () => ({
        starts_at: T0,
        ends_at: new Date(day(60)),
        suspended: false,
        revoked: false,
      })),
      ...Array.from({ length: 4 }, () => ({ starts_at: T0, ends_at: null, suspended: false, revoked: false })),
    ]);
    all = (await list('limit=500')).data;
  });
  afterAll(async () => t.close());

  it('filters by product, plan, account, type, end date and status', async () => {
    const afterSetup = new Date(T0.getTime() + 60_000);
    t.clock.set(afterSetup);
    expect(all).toHaveLength(17);
    expect(await ids(`productId=${b.product.id}`)).toEqual(idsOf('trialB', 'yearB'));
    expect(await ids(`planId=${a.trial.id}`)).toEqual(idsOf('trialA'));
    expect(await ids(`accountId=${b.account.id}`)).toEqual(idsOf('trialB'));
    expect(await ids(`type=perpetual`)).toEqual(idsOf('permA'));
    expect(await ids(`type=trial&productId=${a.product.id}`)).toEqual(idsOf('trialA'));
    expect(await ids(`expiresBefore=${day(15)}`)).toEqual(idsOf('trialA', 'pastA', 'trialB', 'yearB'));
    // Strictly after: trialA and yearB end at exactly day 14; trialB was issued 5 s later.
    const window = await ids(`expiresAfter=${day(14)}&expiresBefore=${day(100)}`);
    expect(window).toHaveLength(7);
    expect(window).toEqual(expect.arrayContaining(idsOf('trialB')));
    expect(await ids('status=pending')).toEqual(idsOf('pendingA'));
    expect(await ids('status=expired')).toEqual(idsOf('pastA'));
    expect(await ids(`status=expiring,pending&productId=${b.product.id}`)).toEqual(idsOf('trialB', 'yearB'));
    expect(await ids('status=revoked')).toEqual([]);
    t.clock.set(day(16));
    expect(await ids('status=in_grace')).toEqual(idsOf('trialA', 'trialB', 'yearB'));
    t.clock.set(day(17));
    expect(await ids('status=in_grace')).toEqual(idsOf('trialB', 'yearB'));
    t.clock.set(new Date(Date.parse(day(17)) + 5000));
    expect(await ids('status=in_grace')).toEqual(idsOf('yearB'));
    expect(await ids('status=expired,revoked')).toEqual(idsOf('trialA', 'trialB', 'pastA'));
    t.clock.set(afterSetup);
  });

  it('searches keys, names, account names, domains and CRM ids, case-insensitively and literally', async () => {
    expect(await ids(`q=${encodeURIComponent(L.yearA!.key)}`)).toEqual(idsOf('yearA'));
    expect(await ids(`q=${L.yearA!.key.slice(0, 12).toLowerCase()}`)).toEqual(idsOf('yearA'));
    expect(await ids('q=evalu')).toEqual(idsOf('trialA'));
    expect(await ids('q=INITECH')).toEqual(idsOf('yearA', 'permA'));
    expect(await ids('q=portal.initech')).toEqual(idsOf('yearA'));
    expect(await ids('q=sf-0042')).toEqual(idsOf('yearA', 'permA'));
    expect(await ids('q=crm-listb')).toEqual(idsOf('trialB'));
    // LIKE wildcards are searched literally: % and _ match only themselves.
    expect(await ids(`q=${encodeURIComponent('100%')}`)).toEqual(idsOf('pastA', 'yearB'));
    expect(await ids(`q=${encodeURIComponent('e_w')}`)).toEqual(idsOf('pastA', 'yearB'));
    expect(await ids(`q=${encodeURIComponent('legacy_100%')}`)).toEqual(idsOf('trialB'));
    expect(await ids(`q=${encodeURIComponent('%')}`)).toEqual(idsOf('pastA', 'yearB'));
    expect(await ids(`q=${encodeURIComponent('100%_')}`)).toEqual([]);
    expect(await ids('q=nothing-like-this')).toEqual([]);
  });

  it.each(['createdAt', '-createdAt', 'endsAt', '-endsAt'] as const)(
    'sorts by %s with nulls last and pages without duplicates or gaps',
    async (sort) => {
      const byEnd = sort.endsWith('endsAt');
      const sign = sort.startsWith('-') ? -1 : 1;
      const value = (l: LicenseDto) => (byEnd ? l.endsAt : l.createdAt);
      const expected = [...all].sort((x, y) => {
        const [vx, vy] = [value(x), value(y)];
        if (vx !== vy) {
          if (vx === null) return 1;
          if (vy === null) return -1;
          return sign * (vx < vy ? -1 : 1);
        }
        return sign * (x.id < y.id ? -1 : 1);
      });
      for (const limit of [1, 3, 5]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const page = await list(`sort=${sort}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
          expect(page.data.length).toBeLessThanOrEqual(limit);
          seen.push(...page.data.map((l) => l.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor && pages < 100);
        expect(seen).toEqual(expected.map((l) => l.id));
      }
    },
  );

  it('refuses forged cursors with 400', async () => {
    const forge = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    for (const [sort, cursor] of [
      ['createdAt', forge({ v: 'not a date', id: L.trialA!.id })],
      ['createdAt', forge({ v: null, id: L.trialA!.id })],
      ['endsAt', forge({ v: day(1), id: 'x' })],
      ['endsAt', 'garbage!'],
    ]) {
      const res = await t.request({ method: 'GET', url: `/v1/licenses?sort=${sort}&cursor=${cursor}` });
      expect([res.statusCode, res.json().error.code]).toEqual([400, 'INVALID_CURSOR']);
    }
  });

  it('filters by status in SQL exactly as computeStatus reports it, for many licenses and moments', async () => {
    t.clock.set(T0);
    const c = await catalog(t, 'STATUS');
    for (const graceDays of [0, 3]) {
      const plan = await insertPlan(t, c.product.id, { name: `status grace ${graceDays}`, grace_days: graceDays });
      await insertLicenses(t, plan, c.account.id, statusCases(T0, 30));
    }
    for (const moment of [T0, new Date(T0.getTime() + 1), addDays(T0, 3), addDays(T0, 30)]) {
      t.clock.set(moment);
      const everyone = await list(`productId=${c.product.id}&limit=500`);
      const seen = new Map<string, string>();
      for (const status of LICENSE_STATUSES) {
        const page = await list(`productId=${c.product.id}&limit=500&status=${status}`);
        for (const l of page.data) {
          expect([l.id, l.status]).toEqual([l.id, status]);
          seen.set(l.id, status);
        }
      }
      expect(seen.size).toBe(everyone.data.length);
      expect(new Set(seen.values()).size).toBeGreaterThanOrEqual(6);
    }
    t.clock.set(T0);
  });
});
