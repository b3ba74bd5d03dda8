import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { applyDelta } from './delta.ts';
import { FlagEngine } from './engine.ts';
import { ipInRange, parseIp, parseIpRange } from './ip.ts';
import { murmur2, murmur3 } from './murmur.ts';
import { compareSemver, parseSemver } from './semver.ts';
import type { FeatureDefinition, SegmentDefinition } from './types.ts';
import { normalizeVariantWeights } from './variants.ts';

const require = createRequire(import.meta.url);
const reference = require('murmurhash3js') as { x86: { hash32: (s: string, seed: number) => number } };

const flag = (name: string, extra: Partial<FeatureDefinition> = {}): FeatureDefinition => ({
  name,
  enabled: true,
  strategies: [{ name: 'default' }],
  ...extra,
});
const rollout = (pct: number, extra: Record<string, string> = {}) => ({
  name: 'flexibleRollout',
  parameters: { rollout: String(pct), stickiness: 'default', groupId: 'g', ...extra },
});
const segments: SegmentDefinition[] = [
  { id: 1, name: 'pro', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro'] }] },
];

describe('reasons', () => {
  const engine = new FlagEngine({
    features: [
      flag('static'),
      flag('no-strategies', { strategies: [] }),
      flag('off', { enabled: false }),
      flag('targeted', {
        strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro'] }] }],
      }),
      flag('segment', { strategies: [{ name: 'default', segments: [1] }] }),
      flag('split', { strategies: [rollout(50)] }),
      flag('split-constrained', {
        strategies: [{ ...rollout(50), constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro'] }] }],
      }),
      flag('full-rollout', { strategies: [rollout(100)] }),
      flag('full-rollout-on-field', { strategies: [rollout(100, { stickiness: 'accountId' })] }),
      flag('users', { strategies: [{ name: 'userWithId', parameters: { userIds: 'u1, u2' } }] }),
      flag('child', { dependencies: [{ feature: 'off' }] }),
      flag('unknown-strategy', { strategies: [{ name: 'myCustomStrategy' }] }),
      flag('all-disabled', { strategies: [{ name: 'default', disabled: true }] }),
      flag('malformed', { strategies: undefined as unknown as [] }),
    ],
    segments,
  });
  const pro = { userId: 'u1', properties: { plan: 'Pro', accountId: 'a1' } };
  const cases: [string, object, boolean, string][] = [
    ['missing', {}, false, 'NOT_FOUND'],
    ['static', {}, true, 'STATIC'],
    ['no-strategies', {}, true, 'STATIC'],
    ['off', pro, false, 'DISABLED'],
    ['targeted', pro, true, 'TARGETING_MATCH'],
    ['targeted', { properties: { plan: 'Free' } }, false, 'DEFAULT'],
    ['segment', pro, true, 'TARGETING_MATCH'],
    ['split', { userId: 'u5' }, true, 'SPLIT'],
    ['split', { userId: 'u1' }, false, 'DEFAULT'],
    ['split-constrained', { userId: 'u5', properties: { plan: 'Pro' } }, true, 'SPLIT'],
    ['full-rollout', {}, true, 'STATIC'],
    ['full-rollout-on-field', pro, true, 'TARGETING_MATCH'],
    ['full-rollout-on-field', {}, false, 'DEFAULT'],
    ['users', pro, true, 'TARGETING_MATCH'],
    ['child', pro, false, 'PARENT_UNSATISFIED'],
    ['unknown-strategy', pro, false, 'DEFAULT'],
    ['all-disabled', pro, false, 'DEFAULT'],
    ['malformed', pro, false, 'DEFAULT'],
  ];
  it.each(cases)('%s %j → %s %s', (name, ctx, enabled, reason) => {
    const e = engine.evaluate(name, ctx);
    expect({ enabled: e.enabled, reason: e.reason }).toEqual({ enabled, reason });
    expect(engine.isEnabled(name, ctx)).toBe(enabled);
    expect(engine.explain(name, ctx)).toMatchObject({ enabled, reason });
  });

  it('names the matching strategy only when on', () => {
    expect(engine.evaluate('users', pro).strategy).toEqual({ index: 0, name: 'userWithId' });
    expect(engine.evaluate('targeted', {}).strategy).toBeUndefined();
    expect(engine.has('static')).toBe(true);
    expect(engine.has('nope')).toBe(false);
    expect(engine.names()).toContain('split');
    expect(engine.definition('static')?.name).toBe('static');
  });
});

describe('variants', () => {
  const variants = [
    { name: 'blue', weight: 500, payload: { type: 'string' as const, value: 'b' } },
    { name: 'green', weight: 500, overrides: [{ contextName: 'accountId', values: ['vip'] }] },
  ];
  const engine = new FlagEngine({
    features: [
      flag('feature-variants', { variants }),
      flag('strategy-variants', {
        variants,
        strategies: [{ ...rollout(100), variants: [{ name: 'strategy-v', weight: 1000 }] }],
      }),
      flag('zero-weights', { variants: [{ name: 'x', weight: 0 }] }),
      flag('off', { enabled: false, variants }),
    ],
  });

  it('picks feature variants by bucket, overrides first, strategy variants before feature variants', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(engine.getVariant('feature-variants', { userId: `u${i}` }).name);
    expect([...seen].sort()).toEqual(['blue', 'green']);
    expect(engine.getVariant('feature-variants', { userId: 'u1', properties: { accountId: 'vip' } }).name).toBe(
      'green',
    );
    expect(engine.getVariant('strategy-variants', { userId: 'u1' })).toEqual({
      name: 'strategy-v',
      enabled: true,
      featureEnabled: true,
    });
  });

  it('returns the disabled variant with featureEnabled telling whether the flag is on', () => {
    expect(engine.getVariant('zero-weights', {})).toEqual({ name: 'disabled', enabled: false, featureEnabled: true });
    expect(engine.getVariant('off', {})).toEqual({ name: 'disabled', enabled: false, featureEnabled: false });
    expect(engine.getVariant('missing', {})).toEqual({ name: 'disabled', enabled: false, featureEnabled: false });
  });

  it('shares frozen variant results (evaluation allocates no variant)', () => {
    const a = engine.getVariant('feature-variants', { userId: 'u1' });
    expect(engine.getVariant('feature-variants', { userId: 'u1' })).toBe(a);
    expect(Object.isFrozen(a)).toBe(true);
  });

  it('normalizes weights like Unleash: fixed kept, the rest shared, remainder to the first', () => {
    const w = normalizeVariantWeights([
      { name: 'a', weight: 0 },
      { name: 'b', weight: 200, weightType: 'fix' },
      { name: 'c', weight: 0, weightType: 'variable' },
      { name: 'd', weight: 0 },
    ]);
    expect(w.map((v) => v.weight)).toEqual([267, 200, 267, 266]);
  });
});

describe('constraints', () => {
  const at = (operator: string, extra: object) =>
    flag(operator, { strategies: [{ name: 'default', constraints: [{ contextName: 'f', operator, ...extra }] }] });
  const engine = new FlagEngine(
    {
      features: [
        at('DATE_AFTER', { contextName: 'accountCreatedAt', value: '2024-01-01T00:00:00Z' }),
        at('DATE_BEFORE', { contextName: 'currentTime', value: '2030-01-01T00:00:00Z' }),
        at('IN_CIDR', { contextName: 'remoteAddress', values: ['10.0.0.0/8', '2001:db8::/32'] }),
        at('REGEX', { value: '^[[:upper:]]\\d{2}\\z' }),
        at('STR_CONTAINS', { values: ['ABC'], caseInsensitive: true }),
        at('IN', { values: Array.from({ length: 1000 }, (_, i) => `id-${i}`) }),
        at('NOT_A_THING', { values: ['x'] }),
      ],
    },
    { now: () => new Date('2031-01-01T00:00:00Z') },
  );
  const on = (name: string, ctx: object) => engine.isEnabled(name, ctx);

  it('DATE_* read other fields as dates and currentTime from the context or the engine clock', () => {
    expect(on('DATE_AFTER', { properties: { accountCreatedAt: '2024-06-01T00:00:00Z' } })).toBe(true);
    expect(on('DATE_AFTER', { properties: { accountCreatedAt: '2023-06-01T00:00:00Z' } })).toBe(false);
    expect(on('DATE_AFTER', { properties: { accountCreatedAt: 'garbage' } })).toBe(false);
    expect(on('DATE_BEFORE', {})).toBe(false); // engine clock: 2031
    expect(on('DATE_BEFORE', { currentTime: '2029-01-01T00:00:00Z' })).toBe(true);
    expect(on('DATE_BEFORE', { currentTime: new Date('2029-01-01T00:00:00Z') })).toBe(true);
  });

  it('IN_CIDR matches IPv4 and IPv6 ranges', () => {
    expect(on('IN_CIDR', { remoteAddress: '10.200.1.1' })).toBe(true);
    expect(on('IN_CIDR', { remoteAddress: '11.0.0.1' })).toBe(false);
    expect(on('IN_CIDR', { remoteAddress: '2001:db8:ffff::1' })).toBe(true);
    expect(on('IN_CIDR', { remoteAddress: '2001:db9::1' })).toBe(false);
    expect(on('IN_CIDR', { remoteAddress: 'nonsense' })).toBe(false);
  });

  it('REGEX runs RE2 syntax (POSIX classes, \\z), STR_* honour caseInsensitive, 1000-value IN lists work', () => {
    expect(on('REGEX', { properties: { f: 'A12' } })).toBe(true);
    expect(on('REGEX', { properties: { f: 'a12' } })).toBe(false);
    expect(on('REGEX', { properties: { f: 'A12\n' } })).toBe(false);
    expect(on('STR_CONTAINS', { properties: { f: 'xxabcxx' } })).toBe(true);
    expect(on('IN', { properties: { f: 'id-999' } })).toBe(true);
    expect(on('IN', { properties: { f: 'id-1000' } })).toBe(false);
    expect(on('NOT_A_THING', { properties: { f: 'x' } })).toBe(false);
  });

  it('IN lists treat prototype names as plain values', () => {
    const e = new FlagEngine({ features: [at('IN', { values: ['__proto__', 'a'] })] });
    expect(e.isEnabled('IN', { properties: { f: '__proto__' } })).toBe(true);
    expect(e.isEnabled('IN', { properties: { f: 'constructor' } })).toBe(false);
    expect(e.isEnabled('IN', { properties: { f: 'toString' } })).toBe(false);
  });
});

describe('building blocks', () => {
  it('hashes like murmurhash3js (the Node SDK), including non-ASCII ids', () => {
    const ids = ['', 'a', 'ab', 'abc', 'abcd', 'user-123', 'Hellø_Wørld', '😊_φriend_你好', 'g:1234567890'];
    for (const id of ids) {
      for (const seed of [0, 86028157]) {
        expect(murmur3(id, seed)).toBe(reference.x86.hash32(id, seed));
        expect(murmur2('group:', id, seed)).toBe(reference.x86.hash32(`group:${id}`, seed));
      }
    }
  });

  it('orders semantic versions like node-semver', () => {
    const order = ['1.0.0-alpha', '1.0.0-alpha.1', '1.0.0-alpha.beta', '1.0.0-beta', '1.0.0-beta.2', '1.0.0-beta.11'];
    const parsed = [...order, '1.0.0-rc.1', '1.0.0', '1.0.1', '1.10.0'].map((v) => parseSemver(v)!);
    for (let i = 1; i < parsed.length; i++) expect(compareSemver(parsed[i - 1]!, parsed[i]!)).toBe(-1);
    expect(parseSemver('1.2')).toBeNull();
    expect(parseSemver('01.2.3')).toBeNull();
    expect(compareSemver(parseSemver('1.2.3+build')!, parseSemver('1.2.3')!)).toBe(0);
  });

  it('parses addresses and ranges', () => {
    expect(parseIpRange('10.0.0.0/33')).toBeNull();
    expect(parseIpRange('010.0.0.1')).toBeNull();
    expect(parseIpRange('::ffff:1.2.3.4')?.groups).toEqual([0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
    expect(parseIpRange('1::2::3')).toBeNull();
    expect(ipInRange(parseIp('192.168.1.77')!, parseIpRange('192.168.1.64/26')!)).toBe(true);
    expect(ipInRange(parseIp('192.168.1.128')!, parseIpRange('192.168.1.64/26')!)).toBe(false);
    expect(ipInRange(parseIp('::1')!, parseIpRange('::/0')!)).toBe(true);
  });

  it('applies delta events', () => {
    const state = applyDelta({ features: [flag('a'), flag('b')] }, [
      { type: 'feature-removed', featureName: 'a' },
      { type: 'feature-updated', feature: flag('c') },
      { type: 'segment-updated', segment: { id: 2, constraints: [] } },
      { type: 'segment-removed', segmentId: 2 },
    ]);
    expect(state.features.map((f) => f.name)).toEqual(['b', 'c']);
    expect(state.segments).toEqual([]);
  });

  it('uses the hostname option for applicationHostname', () => {
    const f = flag('host', { strategies: [{ name: 'applicationHostname', parameters: { hostNames: 'A, web-1' } }] });
    expect(new FlagEngine({ features: [f] }, { hostname: 'WEB-1' }).isEnabled('host')).toBe(true);
    expect(new FlagEngine({ features: [f] }, { hostname: 'web-2' }).isEnabled('host')).toBe(false);
  });
});
