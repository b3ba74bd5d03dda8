/**
 * The provider against a small real HTTP server (node:http, port 0) through the OpenFeature SDK: first fetch,
 * background refresh, stale-while-error (CACHED, PROVIDER_STALE) and recovery, the license-file fallback, close.
 */
import { type Client, ErrorCode, type EventDetails, OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { bundle, entitlementsState, features } from '../../test/flag-fixtures.ts';
import { type FlagServer, startFlagServer, until } from '../../test/flag-server.ts';
import { keysJson, LICENSE_KEY, licenseFile, makeKey, payload } from '../../test/spec-fixtures.ts';
import { KeywardClient } from '../client.ts';
import { KeywardProvider, type KeywardProviderOptions } from './provider.ts';

const key = makeKey();
let server: FlagServer;
const open: KeywardProvider[] = [];

beforeAll(async () => {
  server = await startFlagServer(key, { bundle: bundle(), entitlements: entitlementsState(), failWith: null });
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((p) => p.onClose()));
  Object.assign(server.state, { bundle: bundle(), entitlements: entitlementsState(), failWith: null });
});
afterAll(async () => {
  await OpenFeature.close();
  await server.close();
});

const kwClient = () =>
  new KeywardClient({ baseUrl: server.url, publicKeys: keysJson(key), licenseKey: LICENSE_KEY, retry: false });

let domains = 0;
function setup(options: Partial<KeywardProviderOptions> = {}) {
  const provider = new KeywardProvider({ online: { client: kwClient(), fingerprint: 'fp-1' }, ...options });
  open.push(provider);
  const domain = `online-${++domains}`;
  const client = OpenFeature.getClient(domain);
  const seen: { type: ProviderEvents; details: EventDetails | undefined }[] = [];
  for (const type of [
    ProviderEvents.Ready,
    ProviderEvents.Stale,
    ProviderEvents.Error,
    ProviderEvents.ConfigurationChanged,
  ]) {
    client.addHandler(type, (details) => void seen.push({ type, details }));
  }
  const types = () => seen.map((s) => s.type.replace('PROVIDER_', ''));
  return { provider, client, seen, types, start: () => OpenFeature.setProviderAndWait(domain, provider) };
}

const reasonOf = async (client: Client, flag: string) => {
  const d = await client.getBooleanDetails(flag, false);
  return [d.value, d.reason, d.errorCode];
};

const withKilledOn = () =>
  bundle({ features: features().map((f) => (f.name === 'killed' ? { ...f, enabled: true } : f)) });

describe('KeywardProvider online', () => {
  it('fetches the bundle and the entitlements (signed, with key and fingerprint) and evaluates locally', async () => {
    const { client, provider, types, start } = setup({ refreshIntervalMs: 60_000 });
    const before = server.requests.length;
    await start();
    expect(provider.source).toBe('online');
    expect(types()).toEqual(['READY']);
    const calls = server.requests.slice(before).filter((r) => r.path.startsWith('/v1/client/'));
    expect(calls.map((c) => c.path).sort()).toEqual(['/v1/client/entitlements', '/v1/client/flags']);
    for (const c of calls)
      expect(c.body).toMatchObject({ key: LICENSE_KEY, fingerprint: 'fp-1', nonce: expect.any(String) });
    expect(await reasonOf(client, 'static-on')).toEqual([true, 'STATIC', undefined]);
    expect(await reasonOf(client, 'killed')).toEqual([false, 'DISABLED', undefined]);
    expect((await client.getBooleanDetails('beta-users', false, { targetingKey: 'bob' })).reason).toBe(
      'TARGETING_MATCH',
    );
    const calls2 = await client.getNumberDetails('api_calls', 0);
    expect([calls2.value, calls2.reason, calls2.flagMetadata.source]).toEqual([1000, 'TARGETING_MATCH', 'online']);
  });

  it('refreshes in the background and reports the changed keys (PROVIDER_CONFIGURATION_CHANGED)', async () => {
    const { client, seen, start } = setup({ refreshIntervalMs: 30 });
    await start();
    expect(await reasonOf(client, 'killed')).toEqual([false, 'DISABLED', undefined]);
    server.state.bundle = withKilledOn();
    server.state.entitlements = entitlementsState(
      entitlementsState().properties.map((p) => (p.key === 'api_calls' ? { ...p, value: 5000 } : p)),
    );
    await until(() => seen.some((s) => s.type === ProviderEvents.ConfigurationChanged), 'a configuration change');
    const change = seen.find((s) => s.type === ProviderEvents.ConfigurationChanged)!;
    expect(change.details?.flagsChanged).toEqual(['api_calls', 'killed']);
    expect(await reasonOf(client, 'killed')).toEqual([true, 'STATIC', undefined]);
    expect(await client.getNumberValue('api_calls', 0)).toBe(5000);
    // Unchanged refreshes say nothing.
    const count = seen.length;
    const requests = server.requests.length;
    await until(() => server.requests.length >= requests + 6, 'three more refreshes');
    expect(seen).toHaveLength(count);
  });

  it('stale-while-error: a failing API keeps the last bundle (CACHED, one PROVIDER_STALE), then recovers', async () => {
    const { client, types, start } = setup({ refreshIntervalMs: 30 });
    await start();
    server.state.failWith = 503;
    await until(() => types().includes('STALE'), 'PROVIDER_STALE');
    expect(client.providerStatus).toBe('STALE');
    const cached = await client.getBooleanDetails('static-on', false);
    expect([cached.value, cached.reason, cached.flagMetadata.evaluationReason]).toEqual([true, 'CACHED', 'STATIC']);
    expect((await client.getNumberDetails('api_calls', 0)).reason).toBe('CACHED');
    // Errors are still errors while stale.
    expect((await client.getBooleanDetails('nope', false)).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);
    const requests = server.requests.length;
    await until(() => server.requests.length >= requests + 6, 'more failing refreshes');
    expect(types()).toEqual(['READY', 'STALE']);

    server.state.bundle = withKilledOn();
    server.state.failWith = null;
    await until(() => types().includes('CONFIGURATION_CHANGED'), 'recovery');
    expect(types()).toEqual(['READY', 'STALE', 'READY', 'CONFIGURATION_CHANGED']);
    expect(client.providerStatus).toBe('READY');
    expect(await reasonOf(client, 'static-on')).toEqual([true, 'STATIC', undefined]);
    expect(await reasonOf(client, 'killed')).toEqual([true, 'STATIC', undefined]);
  });

  it('answers CACHED once the bundle is older than staleAfterMs (a refresh is overdue)', async () => {
    let now = Date.now();
    const { client, start } = setup({ refreshIntervalMs: 60_000, staleAfterMs: 1000, now: () => now });
    await start();
    expect(await reasonOf(client, 'static-on')).toEqual([true, 'STATIC', undefined]);
    now += 1001;
    expect(await reasonOf(client, 'static-on')).toEqual([true, 'CACHED', undefined]);
  });

  it('a failed first fetch without fallback: PROVIDER_ERROR and PROVIDER_NOT_READY, then READY when the API is back', async () => {
    server.state.failWith = 500;
    const { client, types, start } = setup({ refreshIntervalMs: 30 });
    await expect(start()).rejects.toThrow(/online: .*down for a test/);
    expect(client.providerStatus).toBe('ERROR');
    const d = await client.getBooleanDetails('static-on', false);
    expect([d.value, d.reason, d.errorCode]).toEqual([false, 'ERROR', ErrorCode.PROVIDER_NOT_READY]);
    expect(d.errorMessage).toMatch(/no flags to serve/);
    server.state.failWith = null;
    await until(() => types().includes('READY'), 'PROVIDER_READY');
    expect(types()).toEqual(['ERROR', 'READY']);
    expect(await reasonOf(client, 'static-on')).toEqual([true, 'STATIC', undefined]);
  });

  it('a malformed bundle does not load (the first fetch fails with the parse problem)', async () => {
    server.state.bundle = { ...bundle(), features: [{ name: 'x' }] as never };
    const { start } = setup({ refreshIntervalMs: 60_000 });
    await expect(start()).rejects.toThrow(/features\[0\] needs a name, enabled and strategies/);
  });

  it('falls back to the license file while the API is down (CACHED, STALE), then switches to online', async () => {
    const file = licenseFile(key, {
      ...payload({
        meta: { issuedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
        license: { endsAt: null, graceEndsAt: null },
      }),
      flags: bundle(),
      entitlements: entitlementsState(),
    });
    server.state.failWith = 503;
    const { client, provider, types, start } = setup({
      refreshIntervalMs: 30,
      licenseFile: { file, publicKeys: keysJson(key), licenseKey: LICENSE_KEY },
    });
    await start();
    expect(provider.source).toBe('license-file');
    const d = await client.getBooleanDetails('static-on', false);
    expect([d.value, d.reason, d.flagMetadata.source]).toEqual([true, 'CACHED', 'license-file']);
    await until(() => types().includes('STALE'), 'PROVIDER_STALE');
    expect(client.providerStatus).toBe('STALE');
    server.state.failWith = null;
    await until(() => provider.source === 'online' && types().at(-1) === 'READY', 'the switch to online');
    expect(types()).toEqual(['READY', 'STALE', 'READY']);
    expect(await reasonOf(client, 'static-on')).toEqual([true, 'STATIC', undefined]);
  });

  it('entitlements: false fetches only the flags; property keys are then not found', async () => {
    const client = kwClient();
    const { client: of, start } = setup({ refreshIntervalMs: 60_000, online: { client, entitlements: false } });
    const before = server.requests.length;
    await start();
    expect(server.requests.slice(before).some((r) => r.path === '/v1/client/entitlements')).toBe(false);
    expect((await of.getNumberDetails('api_calls', 0)).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);
  });

  it('close stops the background refresh and forgets the data', async () => {
    const { provider, client, start } = setup({ refreshIntervalMs: 20 });
    await start();
    const before = server.requests.length;
    await until(() => server.requests.length >= before + 4, 'two refreshes');
    await provider.onClose();
    await new Promise((r) => setTimeout(r, 60)); // a refresh in flight may still land
    const after = server.requests.length;
    await new Promise((r) => setTimeout(r, 150));
    expect(server.requests.length).toBe(after);
    expect(provider.source).toBeNull();
    expect((await client.getBooleanDetails('static-on', false)).errorCode).toBe(ErrorCode.PROVIDER_NOT_READY);
  });
});
