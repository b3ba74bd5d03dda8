import { describe, expect, it } from 'vitest';
import {
  afterBound,
  beforeBound,
  hasActiveFilters,
  parseLicenseFilters,
  pickerDate,
  toApiQuery,
} from './license-filters.ts';

const ACCOUNT = '7f1c2b9e-1a2b-4c3d-8e9f-0a1b2c3d4e5f';

describe('parseLicenseFilters', () => {
  it('reads a Home counter link', () => {
    const f = parseLicenseFilters(
      new URLSearchParams('status=active,expiring&type=trial&expiresBefore=2026-02-06T10:00:00.000Z&sort=endsAt'),
    );
    expect(f.status).toEqual(['active', 'expiring']);
    expect(f.type).toBe('trial');
    expect(f.expiresBefore).toBe('2026-02-06T10:00:00.000Z');
    expect(f.sort).toBe('endsAt');
    expect(hasActiveFilters(f)).toBe(true);
  });

  it('drops unknown values instead of sending them to the API', () => {
    const f = parseLicenseFilters(new URLSearchParams('status=active,nope,active&type=x&accountId=1&sort=name'));
    expect(f.status).toEqual(['active']);
    expect(f.type).toBeNull();
    expect(f.accountId).toBeNull();
    expect(f.sort).toBe('-createdAt');
  });

  it('has no active filters for an empty query', () => {
    expect(hasActiveFilters(parseLicenseFilters(new URLSearchParams('sort=endsAt')))).toBe(false);
  });
});

describe('toApiQuery', () => {
  it('maps the filters to GET /v1/licenses parameters', () => {
    const f = parseLicenseFilters(new URLSearchParams(`status=expiring&accountId=${ACCOUNT}&q=%20acme%20`));
    expect(toApiQuery(f)).toEqual({
      status: 'expiring',
      productId: undefined,
      planId: undefined,
      accountId: ACCOUNT,
      type: undefined,
      expiresBefore: undefined,
      expiresAfter: undefined,
      q: 'acme',
      sort: '-createdAt',
    });
  });
});

describe('date bounds', () => {
  it('makes a picked "before" day inclusive (next local midnight)', () => {
    expect(beforeBound('2026-03-03')).toBe(new Date(2026, 2, 4).toISOString());
  });

  it('makes a picked "after" day inclusive (just before its midnight)', () => {
    expect(afterBound('2026-03-03')).toBe(new Date(new Date(2026, 2, 3).getTime() - 1).toISOString());
  });

  it('passes exact instants through', () => {
    expect(beforeBound('2026-02-06T10:00:00.000Z')).toBe('2026-02-06T10:00:00.000Z');
    expect(afterBound(null)).toBeUndefined();
  });

  it('shows instants as their day in the picker', () => {
    expect(pickerDate('2026-03-03')).toBe('2026-03-03');
    expect(pickerDate(new Date(2026, 2, 3, 12).toISOString())).toBe('2026-03-03');
  });
});
