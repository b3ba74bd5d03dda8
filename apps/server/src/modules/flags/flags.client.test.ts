import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { clientCall, createLicense, type Fixture, NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { createFlag, createSegment, errorOf, rollout, setToggle } from './test-fixtures.ts';

describe(`client API: POST /v1/client/flags (${dbKind})`, () => {
  let t: TestApp;
  let lic: Fixture;
  const call = (payload: Record<string, unknown>) => clientCall(t, '/v1/client/flags', payload);

  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    lic = await createLicense(t);
    const segment = await createSegment(t, {
      productId: lic.product.id,
      name: 'Office network',
      constraints: [{ contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['203.0.113.0/24'] }],
    });
    await createFlag(t, { productId: lic.product.id, key: 'everyone', enabled: true });
    await createFlag(t, {
      productId: lic.product.id,
      key: 'office-only',
      enabled: true,
      strategies: [{ name: 'default', segments: [segment.id] }],
    });
    const pilot = await createFlag(t, {
      productId: lic.product.id,
      key: 'pilot',
      enabled: true,
      strategies: [rollout(0)],
      variants: [{ name: 'v1', weight: 1000, payload: { type: 'string', value: 'hello' } }],
    });
    await setToggle(t, pilot.id, 'license', lic.licenseId, true, 'pilot customer');
  });
  afterAll(async () => t.close());

  it('answers the bundle (toggles narrowed, context) and the evaluated flags, signed', async () => {
    const res = await call({ key: lic.key, context: { userId: 'u-1' }, nonce: 'n-1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['keyward-signature']).toBeTruthy();
    const body = res.json();
    expect(body.context).toMatchObject({
      licenseId: lic.licenseId,
      accountId: lic.accountId,
      product: lic.product.code,
    });
    expect(body.features.map((f: { name: string }) => f.name)).toEqual(['everyone', 'office-only', 'pilot']);
    expect(body.segments).toEqual([expect.objectContaining({ constraints: expect.any(Array) })]);
    const pilot = body.features.find((f: { name: string }) => f.name === 'pilot');
    expect(pilot.strategies[0]).toMatchObject({
      id: 'keyward:license-on',
      constraints: [{ contextName: 'licenseId', operator: 'IN', values: [lic.licenseId] }],
    });
    // remoteAddress defaults to the caller's address (203.0.113.7, in the office segment).
    expect(body.evaluated).toEqual([
      { key: 'everyone', enabled: true, reason: 'STATIC', variant: expect.objectContaining({ name: 'disabled' }) },
      { key: 'office-only', enabled: true, reason: 'TARGETING_MATCH', variant: expect.any(Object) },
      {
        key: 'pilot',
        enabled: true,
        reason: 'TARGETING_MATCH',
        variant: { name: 'v1', enabled: true, featureEnabled: true, payload: { type: 'string', value: 'hello' } },
      },
    ]);
    const elsewhere = await call({ key: lic.key, context: { remoteAddress: '198.51.100.1' } });
    expect(elsewhere.json().evaluated[1]).toMatchObject({ key: 'office-only', enabled: false, reason: 'DEFAULT' });
  });

  it('refuses unknown, mistyped, suspended keys and machines that are not activated', async () => {
    expect(errorOf(await call({ key: 'NOPE-0000' })).status).toBeGreaterThanOrEqual(400);
    const typo = `${lic.key.slice(0, -1)}${lic.key.endsWith('A') ? 'B' : 'A'}`;
    expect(errorOf(await call({ key: typo })).status).toBeLessThan(500);
    expect(errorOf(await call({ key: lic.key, fingerprint: 'nope' }))).toMatchObject({
      status: 422,
      code: 'MACHINE_NOT_FOUND',
    });
    const suspended = await createLicense(t, { product: lic.product, license: { suspended: true } });
    expect(errorOf(await call({ key: suspended.key }))).toMatchObject({ status: 403, code: 'LICENSE_SUSPENDED' });
    expect(errorOf(await call({ key: lic.key, context: { properties: { n: { x: 1 } } } })).status).toBe(400);
  });
});
