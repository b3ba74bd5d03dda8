import { type LicenseFilePayload, verifyLicenseFile } from '@keyward/sdk';
import { FlagEngine } from '@keyward/sdk/flags';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { clientCall, createLicense, type Fixture, NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { createFlag, setToggle } from '../flags/test-fixtures.ts';
import { createProperty, setPlanValue } from '../properties/test-fixtures.ts';
import { adminCheckOut, certificateOf } from './test-fixtures.ts';

/**
 * License files carry what the license may do (docs/license-files.md, "Entitlements and flags"): the entitlements
 * state of the check call at check-out time, with usage, and the flag definitions narrowed to this license, which the
 * SDK's engine evaluates offline to the same answers as the server.
 */
describe(`license files: entitlements and flags for offline use (${dbKind})`, () => {
  let t: TestApp;
  let mine: Fixture;
  let other: Fixture;

  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    mine = await createLicense(t);
    other = await createLicense(t, { product: mine.product });
    const calls = await createProperty(t, {
      productId: mine.product.id,
      key: 'api_calls',
      name: 'API calls',
      type: 'number',
      metered: true,
      enforcement: 'hard',
      resetPeriod: 'monthly',
      defaultValue: 10,
    });
    await setPlanValue(t, mine.planId, calls.id, { value: 1000 });
    await createProperty(t, { productId: mine.product.id, key: 'sso', name: 'SSO', type: 'boolean' });
    // Off by the rules for everyone; switched on for `mine` only by the account team.
    const beta = await createFlag(t, {
      productId: mine.product.id,
      key: 'beta-editor',
      enabled: true,
      strategies: [{ name: 'default', constraints: [{ contextName: 'region', operator: 'IN', values: ['mars'] }] }],
    });
    await setToggle(t, beta.id, 'license', mine.licenseId, true, 'pilot customer');
    await setToggle(t, beta.id, 'license', other.licenseId, false, 'not this one');
    await createFlag(t, {
      productId: mine.product.id,
      key: 'half',
      enabled: true,
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'userId', groupId: 'half' } }],
    });
    const used = await clientCall(t, '/v1/client/usage', { key: mine.key, property: 'api_calls', amount: 7 });
    expect(used.statusCode, used.body).toBe(200);
  });
  afterAll(async () => t.close());

  const checkOut = async (f: Fixture): Promise<LicenseFilePayload> => {
    const certificate = certificateOf(await adminCheckOut(t, f.licenseId));
    const result = await verifyLicenseFile(certificate, {
      publicKeys: (await t.request({ method: 'GET', url: '/v1/keys', token: null })).json(),
      licenseKey: f.key,
      now: t.clock.now(),
    });
    if (!result.valid) throw new Error(`license file did not verify: ${result.reason}`);
    return result.payload;
  };

  it('embeds the entitlements state of the check call, usage included', async () => {
    const payload = await checkOut(mine);
    const check = await t.request({ method: 'GET', url: `/v1/licenses/${mine.licenseId}/entitlements` });
    expect(check.statusCode, check.body).toBe(200);
    expect(payload.entitlements).toEqual(check.json());
    const calls = payload.entitlements?.properties.find((p) => p.key === 'api_calls');
    expect(calls).toMatchObject({ value: 1000, source: { kind: 'plan' }, enforcement: 'hard' });
    expect(calls?.usage).toMatchObject({ used: 7, limit: 1000, remaining: 993, status: 'ok', resetPeriod: 'monthly' });
    expect(payload.entitlements?.flags.find((f) => f.key === 'beta-editor')).toMatchObject({ enabled: true });
  });

  it("carries only this customer's toggles, and the SDK engine offline agrees with the server", async () => {
    const payload = await checkOut(mine);
    const bundle = payload.flags;
    expect(bundle?.context).toMatchObject({ licenseId: mine.licenseId, accountId: mine.accountId });
    // The other license's toggle id is nowhere in this file.
    expect(JSON.stringify(bundle)).not.toContain(other.licenseId);
    const engine = new FlagEngine({ features: bundle?.features ?? [], segments: bundle?.segments ?? [] });
    for (const userId of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6', 'u7', 'u8']) {
      const context = { userId, properties: bundle?.context };
      const online = await clientCall(t, '/v1/client/flags', { key: mine.key, context: { userId } });
      expect(online.statusCode, online.body).toBe(200);
      for (const flag of online.json().evaluated as Array<{ key: string; enabled: boolean }>) {
        expect({ userId, flag: flag.key, enabled: engine.isEnabled(flag.key, context) }).toEqual({
          userId,
          flag: flag.key,
          enabled: flag.enabled,
        });
      }
    }
    expect(engine.evaluate('beta-editor', { properties: bundle?.context })).toMatchObject({
      enabled: true,
      reason: 'TARGETING_MATCH',
    });
    const otherPayload = await checkOut(other);
    const otherEngine = new FlagEngine({
      features: otherPayload.flags?.features ?? [],
      segments: otherPayload.flags?.segments ?? [],
    });
    expect(otherEngine.isEnabled('beta-editor', { properties: otherPayload.flags?.context })).toBe(false);
    expect(otherPayload.entitlements?.properties.find((p) => p.key === 'api_calls')?.usage?.used).toBe(0);
  });
});
