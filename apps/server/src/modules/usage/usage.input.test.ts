import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { DAY_MS } from '../../platform/clock.ts';
import { NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { generateLicenseKey } from '../licenses/license-key.ts';
import { addProperty, adminMeter, eventsOf, meteredLicense, report } from './test-fixtures.ts';

describe(`usage metering: bad input and refused licenses (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const errorOf = (res: { statusCode: number; json(): { error?: { code: string } } }) => ({
    status: res.statusCode,
    code: res.json().error?.code,
  });

  it('rejects malformed bodies with 400 and field details, counting nothing', async () => {
    const f = await meteredLicense(t);
    const base = { key: f.key, property: 'api_calls' };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['negative amount', { ...base, amount: -1 }, '/body/amount'],
      ['fractional amount', { ...base, amount: 1.5 }, '/body/amount'],
      ['amount above 10^12', { ...base, amount: 1_000_000_000_001 }, '/body/amount'],
      ['amount as text', { ...base, amount: 'many' }, '/body/amount'],
      ['unknown op', { ...base, op: 'multiply' }, '/body/op'],
      ['op reset (admin only)', { ...base, op: 'reset' }, '/body/op'],
      ['idempotency key of 201 characters', { ...base, idempotencyKey: 'k'.repeat(201) }, '/body/idempotencyKey'],
      ['empty idempotency key', { ...base, idempotencyKey: '' }, '/body/idempotencyKey'],
      ['property key with capitals', { ...base, property: 'API_CALLS' }, '/body/property'],
      ['missing property', { key: f.key }, '/body/property'],
      ['missing key', { property: 'api_calls' }, '/body/key'],
      ['unknown field', { ...base, extra: true }, '/body'],
    ];
    for (const [label, body, field] of cases) {
      const res = await report(t, body);
      expect({ label, status: res.statusCode, code: res.json().error.code }).toEqual({
        label,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
      expect(
        res
          .json()
          .error.details.map((d: { field: string }) => d.field)
          .join(' '),
      ).toContain(field);
    }
    const admin = await adminMeter(t, f, { amount: -5 });
    expect(errorOf(admin)).toEqual({ status: 400, code: 'VALIDATION_FAILED' });
    expect(await eventsOf(t, f.licenseId)).toEqual([]);
  });

  it('accepts an idempotency key of exactly 200 characters', async () => {
    const f = await meteredLicense(t);
    const res = await report(t, { key: f.key, property: 'api_calls', idempotencyKey: 'k'.repeat(200) });
    expect(res.statusCode).toBe(200);
  });

  it('refuses unknown or unmetered properties: 404 PROPERTY_NOT_FOUND, 422 PROPERTY_NOT_METERED', async () => {
    const f = await meteredLicense(t);
    await addProperty(t, f.product.id, { key: 'sso', type: 'boolean' });
    await addProperty(t, f.product.id, { key: 'max_users', metered: false });
    // A property of another product is unknown for this license.
    const other = await meteredLicense(t, { key: 'exports' });
    expect(errorOf(await report(t, { key: f.key, property: 'nope' }))).toEqual({
      status: 404,
      code: 'PROPERTY_NOT_FOUND',
    });
    expect(errorOf(await report(t, { key: f.key, property: 'exports' }))).toEqual({
      status: 404,
      code: 'PROPERTY_NOT_FOUND',
    });
    expect(errorOf(await report(t, { key: other.key, property: 'exports' }))).toEqual({ status: 200, code: undefined });
    for (const property of ['sso', 'max_users']) {
      const res = await report(t, { key: f.key, property });
      expect(errorOf(res)).toEqual({ status: 422, code: 'PROPERTY_NOT_METERED' });
    }
  }, 30_000);

  it('refuses keys that are mistyped, unknown, revoked, suspended, not yet valid or expired', async () => {
    const f = await meteredLicense(t);
    const i = f.key.indexOf('-') + 1; // the first character after the product prefix
    const typo = f.key.slice(0, i) + (f.key[i] === 'A' ? 'B' : 'A') + f.key.slice(i + 1);
    expect(errorOf(await report(t, { key: typo, property: 'api_calls' }))).toEqual({
      status: 400,
      code: 'MALFORMED_KEY',
    });
    expect(errorOf(await report(t, { key: generateLicenseKey(f.product.code), property: 'api_calls' }))).toEqual({
      status: 404,
      code: 'LICENSE_NOT_FOUND',
    });
    const now = t.clock.now().getTime();
    const cases: Array<[string, Parameters<typeof meteredLicense>[1], string]> = [
      ['revoked', { license: { revoked: true } }, 'LICENSE_REVOKED'],
      ['suspended', { license: { suspended: true } }, 'LICENSE_SUSPENDED'],
      ['not yet valid', { license: { starts_at: new Date(now + DAY_MS) } }, 'LICENSE_NOT_YET_VALID'],
      [
        'expired, strategy revoke',
        {
          plan: { expiration_strategy: 'revoke', grace_days: 0 },
          license: { starts_at: new Date(now - 40 * DAY_MS), ends_at: new Date(now - DAY_MS) },
        },
        'LICENSE_EXPIRED',
      ],
    ];
    for (const [label, opts, code] of cases) {
      const g = await meteredLicense(t, opts);
      for (const op of ['increment', 'decrement', 'set']) {
        const res = await report(t, { key: g.key, property: 'api_calls', op });
        expect({ label, op, ...errorOf(res) }).toEqual({ label, op, status: 403, code });
      }
      expect(await eventsOf(t, g.licenseId)).toEqual([]);
    }
  }, 30_000);

  it('an expired license under restrict may release usage but not consume more', async () => {
    const now = t.clock.now().getTime();
    const f = await meteredLicense(t, {
      plan: { expiration_strategy: 'restrict', grace_days: 0 },
      license: { starts_at: new Date(now - 40 * DAY_MS), ends_at: new Date(now - DAY_MS) },
    });
    expect(errorOf(await report(t, { key: f.key, property: 'api_calls' }))).toEqual({
      status: 403,
      code: 'LICENSE_EXPIRED',
    });
    const release = await report(t, { key: f.key, property: 'api_calls', op: 'decrement' });
    expect(release.statusCode).toBe(200);
    // Within grace, or under allow/maintain, usage goes on.
    const allow = await meteredLicense(t, {
      plan: { expiration_strategy: 'allow', grace_days: 0 },
      license: { starts_at: new Date(now - 40 * DAY_MS), ends_at: new Date(now - DAY_MS) },
    });
    expect((await report(t, { key: allow.key, property: 'api_calls' })).statusCode).toBe(200);
  });
});
