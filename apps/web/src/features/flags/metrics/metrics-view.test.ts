import { describe, expect, it } from 'vitest';
import de from '../../../locales/de/flagMetrics.json' with { type: 'json' };
import en from '../../../locales/en/flagMetrics.json' with { type: 'json' };
import type { FlagMetricsBucket } from './flag-metrics-api.ts';
import { barsOf, hoursFor, share, variantRows } from './metrics-view.ts';

const HOUR = 3_600_000;
const bucket = (at: Date, yes: number, no: number): FlagMetricsBucket => ({
  hour: at.toISOString(),
  yes,
  no,
  variants: {},
});

describe('flag metrics view', () => {
  it('asks for 24 hours, or back to local midnight of the first day (today counts)', () => {
    const now = new Date(2026, 0, 15, 14, 20); // local time
    expect(hoursFor('24h', now)).toBe(24);
    const hourEnd = Math.floor(now.getTime() / HOUR) * HOUR + HOUR;
    expect(hoursFor('7d', now)).toBe(Math.ceil((hourEnd - new Date(2026, 0, 9).getTime()) / HOUR));
    expect(hoursFor('30d', now)).toBe(Math.ceil((hourEnd - new Date(2025, 11, 17).getTime()) / HOUR));
    expect(hoursFor('30d', now)).toBeLessThanOrEqual(24 * 90);
  });

  it('keeps hourly bars for 24 h and sums them per local day otherwise', () => {
    const buckets = [
      bucket(new Date(2026, 0, 14, 22), 1, 2),
      bucket(new Date(2026, 0, 14, 23), 3, 0),
      bucket(new Date(2026, 0, 15, 0), 5, 5),
      bucket(new Date(2026, 0, 15, 1), 0, 1),
    ];
    expect(barsOf(buckets, '24h').map((b) => [b.yes, b.no])).toEqual([
      [1, 2],
      [3, 0],
      [5, 5],
      [0, 1],
    ]);
    expect(barsOf(buckets, '7d')).toEqual([
      { at: new Date(2026, 0, 14).toISOString(), yes: 4, no: 2 },
      { at: new Date(2026, 0, 15).toISOString(), yes: 5, no: 6 },
    ]);
  });

  it('orders variants by count and computes shares without dividing by zero', () => {
    expect(variantRows({ green: 2, blue: 3, red: 0, amber: 2 })).toEqual([
      { name: 'blue', count: 3 },
      { name: 'amber', count: 2 },
      { name: 'green', count: 2 },
    ]);
    expect(share(7, 10)).toBe(0.7);
    expect(share(0, 0)).toBe(0);
  });

  it('has the same translation keys in English and German', () => {
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) =>
        typeof v === 'object' && v !== null ? keys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
      );
    expect(keys(de).sort()).toEqual(keys(en).sort());
    expect(keys(en).length).toBeGreaterThan(20);
  });
});
