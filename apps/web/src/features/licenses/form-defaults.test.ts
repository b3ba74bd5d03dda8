import { describe, expect, it } from 'vitest';
import { daysBetween, defaultsFromPlan, endDateFor, endInstant, expiryInstant, startInstant } from './form-defaults.ts';

const now = new Date(2026, 0, 30, 14, 25, 10, 500); // 30 Jan 2026, 14:25 local

describe('defaultsFromPlan', () => {
  it('starts today and ends after the plan duration', () => {
    expect(defaultsFromPlan({ licenseType: 'subscription', durationDays: 365, maxMachines: 5 }, now)).toEqual({
      licenseType: 'subscription',
      startDate: '2026-01-30',
      endDate: '2027-01-30',
      maxMachines: 5,
    });
  });

  it('crosses month ends by days, not months', () => {
    expect(defaultsFromPlan({ licenseType: 'trial', durationDays: 30, maxMachines: 1 }, now).endDate).toBe(
      '2026-03-01',
    );
  });

  it('never expires when the plan has no duration', () => {
    const d = defaultsFromPlan({ licenseType: 'perpetual', durationDays: null, maxMachines: null }, now);
    expect(d.endDate).toBeNull();
    expect(d.maxMachines).toBeNull();
  });
});

describe('endDateFor', () => {
  it('keeps the duration when the start moves', () => {
    expect(endDateFor('2026-02-10', 14)).toBe('2026-02-24');
    expect(endDateFor('2028-02-28', 1)).toBe('2028-02-29');
    expect(endDateFor('2026-02-10', null)).toBeNull();
  });
});

describe('startInstant and endInstant', () => {
  it('starts now when the start date is today', () => {
    expect(startInstant('2026-01-30', now)).toBe(now);
  });

  it('starts at local midnight on another day', () => {
    expect(startInstant('2026-02-03', now)).toEqual(new Date(2026, 1, 3, 0, 0, 0, 0));
  });

  it('ends exactly N days after the start for the default end date', () => {
    const start = startInstant('2026-01-30', now);
    const end = endInstant(endDateFor('2026-01-30', 7), start)!;
    expect(end.getTime() - start.getTime()).toBe(7 * 86_400_000);
  });

  it('adds whole 24-hour days, also across a daylight saving change', () => {
    const start = new Date(2026, 2, 20, 9, 0);
    const end = endInstant(endDateFor('2026-03-20', 30), start)!;
    expect(end.getTime() - start.getTime()).toBe(30 * 86_400_000);
  });

  it('has no end for "never"', () => {
    expect(endInstant(null, now)).toBeNull();
  });
});

describe('daysBetween', () => {
  it('counts whole days', () => {
    expect(daysBetween('2026-01-30', '2027-01-30')).toBe(365);
    expect(daysBetween('2026-01-30', '2026-01-30')).toBe(0);
  });
});

describe('expiryInstant', () => {
  it('keeps the current time of day on the picked date', () => {
    const current = new Date(2026, 4, 1, 9, 30).toISOString();
    expect(expiryInstant('2026-06-15', current)).toBe(new Date(2026, 5, 15, 9, 30).toISOString());
  });

  it('ends at the end of the picked day when the license had no end', () => {
    expect(expiryInstant('2026-06-15', null)).toBe(new Date(2026, 5, 15, 23, 59, 59).toISOString());
  });
});
