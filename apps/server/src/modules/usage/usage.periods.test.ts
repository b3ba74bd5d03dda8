import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ManualClock } from '../../platform/clock.ts';
import { NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { type MeteredFixture, meteredLicense, report, usedOf } from './test-fixtures.ts';

describe(`usage periods: rollover anchored to the license start (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ clock: new ManualClock('2026-03-10T08:00:00.000Z'), configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const use = (f: MeteredFixture, amount = 1) => report(t, { key: f.key, property: 'api_calls', amount });
  const usage = async (f: MeteredFixture) =>
    (await t.request({ method: 'GET', url: `/v1/licenses/${f.licenseId}/usage` })).json().data[0].usage;
  const history = async (f: MeteredFixture) =>
    (await t.request({ method: 'GET', url: `/v1/licenses/${f.licenseId}/usage/api_calls/history` })).json();

  it('daily: the counter resets at the start time of day; the boundary instant is the new period', async () => {
    t.clock.set('2026-03-10T08:00:00.000Z');
    const f = await meteredLicense(t, {
      limit: 5,
      resetPeriod: 'daily',
      license: { starts_at: new Date('2026-03-10T06:00:00.000Z'), ends_at: null },
    });
    expect((await use(f, 5)).json().usage).toMatchObject({
      used: 5,
      periodStart: '2026-03-10T06:00:00.000Z',
      periodEnd: '2026-03-11T06:00:00.000Z',
    });
    t.clock.set('2026-03-11T05:59:59.999Z');
    expect((await use(f)).statusCode).toBe(409);
    t.clock.set('2026-03-11T06:00:00.000Z');
    expect(await usage(f)).toMatchObject({ used: 0, status: 'ok', periodStart: '2026-03-11T06:00:00.000Z' });
    expect((await use(f, 2)).json().usage).toMatchObject({ used: 2, periodStart: '2026-03-11T06:00:00.000Z' });
    t.clock.set('2026-03-14T07:00:00.000Z'); // days without use leave no counters
    expect((await use(f)).json().usage).toMatchObject({ used: 1, periodStart: '2026-03-14T06:00:00.000Z' });

    // History keeps the old periods and every call, the refused one included.
    const h = await history(f);
    expect(h.periods).toEqual([
      { periodStart: '2026-03-14T06:00:00.000Z', periodEnd: '2026-03-15T06:00:00.000Z', used: 1, current: true },
      { periodStart: '2026-03-11T06:00:00.000Z', periodEnd: '2026-03-12T06:00:00.000Z', used: 2, current: false },
      { periodStart: '2026-03-10T06:00:00.000Z', periodEnd: '2026-03-11T06:00:00.000Z', used: 5, current: false },
    ]);
    expect(
      h.data.map((e: { amount: number; accepted: boolean; periodStart: string }) => [e.amount, e.accepted]),
    ).toEqual([
      [1, true],
      [2, true],
      [1, false],
      [5, true],
    ]);
    expect(h.usage).toMatchObject({ used: 1, periodStart: '2026-03-14T06:00:00.000Z' });
  });

  it('monthly anchored on Jan 31: Feb 28, then Mar 31, then Apr 30', async () => {
    t.clock.set('2026-02-27T12:00:00.000Z');
    const f = await meteredLicense(t, {
      limit: 10,
      resetPeriod: 'monthly',
      license: { starts_at: new Date('2026-01-31T00:00:00.000Z'), ends_at: null },
    });
    expect((await use(f, 3)).json().usage).toMatchObject({
      used: 3,
      periodStart: '2026-01-31T00:00:00.000Z',
      periodEnd: '2026-02-28T00:00:00.000Z',
    });
    t.clock.set('2026-02-28T00:00:00.000Z');
    expect((await use(f, 4)).json().usage).toMatchObject({
      used: 4,
      periodStart: '2026-02-28T00:00:00.000Z',
      periodEnd: '2026-03-31T00:00:00.000Z',
    });
    t.clock.set('2026-03-30T23:59:59.999Z');
    expect((await use(f)).json().usage.used).toBe(5);
    t.clock.set('2026-03-31T00:00:00.000Z');
    expect(await usage(f)).toMatchObject({
      used: 0,
      periodStart: '2026-03-31T00:00:00.000Z',
      periodEnd: '2026-04-30T00:00:00.000Z',
    });
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([
      { periodStart: '2026-01-31T00:00:00.000Z', used: 3 },
      { periodStart: '2026-02-28T00:00:00.000Z', used: 5 },
    ]);
  });

  it('yearly anchored on Feb 29: Feb 28 in common years', async () => {
    t.clock.set('2028-03-01T00:00:00.000Z');
    const f = await meteredLicense(t, {
      limit: 10,
      resetPeriod: 'yearly',
      license: { starts_at: new Date('2028-02-29T00:00:00.000Z'), ends_at: null },
    });
    expect((await use(f, 10)).json().usage).toMatchObject({
      periodStart: '2028-02-29T00:00:00.000Z',
      periodEnd: '2029-02-28T00:00:00.000Z',
      status: 'exceeded',
    });
    t.clock.set('2029-02-27T23:00:00.000Z');
    expect((await use(f)).statusCode).toBe(409);
    t.clock.set('2029-02-28T00:00:00.000Z');
    expect((await use(f)).json().usage).toMatchObject({
      used: 1,
      periodStart: '2029-02-28T00:00:00.000Z',
      periodEnd: '2030-02-28T00:00:00.000Z',
    });
    const h = await history(f);
    expect(h.periods.map((p: { used: number; current: boolean }) => [p.used, p.current])).toEqual([
      [1, true],
      [10, false],
    ]);
  });

  it('reset period none: one counter from the license start on', async () => {
    t.clock.set('2026-06-01T00:00:00.000Z');
    const f = await meteredLicense(t, {
      limit: 10,
      license: { starts_at: new Date('2025-01-01T00:00:00.000Z'), ends_at: null },
    });
    await use(f, 4);
    t.clock.set('2030-06-01T00:00:00.000Z');
    expect((await use(f)).json().usage).toMatchObject({
      used: 5,
      periodStart: '2025-01-01T00:00:00.000Z',
      periodEnd: null,
    });
  });
});
