import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { ManualClock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { Metrics } from '../../platform/metrics.ts';
import { luhnCheckSymbol } from '../licenses/license-key.ts';
import { activate, createLicense, NO_RATE_LIMIT, validate } from './test-fixtures.ts';
import { ValidationService } from './validation.service.ts';
import { ValidationStats } from './validation-stats.ts';

/** The key with its first random symbol changed: same shape, wrong check symbol. */
function typo(key: string): string {
  const [code, ...groups] = key.split('-');
  const first = groups[0]!;
  const swapped = (first[0] === 'A' ? 'B' : 'A') + first.slice(1);
  return [code, swapped, ...groups.slice(1)].join('-');
}

describe(`validate-key (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  it('answers VALID with the license, echoing nonce and scope with the server time', async () => {
    const f = await createLicense(t, {
      plan: { entitlements: ['SSO'] },
      license: { entitlements: ['API'], domains: ['acme.io'] },
    });
    const res = await validate(t, { key: f.key, nonce: 'n-1', scope: { product: f.product.code } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      valid: true,
      code: 'VALID',
      detail: 'The license is valid',
      meta: { ts: t.clock.now().toISOString(), nonce: 'n-1', scope: { product: f.product.code } },
    });
    expect(body.license).toMatchObject({
      id: f.licenseId,
      key: f.key,
      productId: f.product.id,
      productCode: f.product.code,
      type: 'subscription',
      status: 'expiring',
      maxMachines: 3,
      machineCount: 0,
      domains: ['acme.io'],
      entitlements: ['API', 'SSO'],
      accountId: f.accountId,
      graceEndsAt: body.license.expiresAt,
      maintenanceEndsAt: null,
    });
    expect(body.license.accountName).toMatch(/^Account /);
    expect(body.license.planName).toMatch(/^Plan /);

    const intNonce = (await validate(t, { key: f.key, nonce: 42 })).json();
    expect(intNonce.meta).toEqual({ ts: t.clock.now().toISOString(), nonce: 42, scope: null });
    const strNonce = (await validate(t, { key: f.key, nonce: '42' })).json();
    expect(strNonce.meta.nonce).toBe('42');
  });

  it('accepts a lower-case, spaced key and answers MALFORMED_KEY for a typo, NOT_FOUND for an unknown key', async () => {
    const f = await createLicense(t);
    const sloppy = ` ${f.key.toLowerCase().replace(/-/g, ' - ')} `;
    expect((await validate(t, { key: sloppy })).json()).toMatchObject({ valid: true, code: 'VALID' });

    const bad = (await validate(t, { key: typo(f.key) })).json();
    expect(bad).toMatchObject({ valid: false, code: 'MALFORMED_KEY', license: null });

    const random = 'ZZZZZZ'.repeat(4) + 'ZZZZZ';
    const unknownKey = `${f.product.code}-${random.match(/.{6}|.+$/g)!.join('-')}`.replace(
      /Z$/,
      luhnCheckSymbol(random),
    );
    const notFound = (await validate(t, { key: unknownKey })).json();
    expect(notFound).toMatchObject({ valid: false, code: 'NOT_FOUND', license: null });
    expect((await validate(t, { key: 'imported-legacy-key' })).json().code).toBe('NOT_FOUND');
  });

  it('decides MALFORMED_KEY without touching the database', async () => {
    const f = await createLicense(t);
    const noDb = new Proxy({} as Db, {
      get() {
        throw new Error('the database must not be used');
      },
    });
    const service = new ValidationService({
      db: noDb,
      clock: new ManualClock(),
      metrics: new Metrics(),
      stats: new ValidationStats({ db: noDb }),
      expiringWindowDays: 30,
    });
    const result = await service.validate({ key: typo(f.key) });
    expect(result).toMatchObject({ valid: false, code: 'MALFORMED_KEY', license: null });
  });

  it('answers REVOKED, SUSPENDED and NOT_YET_VALID', async () => {
    const revoked = await createLicense(t, { license: { revoked: true, suspended: true } });
    expect((await validate(t, { key: revoked.key })).json()).toMatchObject({ valid: false, code: 'REVOKED' });
    const suspended = await createLicense(t, { license: { suspended: true } });
    const s = (await validate(t, { key: suspended.key })).json();
    expect(s).toMatchObject({ valid: false, code: 'SUSPENDED', license: { status: 'suspended' } });
    const later = await createLicense(t, { license: { starts_at: new Date(t.clock.now().getTime() + 3_600_000) } });
    const l = (await validate(t, { key: later.key })).json();
    expect(l).toMatchObject({ valid: false, code: 'NOT_YET_VALID', license: { status: 'pending' } });
  });

  it('applies each expiration strategy and the grace period as the clock moves', async () => {
    const clock = t.clock;
    const start = clock.now();
    const end = new Date(start.getTime() + 10 * 86_400_000);
    const make = (strategy: 'restrict' | 'revoke' | 'maintain' | 'allow', grace = 0) =>
      createLicense(t, { plan: { expiration_strategy: strategy, grace_days: grace }, license: { ends_at: end } });
    const restrict = await make('restrict', 5);
    const revoke = await make('revoke');
    const maintain = await make('maintain');
    const allow = await make('allow');
    try {
      clock.set(new Date(end.getTime() + 2 * 86_400_000));
      const inGrace = (await validate(t, { key: restrict.key })).json();
      expect(inGrace).toMatchObject({ valid: true, code: 'IN_GRACE_PERIOD', license: { status: 'in_grace' } });
      expect(inGrace.license.graceEndsAt).toBe(new Date(end.getTime() + 5 * 86_400_000).toISOString());

      clock.set(new Date(end.getTime() + 6 * 86_400_000));
      const codes = async (key: string, scope?: object) => {
        const b = (await validate(t, { key, scope })).json();
        return `${b.code}:${b.valid}`;
      };
      expect(await codes(restrict.key)).toBe('EXPIRED:false');
      expect(await codes(revoke.key)).toBe('EXPIRED:false');
      expect(await codes(maintain.key)).toBe('EXPIRED:true');
      expect(await codes(maintain.key, { releasedAt: new Date(end.getTime() - 1000).toISOString() })).toBe(
        'EXPIRED:true',
      );
      expect(await codes(maintain.key, { releasedAt: new Date(end.getTime() + 1000).toISOString() })).toBe(
        'EXPIRED:false',
      );
      expect(await codes(allow.key, { releasedAt: clock.now().toISOString() })).toBe('EXPIRED:true');
      expect(await codes(allow.key, { product: 'NOPE' })).toBe('PRODUCT_SCOPE_MISMATCH:false');
    } finally {
      clock.set(start);
    }
  });

  it('checks product and maintenance scopes', async () => {
    const maintenanceEnd = new Date(t.clock.now().getTime() - 86_400_000);
    const f = await createLicense(t, { license: { maintenance_ends_at: maintenanceEnd } });
    const code = async (scope: object) => (await validate(t, { key: f.key, scope })).json().code;
    expect(await code({ product: f.product.id })).toBe('VALID');
    expect(await code({ product: f.product.code.toLowerCase() })).toBe('VALID');
    expect(await code({ product: 'OTHER' })).toBe('PRODUCT_SCOPE_MISMATCH');
    expect(await code({ releasedAt: new Date(maintenanceEnd.getTime() - 1).toISOString() })).toBe('VALID');
    expect(await code({ releasedAt: t.clock.now().toISOString() })).toBe('MAINTENANCE_EXPIRED');
  });

  it('checks the fingerprint scope, heartbeats and the seat count', async () => {
    const f = await createLicense(t, { plan: { require_fingerprint: true, heartbeat_interval_seconds: 600 } });
    const code = async (scope?: object) => (await validate(t, { key: f.key, scope })).json().code;
    expect(await code()).toBe('FINGERPRINT_SCOPE_REQUIRED');
    expect(await code({ fingerprint: 'fp-1' })).toBe('NO_MACHINE');
    expect((await activate(t, { key: f.key, fingerprint: 'fp-1' })).statusCode).toBe(201);
    expect(await code({ fingerprint: 'fp-2' })).toBe('FINGERPRINT_SCOPE_MISMATCH');
    const ok = (await validate(t, { key: f.key, scope: { fingerprint: 'fp-1' } })).json();
    expect(ok).toMatchObject({ valid: true, code: 'VALID', license: { machineCount: 1 } });

    t.clock.advanceSeconds(601);
    const dead = (await validate(t, { key: f.key, scope: { fingerprint: 'fp-1' } })).json();
    expect(dead).toMatchObject({ valid: false, code: 'HEARTBEAT_DEAD', license: { machineCount: 0 } });

    const seats = await createLicense(t);
    for (const fp of ['a', 'b', 'c']) {
      expect((await activate(t, { key: seats.key, fingerprint: fp })).statusCode).toBe(201);
    }
    await t.kw.database.db.updateTable('licenses').set({ max_machines: 2 }).where('id', '=', seats.licenseId).execute();
    const tooMany = (await validate(t, { key: seats.key, scope: { fingerprint: 'a' } })).json();
    expect(tooMany).toMatchObject({
      valid: false,
      code: 'TOO_MANY_MACHINES',
      license: { maxMachines: 2, machineCount: 3 },
    });
  });

  it('checks domain and entitlement scopes', async () => {
    const f = await createLicense(t, {
      plan: { require_domain: true, entitlements: ['SSO'] },
      license: { domains: ['example.com'], entitlements: ['EXPORT'] },
    });
    const code = async (scope?: object) => (await validate(t, { key: f.key, scope })).json().code;
    expect(await code()).toBe('DOMAIN_SCOPE_REQUIRED');
    expect(await code({ domain: 'evil.com' })).toBe('DOMAIN_SCOPE_MISMATCH');
    expect(await code({ domain: 'app.example.com' })).toBe('VALID');
    expect(await code({ domain: 'example.com', entitlements: ['SSO', 'EXPORT'] })).toBe('VALID');
    expect(await code({ domain: 'example.com', entitlements: ['SSO', 'AUDIT'] })).toBe('ENTITLEMENTS_MISSING');
  });

  it('counts validations in memory and flushes them; counts metrics by code', async () => {
    const f = await createLicense(t);
    for (let i = 0; i < 3; i++) await validate(t, { key: f.key });
    t.clock.advanceSeconds(5);
    await validate(t, { key: f.key, scope: { product: 'NOPE' } });
    await t.kw.services.validation.flushStatistics();
    const row = await t.kw.database.db
      .selectFrom('licenses')
      .select(['validation_count', 'last_validated_at'])
      .where('id', '=', f.licenseId)
      .executeTakeFirstOrThrow();
    expect(Number(row.validation_count)).toBe(4);
    expect(row.last_validated_at?.toISOString()).toBe(t.clock.now().toISOString());
    const metrics = await t.kw.metrics.registry.metrics();
    expect(metrics).toMatch(/keyward_license_validations_total\{code="VALID",valid="true"\} \d+/);
    expect(metrics).toMatch(/keyward_license_validations_total\{code="PRODUCT_SCOPE_MISMATCH",valid="false"\} \d+/);
  });

  it('rejects bad input with 400 and field details', async () => {
    const cases: [unknown, string][] = [
      [{}, '/body/key'],
      [{ key: '' }, '/body/key'],
      [{ key: 'x'.repeat(513) }, '/body/key'],
      [{ key: 'K', extra: 1 }, '/body/extra'],
      [{ key: 'K', nonce: 'n'.repeat(129) }, '/body/nonce'],
      [{ key: 'K', nonce: { a: 1 } }, '/body/nonce'],
      [{ key: 'K', scope: { domain: 'not a host!' } }, '/body/scope/domain'],
      [{ key: 'K', scope: { releasedAt: 'yesterday' } }, '/body/scope/releasedAt'],
      [{ key: 'K', scope: { fingerprint: '' } }, '/body/scope/fingerprint'],
      [{ key: 'K', scope: { entitlements: [{ code: 'SSO' }] } }, '/body/scope/entitlements/0'],
      [{ key: 'K', scope: { color: 'red' } }, '/body/scope/color'],
    ];
    for (const [payload, field] of cases) {
      const res = await validate(t, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      const fields = res.json().error.details.map((d: { field: string }) => d.field);
      expect(fields, JSON.stringify(payload)).toContain(field);
    }
    const notJson = await t.request({
      method: 'POST',
      url: '/v1/licenses/validate-key',
      token: null,
      headers: { 'content-type': 'application/json' },
      payload: '{"key":',
    });
    expect(notJson.statusCode).toBe(400);
  });
});

describe(`validation statistics on close (${dbKind})`, () => {
  it('flushes buffered counts when the app closes', async () => {
    const t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    try {
      const f = await createLicense(t);
      await validate(t, { key: f.key });
      await validate(t, { key: f.key });
      await t.kw.app.close();
      const row = await t.kw.database.db
        .selectFrom('licenses')
        .select('validation_count')
        .where('id', '=', f.licenseId)
        .executeTakeFirstOrThrow();
      expect(Number(row.validation_count)).toBe(2);
    } finally {
      await t.testDb.drop();
    }
  });
});
