import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { FlagEngine } from './engine.ts';
import { narrowToggles, withToggles } from './toggles.ts';
import type { FeatureDefinition, FlagContext, FlagToggles, SegmentDefinition, VariantResult } from './types.ts';

const base: FeatureDefinition = {
  name: 'reports',
  enabled: true,
  strategies: [
    {
      name: 'flexibleRollout',
      parameters: { rollout: '100', stickiness: 'default' },
      constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro'] }],
    },
  ],
};
const toggles: FlagToggles = {
  accounts: { on: ['acc-on', 'acc-both'], off: ['acc-off', 'acc-both'] },
  licenses: { on: ['lic-on'], off: ['lic-off'] },
};
const ctx = (accountId: string, licenseId: string, plan = 'Free'): FlagContext => ({
  userId: 'u',
  properties: { accountId, licenseId, plan },
});

describe('withToggles precedence: license > account > strategies; kill switch absolute', () => {
  const engine = new FlagEngine({ features: [withToggles(base, toggles)] });
  const cases: [string, FlagContext, boolean][] = [
    ['no toggle, strategy off (Free)', ctx('a', 'l'), false],
    ['no toggle, strategy on (Pro)', ctx('a', 'l', 'Pro'), true],
    ['account on beats the strategy', ctx('acc-on', 'l'), true],
    ['account off beats the strategy', ctx('acc-off', 'l', 'Pro'), false],
    ['license on beats account off', ctx('acc-off', 'lic-on'), true],
    ['license off beats account on', ctx('acc-on', 'lic-off', 'Pro'), false],
    ['license off beats the strategy', ctx('a', 'lic-off', 'Pro'), false],
    ['license on with no account toggle', ctx('a', 'lic-on'), true],
    ['an id both on and off counts as off', ctx('acc-both', 'l', 'Pro'), false],
  ];
  it.each(cases)('%s', (_label, c, expected) => {
    expect(engine.isEnabled('reports', c)).toBe(expected);
  });

  it('keeps a disabled flag off for everyone, toggles included', () => {
    const killed = new FlagEngine({ features: [withToggles({ ...base, enabled: false }, toggles)] });
    expect(killed.evaluate('reports', ctx('acc-on', 'lic-on'))).toMatchObject({ enabled: false, reason: 'DISABLED' });
  });

  it('adds only the non-empty lists and leaves the definition alone without toggles', () => {
    const plain = withToggles(base, {});
    expect(plain.strategies).toHaveLength(1);
    expect(plain.strategies[0]?.constraints).toHaveLength(1);
    expect(plain.strategies[0]?.parameters?.groupId).toBe('reports');
    const onlyOff = withToggles(base, { accounts: { off: ['x'] } });
    expect(onlyOff.strategies.map((s) => s.id)).toEqual([undefined]);
    expect(onlyOff.strategies[0]?.constraints?.at(-1)).toMatchObject({
      contextName: 'accountId',
      operator: 'NOT_IN',
      values: ['x'],
      origin: 'toggle',
    });
    expect(base.strategies[0]?.constraints).toHaveLength(1);
  });

  it('keeps "no strategies = on for everyone" while excluding turned-off customers', () => {
    const everyone = new FlagEngine({
      features: [withToggles({ name: 'f', enabled: true, strategies: [] }, { accounts: { off: ['a-off'] } })],
    });
    expect(everyone.evaluate('f', ctx('a', 'l'))).toMatchObject({ enabled: true, reason: 'STATIC' });
    expect(everyone.isEnabled('f', ctx('a-off', 'l'))).toBe(false);
  });

  it('drops disabled strategies; all disabled and no on-toggle = switched off', () => {
    const f: FeatureDefinition = { name: 'f', enabled: true, strategies: [{ name: 'default', disabled: true }] };
    expect(withToggles(f, {})).toMatchObject({ enabled: false, strategies: [] });
    const on = withToggles(f, { licenses: { on: ['l1'] } });
    expect(on.enabled).toBe(true);
    expect(new FlagEngine({ features: [on] }).isEnabled('f', ctx('a', 'l1'))).toBe(true);
  });

  it('narrows toggles to one customer', () => {
    expect(narrowToggles(toggles, { accountId: 'acc-on', licenseId: 'lic-off' })).toEqual({
      accounts: { on: ['acc-on'], off: [] },
      licenses: { on: [], off: ['lic-off'] },
    });
    expect(narrowToggles(undefined, { accountId: 'x' })).toEqual({
      accounts: { on: [], off: [] },
      licenses: { on: [], off: [] },
    });
  });
});

// ── Equivalence: FlagEngine on withToggles(feature) == unleash-client (Node SDK) on the same projected definition ──

const require = createRequire(import.meta.url);
const UnleashClient = require('unleash-client/lib/client').default as new (
  repo: { getToggle(n: string): unknown; getSegment(id: number): unknown },
  strategies: unknown[],
) => { isEnabled(n: string, c: object, f: () => boolean): boolean; getVariant(n: string, c: object): object };
const { defaultStrategies } = require('unleash-client/lib/strategy') as { defaultStrategies: unknown[] };

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const accounts = Array.from({ length: 40 }, (_, i) => `acc-${i}`);
const licenses = Array.from({ length: 80 }, (_, i) => `lic-${i}`);
const segmentDefs: SegmentDefinition[] = [
  { id: 1, constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro', 'Enterprise'] }] },
  { id: 2, constraints: [{ contextName: 'seats', operator: 'NUM_GTE', value: '10' }] },
];
const payload = { type: 'json' as const, value: '{"a":1}' };
const definitions: FeatureDefinition[] = [
  { name: 'plain', enabled: true, strategies: [{ name: 'default' }] },
  { name: 'everyone', enabled: true, strategies: [] },
  { name: 'killed', enabled: false, strategies: [{ name: 'default' }] },
  {
    name: 'rollout',
    enabled: true,
    strategies: [{ name: 'flexibleRollout', parameters: { rollout: '30', stickiness: 'accountId' } }],
    variants: [
      { name: 'a', weight: 300, stickiness: 'accountId', payload },
      { name: 'b', weight: 700, stickiness: 'accountId', overrides: [{ contextName: 'plan', values: ['Enterprise'] }] },
    ],
  },
  {
    name: 'targeted',
    enabled: true,
    strategies: [
      {
        name: 'flexibleRollout',
        parameters: { rollout: '60', stickiness: 'default' },
        segments: [1],
        constraints: [
          { contextName: 'version', operator: 'SEMVER_GTE', value: '1.4.0' },
          { contextName: 'email', operator: 'STR_ENDS_WITH', values: ['@ACME.COM'], caseInsensitive: true },
        ],
        variants: [
          { name: 'x', weight: 500, stickiness: 'default' },
          { name: 'y', weight: 500, stickiness: 'default' },
        ],
      },
      {
        name: 'default',
        segments: [2],
        constraints: [{ contextName: 'userId', operator: 'REGEX', value: '^u[[:digit:]]+7$' }],
      },
    ],
  },
  {
    name: 'dated',
    enabled: true,
    strategies: [
      {
        name: 'default',
        constraints: [
          { contextName: 'currentTime', operator: 'DATE_AFTER', value: '2025-01-01T00:00:00Z' },
          { contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['10.0.0.0/9', '2001:db8::/33'] },
        ],
      },
    ],
  },
  {
    name: 'child',
    enabled: true,
    strategies: [{ name: 'default' }],
    dependencies: [{ feature: 'rollout', variants: ['a'] }],
  },
  {
    name: 'not-child',
    enabled: true,
    strategies: [{ name: 'default' }],
    dependencies: [{ feature: 'targeted', enabled: false }],
  },
];

function randomToggles(r: () => number): FlagToggles {
  const pick = (list: string[], p: number) => list.filter(() => r() < p);
  return {
    accounts: { on: pick(accounts, 0.1), off: pick(accounts, 0.1) },
    licenses: { on: pick(licenses, 0.05), off: pick(licenses, 0.05) },
  };
}

function randomContext(r: () => number): FlagContext {
  const one = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)] as T;
  return {
    userId: `u${Math.floor(r() * 1000)}`,
    sessionId: `s${Math.floor(r() * 1000)}`,
    remoteAddress: one(['10.1.2.3', '10.200.0.1', '192.168.0.1', '2001:db8::1', '2001:db8:8000::1']),
    currentTime: one(['2024-06-01T00:00:00Z', '2026-06-01T00:00:00Z']),
    properties: {
      accountId: one(accounts),
      licenseId: one(licenses),
      plan: one(['Free', 'Pro', 'Enterprise']),
      seats: one(['1', '10', '250', 'many']),
      version: one(['1.3.9', '1.4.0', '2.0.0-beta.1', 'v1.5.0']),
      email: one(['ann@acme.com', 'bob@example.org']),
    },
  };
}

const unleashShape = (v: VariantResult) => ({
  name: v.name,
  enabled: v.enabled,
  feature_enabled: v.featureEnabled,
  ...(v.payload ? { payload: v.payload } : {}),
});

describe('equivalence with unleash-client (Node SDK) on the projected definitions', () => {
  it.each([1, 2, 3, 4, 5])('toggle set %i × 400 random contexts', (seed) => {
    const r = rng(seed);
    const projected = definitions.map((d) => withToggles(d, randomToggles(r)));
    const engine = new FlagEngine({ features: projected, segments: segmentDefs });
    const byName = new Map(projected.map((f) => [f.name, f]));
    const segs = new Map(segmentDefs.map((s) => [s.id, s]));
    const unleash = new UnleashClient(
      { getToggle: (n) => byName.get(n), getSegment: (id) => segs.get(id) },
      defaultStrategies,
    );
    let on = 0;
    for (let i = 0; i < 400; i++) {
      const c = randomContext(r);
      const nodeCtx = { ...c, currentTime: new Date(c.currentTime as string) };
      for (const f of projected) {
        const ours = engine.isEnabled(f.name, c);
        expect(ours, `${f.name} ${JSON.stringify(c)}`).toBe(unleash.isEnabled(f.name, nodeCtx, () => false));
        const { featureEnabled: _dup, ...theirs } = unleash.getVariant(f.name, nodeCtx) as Record<string, unknown>;
        expect(unleashShape(engine.getVariant(f.name, c)), `${f.name} ${JSON.stringify(c)}`).toEqual(theirs);
        if (ours) on++;
      }
    }
    expect(on).toBeGreaterThan(400);
  });
});
