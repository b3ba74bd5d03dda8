/**
 * The provider from a license file, driven through the real OpenFeature SDK: every reason and error code, the
 * context mapping, entitlement property keys, and a tampered file.
 */
import {
  ErrorCode,
  type EvaluationDetails,
  type FlagValue,
  OpenFeature,
  ProviderEvents,
  type ProviderStatus,
} from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { bundle, entitlementsState, features, LICENSE_CONTEXT } from '../../test/flag-fixtures.ts';
import { until } from '../../test/flag-server.ts';
import {
  armor,
  FILE_EXPIRES,
  keysJson,
  LICENSE_KEY,
  licenseFile,
  makeKey,
  NOW,
  payload,
} from '../../test/spec-fixtures.ts';
import { FlagEngine } from '../flags/engine.ts';
import { KeywardProvider } from './provider.ts';

const key = makeKey();
const publicKeys = keysJson(key);
const file = (over: object = {}) =>
  licenseFile(key, { ...payload(), flags: bundle(), entitlements: entitlementsState(), ...over });

let domains = 0;
async function ready(
  text: string,
  extra: Partial<ConstructorParameters<typeof KeywardProvider>[0]['licenseFile']> = {},
) {
  const provider = new KeywardProvider({
    licenseFile: { file: text, publicKeys, licenseKey: LICENSE_KEY, ...extra },
    now: () => NOW.getTime(),
    refreshIntervalMs: 60_000,
  });
  const domain = `offline-${++domains}`;
  await OpenFeature.setProviderAndWait(domain, provider);
  return { provider, client: OpenFeature.getClient(domain) };
}

afterAll(() => OpenFeature.close());

const pick = <T extends FlagValue>(d: EvaluationDetails<T>) => ({
  value: d.value,
  reason: d.reason,
  variant: d.variant,
  errorCode: d.errorCode,
});

type Ready = Awaited<ReturnType<typeof ready>>;

describe('KeywardProvider offline: flags', () => {
  let client: Ready['client'];
  let provider: Ready['provider'];
  beforeAll(async () => {
    ({ client, provider } = await ready(file()));
  });

  it('serves from the verified file; metadata names the provider, the source and the strategy', async () => {
    expect(provider.source).toBe('license-file');
    expect(client.metadata.providerMetadata.name).toBe('keyward');
    expect(client.providerStatus).toBe('READY' satisfies `${ProviderStatus}`);
    const d = await client.getBooleanDetails('static-on', false);
    expect(pick(d)).toEqual({ value: true, reason: 'STATIC', variant: 'on', errorCode: undefined });
    expect(d.flagMetadata).toMatchObject({
      source: 'license-file',
      kind: 'flag',
      strategy: 'default',
      evaluationReason: 'STATIC',
      enabled: true,
    });
  });

  it('maps DISABLED, TARGETING_MATCH, DEFAULT, and PARENT_UNSATISFIED to DEFAULT', async () => {
    expect(pick(await client.getBooleanDetails('killed', true))).toMatchObject({
      value: false,
      reason: 'DISABLED',
      variant: 'off',
    });
    expect(pick(await client.getBooleanDetails('pro-only', false))).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(pick(await client.getBooleanDetails('gold-tier', true, { tier: 'silver' }))).toMatchObject({
      value: false,
      reason: 'DEFAULT',
    });
    expect(pick(await client.getBooleanDetails('gold-tier', false, { tier: 'gold' }))).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    const child = await client.getBooleanDetails('child', true);
    expect(pick(child)).toMatchObject({ value: false, reason: 'DEFAULT' });
    expect(child.flagMetadata.evaluationReason).toBe('PARENT_UNSATISFIED');
  });

  it('answers SPLIT for a context a percentage rollout placed in (and DEFAULT for one it left out)', async () => {
    const seen = new Map<string, boolean>();
    for (let i = 0; i < 200 && seen.size < 2; i++) {
      const d = await client.getBooleanDetails('rollout-50', false, { targetingKey: `user-${i}` });
      seen.set(String(d.reason), d.value);
    }
    expect(Object.fromEntries(seen)).toEqual({ SPLIT: true, DEFAULT: false });
  });

  it('maps targetingKey to userId and other attributes to properties; license fields cannot be overridden', async () => {
    expect((await client.getBooleanDetails('beta-users', false, { targetingKey: 'alice' })).value).toBe(true);
    expect(
      (await client.getBooleanDetails('beta-users', false, { targetingKey: 'carol', userId: 'alice' })).value,
    ).toBe(false);
    expect((await client.getBooleanDetails('beta-users', false, { userId: 'bob' })).value).toBe(true);
    // The license is on Pro: a caller claiming another plan changes nothing.
    expect((await client.getBooleanDetails('pro-only', false, { plan: 'Free' })).value).toBe(true);
    const spy = vi.spyOn(FlagEngine.prototype, 'evaluate');
    await client.getBooleanDetails('static-on', false, {
      targetingKey: 'u1',
      licenseId: 'someone-else',
      tier: 'gold',
      seats: 3,
      beta: true,
      since: new Date('2026-01-02T00:00:00.000Z'),
      nested: { ignored: true },
      environment: 'production',
    });
    expect(spy.mock.calls[0]![1]).toEqual({
      userId: 'u1',
      environment: 'production',
      properties: { tier: 'gold', seats: 3, beta: true, since: '2026-01-02T00:00:00.000Z', ...LICENSE_CONTEXT },
    });
    spy.mockRestore();
  });

  it('resolves variant payloads by type: string, number, json object, csv', async () => {
    expect(pick(await client.getStringDetails('theme', 'light'))).toEqual({
      value: 'dark',
      reason: 'STATIC',
      variant: 'dark',
      errorCode: undefined,
    });
    expect(pick(await client.getNumberDetails('max-items', 10))).toMatchObject({ value: 25, variant: 'big' });
    expect(pick(await client.getObjectDetails('layout', {}))).toMatchObject({
      value: { columns: 3, dense: true },
      variant: 'grid',
    });
    expect((await client.getObjectDetails('regions', [])).value).toEqual(['eu', 'us']);
    expect((await client.getStringDetails('regions', '')).value).toBe('eu, us');
    // A variant without a payload: its name as a string.
    expect(pick(await client.getStringDetails('named', 'red'))).toMatchObject({ value: 'blue', variant: 'blue' });
  });

  it('answers the default for an off flag (DISABLED / DEFAULT) and for an on flag without variants (DEFAULT)', async () => {
    expect(pick(await client.getStringDetails('killed', 'fallback'))).toMatchObject({
      value: 'fallback',
      reason: 'DISABLED',
      errorCode: undefined,
    });
    expect(pick(await client.getStringDetails('plain-on', 'fallback'))).toMatchObject({
      value: 'fallback',
      reason: 'DEFAULT',
      errorCode: undefined,
    });
  });

  it('TYPE_MISMATCH when the payload does not fit, PARSE_ERROR when it does not parse', async () => {
    const mismatch = await client.getNumberDetails('theme', 7);
    expect(pick(mismatch)).toMatchObject({ value: 7, reason: 'ERROR', errorCode: ErrorCode.TYPE_MISMATCH });
    expect(mismatch.errorMessage).toMatch(/string payload, not a number/);
    expect(mismatch.flagMetadata).toMatchObject({ source: 'license-file', variant: 'dark' });
    expect((await client.getObjectDetails('theme', {})).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
    expect((await client.getStringDetails('layout', 'x')).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
    expect((await client.getNumberDetails('named', 1)).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
    expect(pick(await client.getNumberDetails('bad-number', 1))).toMatchObject({
      value: 1,
      reason: 'ERROR',
      errorCode: ErrorCode.PARSE_ERROR,
    });
    expect((await client.getObjectDetails('bad-json', { a: 1 })).errorCode).toBe(ErrorCode.PARSE_ERROR);
  });

  it('FLAG_NOT_FOUND for a key that is neither a flag nor a property; GENERAL when evaluation throws', async () => {
    const missing = await client.getBooleanDetails('nope', true);
    expect(pick(missing)).toMatchObject({ value: true, reason: 'ERROR', errorCode: ErrorCode.FLAG_NOT_FOUND });
    const spy = vi.spyOn(FlagEngine.prototype, 'evaluate').mockImplementationOnce(() => {
      throw new Error('boom');
    });
    const general = await client.getBooleanDetails('static-on', false);
    spy.mockRestore();
    expect(pick(general)).toMatchObject({ value: false, reason: 'ERROR', errorCode: ErrorCode.GENERAL });
    expect(general.errorMessage).toMatch(/boom/);
  });
});

describe('KeywardProvider offline: entitlement properties', () => {
  let client: Ready['client'];
  beforeAll(async () => {
    ({ client } = await ready(file()));
  });

  it('resolves property keys by their type, with the value source in flagMetadata', async () => {
    const calls = await client.getNumberDetails('api_calls', 0);
    expect(pick(calls)).toMatchObject({ value: 1000, reason: 'TARGETING_MATCH', errorCode: undefined });
    expect(calls.flagMetadata).toEqual({
      source: 'license-file',
      kind: 'property',
      propertyType: 'number',
      valueSource: 'plan',
      loadedAt: NOW.toISOString(),
      unit: 'calls',
      enforcement: 'hard',
      used: 250,
      remaining: 750,
      usageStatus: 'ok',
    });
    expect(await client.getNumberValue('api_calls', 0)).toBe(1000);
    expect(pick(await client.getBooleanDetails('sso', false))).toMatchObject({
      value: true,
      reason: 'TARGETING_MATCH',
    });
    expect(pick(await client.getStringDetails('region', 'us'))).toMatchObject({ value: 'eu', reason: 'DEFAULT' });
    expect(pick(await client.getObjectDetails('limits', {}))).toMatchObject({
      value: { exports: 5 },
      reason: 'TARGETING_MATCH',
    });
  });

  it('an unlimited number answers the default with DEFAULT and unlimited; a flag wins over a property', async () => {
    const seats = await client.getNumberDetails('seats', Number.POSITIVE_INFINITY);
    expect(pick(seats)).toMatchObject({ value: Number.POSITIVE_INFINITY, reason: 'DEFAULT' });
    expect(seats.flagMetadata.unlimited).toBe(true);
    expect((await client.getBooleanDetails('static-on', false)).value).toBe(true);
  });

  it('TYPE_MISMATCH when the property has another type', async () => {
    expect((await client.getBooleanDetails('api_calls', false)).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
    expect((await client.getStringDetails('sso', '')).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
    expect((await client.getObjectDetails('region', {})).errorCode).toBe(ErrorCode.TYPE_MISMATCH);
  });
});

describe('KeywardProvider offline: files that do not verify', () => {
  it('a tampered file: initialization fails (PROVIDER_ERROR) and resolutions answer PROVIDER_NOT_READY', async () => {
    const lines = file().split('\n');
    const body = Buffer.from(lines.slice(1, -2).join(''), 'base64').toString();
    const envelope = JSON.parse(body) as { enc: string };
    const forged = JSON.parse(Buffer.from(envelope.enc, 'base64url').toString()) as { flags: { features: object[] } };
    forged.flags.features = [];
    envelope.enc = Buffer.from(JSON.stringify(forged)).toString('base64url');
    const tampered = armor(envelope);

    const provider = new KeywardProvider({ licenseFile: { file: tampered, publicKeys }, now: () => NOW.getTime() });
    const errors: string[] = [];
    const client = OpenFeature.getClient('tampered');
    client.addHandler(ProviderEvents.Error, (e) => errors.push(String(e?.message)));
    await expect(OpenFeature.setProviderAndWait('tampered', provider)).rejects.toThrow(/BAD_SIGNATURE/);
    expect(client.providerStatus).toBe('ERROR');
    expect(errors).toHaveLength(1);
    const d = await client.getBooleanDetails('static-on', false);
    expect(pick(d)).toMatchObject({ value: false, reason: 'ERROR', errorCode: ErrorCode.PROVIDER_NOT_READY });
    expect(d.errorMessage).toMatch(/license file: the license file does not verify: BAD_SIGNATURE/);
    await provider.onClose();
  });

  it('a file for another key, or an expired one, does not serve either', async () => {
    const other = new KeywardProvider({
      licenseFile: { file: file(), publicKeys, licenseKey: 'ACME-000000-000000-000000-000000-000000' },
      now: () => NOW.getTime(),
    });
    await expect(OpenFeature.setProviderAndWait('other-key', other)).rejects.toThrow(/WRONG_LICENSE_KEY/);
    const expired = new KeywardProvider({
      licenseFile: { file: file(), publicKeys },
      now: () => Date.parse('2027-06-01T00:00:00.000Z'),
    });
    await expect(OpenFeature.setProviderAndWait('expired', expired)).rejects.toThrow(/FILE_EXPIRED/);
    await Promise.all([other.onClose(), expired.onClose()]);
  });

  it('re-reads and re-verifies the file each refresh: a renewed file is picked up, an expired one stops serving', async () => {
    let text = file();
    let now = NOW.getTime();
    const provider = new KeywardProvider({
      licenseFile: { file: async () => text, publicKeys, licenseKey: LICENSE_KEY },
      now: () => now,
      refreshIntervalMs: 20,
    });
    const client = OpenFeature.getClient('renewed');
    const seen: string[] = [];
    const changed: unknown[] = [];
    for (const type of [ProviderEvents.Ready, ProviderEvents.Error, ProviderEvents.ConfigurationChanged]) {
      client.addHandler(type, (d) => {
        seen.push(type.replace('PROVIDER_', ''));
        if (type === ProviderEvents.ConfigurationChanged) changed.push(d?.flagsChanged);
      });
    }
    await OpenFeature.setProviderAndWait('renewed', provider);
    expect((await client.getBooleanDetails('killed', true)).reason).toBe('DISABLED');

    const killedOn = features().map((f) => (f.name === 'killed' ? { ...f, enabled: true } : f));
    text = file({ flags: bundle({ features: killedOn }) });
    await until(() => seen.includes('CONFIGURATION_CHANGED'), 'the renewed file');
    expect(changed).toEqual([['killed']]);
    expect((await client.getBooleanDetails('killed', false)).value).toBe(true);

    now = Date.parse(FILE_EXPIRES) + 1;
    await until(() => seen.includes('ERROR'), 'the file to expire');
    const d = await client.getBooleanDetails('killed', false);
    expect([d.errorCode, client.providerStatus]).toEqual([ErrorCode.PROVIDER_NOT_READY, 'ERROR']);
    expect(d.errorMessage).toMatch(/FILE_EXPIRED/);

    now = NOW.getTime();
    await until(() => seen.at(-1) === 'READY', 'the file to serve again');
    expect(seen).toEqual(['READY', 'CONFIGURATION_CHANGED', 'ERROR', 'READY']);
    await provider.onClose();
  });

  it('a file without flags or entitlements serves nothing but answers FLAG_NOT_FOUND', async () => {
    const { client } = await ready(licenseFile(key, payload()));
    expect((await client.getBooleanDetails('static-on', false)).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);
  });

  it('an encrypted, machine-bound file verifies with the key and fingerprint', async () => {
    const bound = licenseFile(
      key,
      {
        ...payload({ machine: { id: 'm1', fingerprint: 'fp-1' } }),
        flags: bundle(),
        entitlements: entitlementsState(),
      },
      { encrypt: { licenseKey: LICENSE_KEY, fingerprint: 'fp-1' } },
    );
    const { client } = await ready(bound, { fingerprint: 'fp-1' });
    expect(await client.getStringValue('theme', 'light')).toBe('dark');
  });
});
