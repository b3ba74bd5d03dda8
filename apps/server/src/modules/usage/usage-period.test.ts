import { describe, expect, it } from 'vitest';
import { addMonthsClamped, currentPeriod, maxPeriodLengthMs, periodEndOf } from './usage-period.ts';
import { limitOf, statusOf, warningAtOf } from './usage-status.ts';

const d = (iso: string) => new Date(iso);
const iso = (p: { start: Date; end: Date | null }) => [p.start.toISOString(), p.end?.toISOString() ?? null];

describe('usage periods (UTC, anchored to the license start)', () => {
  it('none: one period from the license start, forever', () => {
    const anchor = d('2026-01-31T10:00:00.000Z');
    expect(iso(currentPeriod('none', anchor, d('2031-05-01T00:00:00Z')))).toEqual(['2026-01-31T10:00:00.000Z', null]);
    expect(iso(currentPeriod('none', anchor, d('2020-01-01T00:00:00Z')))).toEqual(['2026-01-31T10:00:00.000Z', null]);
  });

  it('daily: 24-hour periods from the start time, the boundary instant belongs to the new period', () => {
    const anchor = d('2026-03-10T15:30:00.000Z');
    expect(iso(currentPeriod('daily', anchor, anchor))).toEqual([
      '2026-03-10T15:30:00.000Z',
      '2026-03-11T15:30:00.000Z',
    ]);
    expect(iso(currentPeriod('daily', anchor, d('2026-03-11T15:29:59.999Z')))).toEqual([
      '2026-03-10T15:30:00.000Z',
      '2026-03-11T15:30:00.000Z',
    ]);
    expect(iso(currentPeriod('daily', anchor, d('2026-03-11T15:30:00.000Z')))).toEqual([
      '2026-03-11T15:30:00.000Z',
      '2026-03-12T15:30:00.000Z',
    ]);
    // UTC has no daylight saving: late March stays at 15:30 UTC.
    expect(iso(currentPeriod('daily', anchor, d('2026-03-29T16:00:00Z')))[0]).toBe('2026-03-29T15:30:00.000Z');
    expect(iso(currentPeriod('daily', anchor, d('2027-03-10T15:30:00Z')))[0]).toBe('2027-03-10T15:30:00.000Z');
  });

  it('before the license start, usage counts in the first period', () => {
    const anchor = d('2026-03-10T00:00:00.000Z');
    const early = d('2026-02-01T00:00:00Z');
    expect(currentPeriod('daily', anchor, early).start.toISOString()).toBe('2026-03-10T00:00:00.000Z');
    expect(iso(currentPeriod('monthly', anchor, early))).toEqual([
      '2026-03-10T00:00:00.000Z',
      '2026-04-10T00:00:00.000Z',
    ]);
    expect(currentPeriod('yearly', anchor, early).start.toISOString()).toBe('2026-03-10T00:00:00.000Z');
  });

  it('monthly: the same day each month, clamped to short months from the anchor (Jan 31 → Feb 28 → Mar 31)', () => {
    const anchor = d('2026-01-31T09:00:00.000Z');
    const starts = [
      ['2026-02-15T00:00:00Z', '2026-01-31T09:00:00.000Z', '2026-02-28T09:00:00.000Z'],
      ['2026-02-28T08:59:59.999Z', '2026-01-31T09:00:00.000Z', '2026-02-28T09:00:00.000Z'],
      ['2026-02-28T09:00:00.000Z', '2026-02-28T09:00:00.000Z', '2026-03-31T09:00:00.000Z'],
      ['2026-03-30T23:00:00Z', '2026-02-28T09:00:00.000Z', '2026-03-31T09:00:00.000Z'],
      ['2026-03-31T09:00:00.000Z', '2026-03-31T09:00:00.000Z', '2026-04-30T09:00:00.000Z'],
      ['2026-05-01T00:00:00Z', '2026-04-30T09:00:00.000Z', '2026-05-31T09:00:00.000Z'],
      ['2026-12-31T09:00:00.000Z', '2026-12-31T09:00:00.000Z', '2027-01-31T09:00:00.000Z'],
      ['2028-02-29T10:00:00Z', '2028-02-29T09:00:00.000Z', '2028-03-31T09:00:00.000Z'], // leap year
    ];
    for (const [now, start, end] of starts) {
      expect({ now, period: iso(currentPeriod('monthly', anchor, d(now!))) }).toEqual({ now, period: [start, end] });
    }
  });

  it('monthly: a period starts in the same calendar month even right after a month boundary', () => {
    const anchor = d('2026-01-15T00:00:00.000Z');
    expect(iso(currentPeriod('monthly', anchor, d('2026-04-01T00:00:00Z')))).toEqual([
      '2026-03-15T00:00:00.000Z',
      '2026-04-15T00:00:00.000Z',
    ]);
    expect(iso(currentPeriod('monthly', anchor, d('2026-04-14T23:59:59.999Z')))[0]).toBe('2026-03-15T00:00:00.000Z');
    expect(iso(currentPeriod('monthly', anchor, d('2026-04-15T00:00:00.000Z')))[0]).toBe('2026-04-15T00:00:00.000Z');
    expect(iso(currentPeriod('monthly', anchor, d('2036-01-20T00:00:00Z')))[0]).toBe('2036-01-15T00:00:00.000Z');
  });

  it('yearly: same date each year; a Feb 29 anchor falls on Feb 28 in common years', () => {
    const anchor = d('2028-02-29T12:00:00.000Z');
    expect(iso(currentPeriod('yearly', anchor, d('2028-06-01T00:00:00Z')))).toEqual([
      '2028-02-29T12:00:00.000Z',
      '2029-02-28T12:00:00.000Z',
    ]);
    expect(iso(currentPeriod('yearly', anchor, d('2029-02-28T11:59:59.999Z')))[0]).toBe('2028-02-29T12:00:00.000Z');
    expect(iso(currentPeriod('yearly', anchor, d('2029-02-28T12:00:00.000Z')))).toEqual([
      '2029-02-28T12:00:00.000Z',
      '2030-02-28T12:00:00.000Z',
    ]);
    expect(iso(currentPeriod('yearly', anchor, d('2032-03-01T00:00:00Z')))).toEqual([
      '2032-02-29T12:00:00.000Z',
      '2033-02-28T12:00:00.000Z',
    ]);
    const plain = d('2026-07-04T00:00:00.000Z');
    expect(iso(currentPeriod('yearly', plain, d('2027-07-03T23:59:59.999Z')))[0]).toBe('2026-07-04T00:00:00.000Z');
    expect(iso(currentPeriod('yearly', plain, d('2027-07-04T00:00:00.000Z')))[0]).toBe('2027-07-04T00:00:00.000Z');
  });

  it('every instant of a period maps back to it (periods tile the time line without gaps)', () => {
    const anchor = d('2026-01-31T23:59:59.500Z');
    for (const reset of ['daily', 'monthly', 'yearly'] as const) {
      let p = currentPeriod(reset, anchor, anchor);
      for (let i = 0; i < 40; i++) {
        const end = p.end!;
        expect(currentPeriod(reset, anchor, new Date(end.getTime() - 1)).start).toEqual(p.start);
        const next = currentPeriod(reset, anchor, end);
        expect(next.start).toEqual(end);
        expect(periodEndOf(reset, anchor, next.start)).toEqual(next.end);
        expect(next.start.getTime() - p.start.getTime()).toBeLessThanOrEqual(maxPeriodLengthMs(reset)!);
        p = next;
      }
    }
    expect(maxPeriodLengthMs('none')).toBeNull();
  });

  it('adds months with the day clamped, keeping the time of day', () => {
    expect(addMonthsClamped(d('2026-01-31T01:02:03.004Z'), 1).toISOString()).toBe('2026-02-28T01:02:03.004Z');
    expect(addMonthsClamped(d('2026-01-31T01:02:03.004Z'), 2).toISOString()).toBe('2026-03-31T01:02:03.004Z');
    expect(addMonthsClamped(d('2026-08-31T00:00:00.000Z'), 1).toISOString()).toBe('2026-09-30T00:00:00.000Z');
    expect(addMonthsClamped(d('2026-11-30T00:00:00.000Z'), 3).toISOString()).toBe('2027-02-28T00:00:00.000Z');
    expect(addMonthsClamped(d('2027-11-30T00:00:00.000Z'), 3).toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });
});

describe('usage status', () => {
  it('limits are whole numbers ≥ 0; anything else is unlimited', () => {
    expect(limitOf(50)).toBe(50);
    expect(limitOf(10.7)).toBe(10);
    expect(limitOf(-3)).toBe(0);
    expect(limitOf(null)).toBeNull();
    expect(limitOf('50')).toBeNull();
    expect(limitOf(Number.POSITIVE_INFINITY)).toBeNull();
  });

  it('warns at ceil(limit × percent / 100)', () => {
    expect(warningAtOf(50, 80)).toBe(40);
    expect(warningAtOf(3, 80)).toBe(3);
    expect(warningAtOf(15, 80)).toBe(12);
    expect(warningAtOf(50, null)).toBeNull();
    expect(warningAtOf(null, 80)).toBeNull();
  });

  it('hard: exceeded once no room is left; soft: exceeded only above the limit', () => {
    expect(statusOf(39, 50, 'hard', 40)).toBe('ok');
    expect(statusOf(40, 50, 'hard', 40)).toBe('warning');
    expect(statusOf(49, 50, 'hard', 40)).toBe('warning');
    expect(statusOf(50, 50, 'hard', 40)).toBe('exceeded');
    expect(statusOf(50, 50, 'soft', 40)).toBe('warning');
    expect(statusOf(50, 50, 'soft', null)).toBe('ok');
    expect(statusOf(51, 50, 'soft', 40)).toBe('exceeded');
    expect(statusOf(0, 0, 'hard', null)).toBe('exceeded');
    expect(statusOf(10 ** 12, null, 'hard', null)).toBe('ok');
  });
});
