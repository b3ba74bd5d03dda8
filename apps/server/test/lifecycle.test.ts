import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../src/platform/clock.ts';
import { dbKind, startTestApp, type TestApp } from './harness.ts';

/**
 * The account team's whole story, only through the HTTP API (setup included), with the injected clock:
 * product → trial plan → account → trial license → validate → +7 days → renew → suspend → reinstate → revoke,
 * plus pending, grace and every expiration strategy.
 */
describe(`license lifecycle end to end (${dbKind})`, () => {
  let t: TestApp;
  let productId: string;
  let accountId: string;

  const post = async (url: string, payload?: object, expected = [200, 201]) => {
    const res = await t.request({ method: 'POST', url, ...(payload ? { payload } : {}) });
    if (!expected.includes(res.statusCode)) throw new Error(`${url} → ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const validate = async (key: string, scope?: object) =>
    post('/v1/licenses/validate-key', { key, ...(scope ? { scope } : {}), nonce: 7 });
  const plan = (name: string, extra: object) =>
    post('/v1/plans', { productId, name, licenseType: 'subscription', durationDays: 30, graceDays: 5, ...extra });

  beforeAll(async () => {
    t = await startTestApp({
      configOverrides: { rateLimit: { perIp: 1_000_000, perKey: 1_000_000, windowSeconds: 60 } },
    });
    productId = (await post('/v1/products', { code: 'LIFE', name: 'Lifecycle Suite' })).id;
    accountId = (await post('/v1/accounts', { name: 'Initech', crmId: 'CRM-LIFE-1', emailDomains: ['initech.test'] }))
      .id;
  });
  afterAll(async () => t?.close());

  it('trial issued → validate → +7 days → renew → suspend → reinstate → revoke', async () => {
    const trial = await plan('Trial', { licenseType: 'trial', durationDays: 14, graceDays: 0 });
    const issued = await post('/v1/licenses', { planId: trial.id, accountId });
    const start = t.clock.now();
    expect(issued).toMatchObject({ licenseType: 'trial', status: 'expiring', maxMachines: null });
    expect(issued.endsAt).toBe(addDays(start, 14).toISOString());

    let v = await validate(issued.key);
    expect(v).toMatchObject({ valid: true, code: 'VALID', meta: { nonce: 7 } });
    expect(v.license.id).toBe(issued.id);

    const extended = await post(`/v1/licenses/${issued.id}/actions/extend`, { days: 7 });
    expect(new Date(extended.endsAt).getTime() - new Date(issued.endsAt).getTime()).toBe(7 * 86_400_000);

    const renewed = await post(`/v1/licenses/${issued.id}/actions/renew`);
    expect(renewed.endsAt).toBe(addDays(new Date(extended.endsAt), 14).toISOString());

    await post(`/v1/licenses/${issued.id}/actions/suspend`);
    v = await validate(issued.key);
    expect(v).toMatchObject({ valid: false, code: 'SUSPENDED' });

    await post(`/v1/licenses/${issued.id}/actions/reinstate`);
    expect((await validate(issued.key)).code).toBe('VALID');

    const revoked = await post(`/v1/licenses/${issued.id}/actions/revoke`);
    expect(revoked.status).toBe('revoked');
    expect(await validate(issued.key)).toMatchObject({ valid: false, code: 'REVOKED' });
    await post(`/v1/licenses/${issued.id}/actions/reinstate`, undefined, [409]);

    const audit = (await t.request({ method: 'GET', url: `/v1/licenses/${issued.id}/audit-events?limit=50` })).json();
    expect(audit.data.map((e: { action: string }) => e.action).reverse()).toEqual([
      'license.created',
      'license.extended',
      'license.renewed',
      'license.suspended',
      'license.reinstated',
      'license.revoked',
    ]);
  });

  it('pending, active, in grace and expired as the clock moves; renew after expiry starts from now', async () => {
    const monthly = await plan('Monthly', {});
    const startsAt = addDays(t.clock.now(), 2).toISOString();
    const license = await post('/v1/licenses', { planId: monthly.id, accountId, startsAt });
    expect(license.status).toBe('pending');
    expect((await validate(license.key)).code).toBe('NOT_YET_VALID');

    t.clock.advanceDays(3);
    expect((await validate(license.key)).code).toBe('VALID');

    t.clock.set(addDays(new Date(license.endsAt), 1));
    expect(await validate(license.key)).toMatchObject({ valid: true, code: 'IN_GRACE_PERIOD' });
    const inGrace = (await t.request({ method: 'GET', url: `/v1/licenses/${license.id}` })).json();
    expect(inGrace.status).toBe('in_grace');

    t.clock.set(addDays(new Date(license.endsAt), 6));
    expect(await validate(license.key)).toMatchObject({ valid: false, code: 'EXPIRED' });

    const now = t.clock.now();
    const renewed = await post(`/v1/licenses/${license.id}/actions/renew`);
    expect(renewed.endsAt).toBe(addDays(now, 30).toISOString());
    expect(renewed.status).toBe('expiring');
    expect((await validate(license.key)).code).toBe('VALID');
  });

  it.each([
    ['restrict', false, 403],
    ['revoke', false, 403],
    ['maintain', true, 201],
    ['allow', true, 201],
  ] as const)('expiration strategy %s: valid=%s after grace; activation → %i', async (strategy, valid, activation) => {
    const p = await plan(`Strategy ${strategy}`, { expirationStrategy: strategy, maxMachines: 2 });
    const license = await post('/v1/licenses', { planId: p.id, accountId });
    const before = t.clock.now();
    t.clock.set(addDays(new Date(license.endsAt), 10));

    const v = await validate(license.key);
    expect(v).toMatchObject({ valid, code: 'EXPIRED' });
    if (strategy === 'maintain') {
      const newer = await validate(license.key, { releasedAt: addDays(new Date(license.endsAt), 1).toISOString() });
      expect(newer).toMatchObject({ valid: false, code: 'EXPIRED' });
      const older = await validate(license.key, { releasedAt: addDays(new Date(license.endsAt), -1).toISOString() });
      expect(older).toMatchObject({ valid: true, code: 'EXPIRED' });
    }
    const res = await t.request({
      method: 'POST',
      url: '/v1/machines/activate',
      payload: { key: license.key, fingerprint: `fp-${strategy}` },
      token: null,
    });
    expect(res.statusCode).toBe(activation);
    if (activation === 403) expect(res.json().error.code).toBe('LICENSE_EXPIRED');
    t.clock.set(before);
  });
});
