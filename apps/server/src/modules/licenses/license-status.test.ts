import { describe, expect, it } from 'vitest';
import { addDays } from '../../platform/clock.ts';
import { computeStatus } from './license-status.ts';

const now = new Date('2026-06-01T00:00:00Z');
const base = { starts_at: addDays(now, -10), ends_at: addDays(now, 100), suspended: false, revoked: false };

describe('computeStatus', () => {
  it.each([
    ['active', base, 0],
    ['active (perpetual)', { ...base, ends_at: null }, 0],
    ['expiring', { ...base, ends_at: addDays(now, 30) }, 0],
    ['pending', { ...base, starts_at: addDays(now, 1) }, 0],
    ['in_grace', { ...base, ends_at: addDays(now, -1) }, 3],
    ['expired', { ...base, ends_at: addDays(now, -1) }, 0],
    ['expired', { ...base, ends_at: addDays(now, -3) }, 3],
    ['suspended', { ...base, suspended: true, ends_at: addDays(now, -30) }, 0],
    ['revoked', { ...base, suspended: true, revoked: true }, 0],
  ] as const)('%s', (expected, license, grace) => {
    expect(computeStatus(license, grace, now)).toBe(expected.split(' ')[0]);
  });

  it('ends exactly now counts as ended', () => {
    expect(computeStatus({ ...base, ends_at: now }, 0, now)).toBe('expired');
  });
});
