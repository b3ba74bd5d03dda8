import type { AddressInfo } from 'node:net';
import { KeywardClient } from '@keyward/sdk';
import { KeywardProvider } from '@keyward/sdk/openfeature';
import { ErrorCode, OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLicense, type Fixture, NO_RATE_LIMIT } from '../src/modules/client/test-fixtures.ts';
import { createFlag, patchFlag, rollout, setToggle } from '../src/modules/flags/test-fixtures.ts';
import { createProperty, setPlanValue } from '../src/modules/properties/test-fixtures.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { dbKind, startTestApp, type TestApp } from './harness.ts';

// The SDK's entitlements, usage and flags calls and its OpenFeature provider against the real app over HTTP.
let t: TestApp;
let baseUrl: string;
let lic: Fixture;
let killedId: string;

beforeAll(async () => {
  t = await startTestApp({ clock: new ManualClock(new Date()), configOverrides: NO_RATE_LIMIT });
  await t.kw.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.kw.app.server.address() as AddressInfo).port}`;
  lic = await createLicense(t);
  const productId = lic.product.id;
  const calls = await createProperty(t, {
    productId,
    key: 'api_calls',
    name: 'API calls',
    type: 'number',
    metered: true,
    enforcement: 'hard',
    unit: 'calls',
  });
  await setPlanValue(t, lic.planId, calls.id, { value: 100 });
  const sso = await createProperty(t, { productId, key: 'sso', name: 'SSO', type: 'boolean' });
  await setPlanValue(t, lic.planId, sso.id, { value: true });

  await createFlag(t, { productId, key: 'everyone', enabled: true });
  killedId = (await createFlag(t, { productId, key: 'killed', enabled: false })).id;
  const pilot = await createFlag(t, {
    productId,
    key: 'pilot',
    enabled: true,
    strategies: [rollout(0)],
    variants: [{ name: 'v1', weight: 1000, payload: { type: 'string', value: 'hello' } }],
  });
  await setToggle(t, pilot.id, 'license', lic.licenseId, true, 'pilot customer');
  await createFlag(t, {
    productId,
    key: 'gold-tier',
    enabled: true,
    strategies: [{ name: 'default', constraints: [{ contextName: 'tier', operator: 'IN', values: ['gold'] }] }],
  });
});
afterAll(async () => {
  await OpenFeature.close();
  await t.close();
});

/** A client on the server's (manual) clock, verifying every signature. */
const sdk = (options: Partial<ConstructorParameters<typeof KeywardClient>[0]> = {}) =>
  new KeywardClient({ baseUrl, licenseKey: lic.key, now: () => t.clock.now().getTime(), ...options });

async function until(check: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe(`SDK entitlements, usage and flags against the real server (${dbKind})`, () => {
  it('reads the entitlements and the flag bundle, signed', async () => {
    const kw = sdk();
    const state = await kw.entitlements();
    const calls = state.properties.find((p) => p.key === 'api_calls');
    expect(calls).toMatchObject({ value: 100, source: { kind: 'plan' }, usage: { used: 0, limit: 100 } });
    const flags = await kw.flags({ context: { userId: 'u-1' } });
    expect(flags.features.map((f) => f.name).sort()).toEqual(['everyone', 'gold-tier', 'killed', 'pilot']);
    expect(flags.context).toMatchObject({ licenseId: lic.licenseId, accountId: lic.accountId });
    expect(flags.evaluated.find((f) => f.key === 'pilot')).toMatchObject({ enabled: true, reason: 'TARGETING_MATCH' });
  });

  it('records usage idempotently: a retry after a lost answer counts once; a hard limit resolves accepted: false', async () => {
    let lost = false;
    // The server counts the first attempt, but its answer never arrives: the client retries with the same key.
    const flaky: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      if (!lost && String(input).endsWith('/v1/client/usage')) {
        lost = true;
        throw new TypeError('socket hang up');
      }
      return res;
    };
    const kw = sdk({ fetch: flaky, sleep: async () => {} });
    const first = await kw.recordUsage('api_calls', { amount: 60 });
    expect(lost).toBe(true);
    expect(first).toMatchObject({ accepted: true, property: 'api_calls', usage: { used: 60, remaining: 40 } });
    const again = await sdk().recordUsage('api_calls', { amount: 60, idempotencyKey: first.idempotencyKey });
    expect(again).toMatchObject({ accepted: true, usage: { used: 60 } });

    const refused = await sdk().recordUsage('api_calls', { amount: 50 });
    expect(refused).toMatchObject({ accepted: false, code: 'USAGE_LIMIT_EXCEEDED', property: 'api_calls' });
    if (!refused.accepted) expect(refused.message).toMatch(/100/);
    const state = await sdk().entitlements();
    expect(state.properties.find((p) => p.key === 'api_calls')?.usage?.used).toBe(60);
    await expect(sdk().recordUsage('nope')).rejects.toMatchObject({ name: 'KeywardError' });
  });
});

describe(`KeywardProvider against the real server (${dbKind})`, () => {
  it('online: flags and entitlement properties through OpenFeature; an admin change arrives by background refresh', async () => {
    const provider = new KeywardProvider({ online: { client: sdk() }, refreshIntervalMs: 50 });
    const client = OpenFeature.getClient('server-online');
    const changed: unknown[] = [];
    client.addHandler(ProviderEvents.ConfigurationChanged, (d) => void changed.push(d?.flagsChanged));
    await OpenFeature.setProviderAndWait('server-online', provider);

    const everyone = await client.getBooleanDetails('everyone', false);
    expect([everyone.value, everyone.reason, everyone.flagMetadata.source]).toEqual([true, 'STATIC', 'online']);
    expect((await client.getBooleanDetails('killed', true)).reason).toBe('DISABLED');
    const pilot = await client.getStringDetails('pilot', 'none');
    expect([pilot.value, pilot.reason, pilot.variant, pilot.flagMetadata.strategyId]).toEqual([
      'hello',
      'TARGETING_MATCH',
      'v1',
      'keyward:license-on',
    ]);
    expect(await client.getBooleanValue('gold-tier', false, { tier: 'gold' })).toBe(true);
    expect((await client.getBooleanDetails('gold-tier', true, { tier: 'silver' })).reason).toBe('DEFAULT');
    // The license's own context wins over the caller's.
    expect(await client.getBooleanValue('pilot', false, { licenseId: '00000000-0000-4000-8000-000000000000' })).toBe(
      true,
    );
    const calls = await client.getNumberDetails('api_calls', 0);
    expect([calls.value, calls.reason, calls.flagMetadata.valueSource]).toEqual([100, 'TARGETING_MATCH', 'plan']);
    expect(await client.getBooleanValue('sso', false)).toBe(true);
    expect((await client.getBooleanDetails('missing', false)).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);

    await patchFlag(t, killedId, { enabled: true });
    await until(() => changed.length > 0, 'the refresh to pick up the change');
    expect(changed[0]).toEqual(['killed']);
    expect(await client.getBooleanValue('killed', false)).toBe(true);
    await patchFlag(t, killedId, { enabled: false });
    await provider.onClose();
  });

  it('offline: a checked-out license file serves the same flags and properties', async () => {
    const kw = sdk();
    const out = await kw.checkOut({ key: lic.key, encrypt: true });
    const provider = new KeywardProvider({
      licenseFile: { file: out.certificate, publicKeys: await kw.getPublicKeys(), licenseKey: lic.key },
      now: () => t.clock.now().getTime(),
    });
    await OpenFeature.setProviderAndWait('server-offline', provider);
    const client = OpenFeature.getClient('server-offline');
    const pilot = await client.getStringDetails('pilot', 'none');
    expect([pilot.value, pilot.reason, pilot.flagMetadata.source]).toEqual([
      'hello',
      'TARGETING_MATCH',
      'license-file',
    ]);
    expect((await client.getBooleanDetails('killed', true)).reason).toBe('DISABLED');
    expect(await client.getBooleanValue('gold-tier', false, { tier: 'gold' })).toBe(true);
    const calls = await client.getNumberDetails('api_calls', 0);
    expect([calls.value, calls.flagMetadata.used]).toEqual([100, 60]);
    await provider.onClose();
  });
});
