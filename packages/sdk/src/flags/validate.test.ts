import { describe, expect, it } from 'vitest';
import { translateRe2 } from './re2.ts';
import { validateConstraint, validateFeature, validateSegment } from './validate.ts';

const ok = { name: 'new-checkout', enabled: true, strategies: [{ name: 'default' }] };
const opts = { segmentIds: [1, 2], knownFlags: ['parent', 'new-checkout'] };
const withStrategy = (s: object) => ({ ...ok, strategies: [{ name: 'default' }, s] });
const withConstraint = (c: object) =>
  withStrategy({ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro'] }, c] });

describe('validateFeature', () => {
  it('accepts a sound definition', () => {
    expect(
      validateFeature(
        {
          ...ok,
          strategies: [
            {
              name: 'flexibleRollout',
              parameters: { rollout: '25', stickiness: 'accountId', groupId: 'g' },
              constraints: [
                { contextName: 'version', operator: 'SEMVER_GTE', value: '1.2.0' },
                { contextName: 'currentTime', operator: 'DATE_AFTER', value: '2025-01-01T00:00:00.000Z' },
                { contextName: 'email', operator: 'REGEX', value: '^[^@]+@acme\\.com$' },
                { contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['10.0.0.0/8', '2001:db8::/32'] },
              ],
              segments: [1],
              variants: [{ name: 'x', weight: 1000, weightType: 'fix', payload: { type: 'json', value: '{}' } }],
            },
            { name: 'remoteAddress', parameters: { IPs: '10.0.0.1, 192.168.0.0/16' } },
          ],
          variants: [
            { name: 'a', weight: 500, weightType: 'variable', stickiness: 'default' },
            { name: 'b', weight: 500, weightType: 'variable', stickiness: 'default' },
          ],
          dependencies: [{ feature: 'parent', variants: ['on'] }],
        },
        opts,
      ),
    ).toEqual([]);
    expect(validateFeature({ ...ok, strategies: [] }, { segmentIds: [] })).toEqual([]);
  });

  const bad: [string, unknown, string, RegExp][] = [
    ['not an object', 7, '', /must be an object/],
    ['missing name', { ...ok, name: '' }, '/name', /required/],
    ['name with spaces', { ...ok, name: 'new checkout' }, '/name', /spaces/],
    ['long name', { ...ok, name: 'x'.repeat(101) }, '/name', /longer than 100/],
    ['enabled missing', { name: 'x', strategies: [] }, '/enabled', /required/],
    ['strategies not a list', { ...ok, strategies: {} }, '/strategies', /must be a list/],
    ['unknown strategy', withStrategy({ name: 'custom' }), '/strategies/1/name', /unknown strategy "custom"/],
    ['reserved id', withStrategy({ name: 'default', id: 'keyward:license-on' }), '/strategies/1/id', /reserved/],
    [
      'rollout above 100',
      withStrategy({ name: 'flexibleRollout', parameters: { rollout: '150' } }),
      '/strategies/1/parameters/rollout',
      /0 to 100/,
    ],
    [
      'rollout missing',
      withStrategy({ name: 'flexibleRollout', parameters: {} }),
      '/strategies/1/parameters/rollout',
      /required/,
    ],
    [
      'negative percentage',
      withStrategy({ name: 'gradualRolloutRandom', parameters: { percentage: -1 } }),
      '/strategies/1/parameters/percentage',
      /0 to 100/,
    ],
    [
      'bad stickiness',
      withStrategy({ name: 'flexibleRollout', parameters: { rollout: '5', stickiness: 'a b' } }),
      '/strategies/1/parameters/stickiness',
      /stickiness/,
    ],
    [
      'bad IP',
      withStrategy({ name: 'remoteAddress', parameters: { IPs: '10.0.0.1, 10.0.0.300' } }),
      '/strategies/1/parameters/IPs',
      /"10.0.0.300" is not an IP/,
    ],
    [
      'no user ids',
      withStrategy({ name: 'userWithId', parameters: { userIds: ' , ' } }),
      '/strategies/1/parameters/userIds',
      /at least one/,
    ],
    [
      'unknown segment',
      withStrategy({ name: 'default', segments: [1, 7] }),
      '/strategies/1/segments/1',
      /unknown segment 7/,
    ],
    [
      'unknown operator',
      withConstraint({ contextName: 'plan', operator: 'LIKE', values: ['x'] }),
      '/strategies/1/constraints/1/operator',
      /unknown operator "LIKE"/,
    ],
    [
      'missing values',
      withConstraint({ contextName: 'plan', operator: 'IN', values: [] }),
      '/strategies/1/constraints/1/values',
      /at least one value/,
    ],
    [
      'empty value',
      withConstraint({ contextName: 'plan', operator: 'NOT_IN', values: ['a', ' '] }),
      '/strategies/1/constraints/1/values/1',
      /empty value/,
    ],
    [
      'non-string value',
      withConstraint({ contextName: 'plan', operator: 'IN', values: [3] }),
      '/strategies/1/constraints/1/values/0',
      /strings/,
    ],
    [
      'non-numeric NUM',
      withConstraint({ contextName: 'seats', operator: 'NUM_GT', value: 'ten' }),
      '/strategies/1/constraints/1/value',
      /"ten" is not a number/,
    ],
    [
      'missing single value',
      withConstraint({ contextName: 'seats', operator: 'NUM_GT', values: ['1'] }),
      '/strategies/1/constraints/1/value',
      /single value/,
    ],
    [
      'bad date',
      withConstraint({ contextName: 'currentTime', operator: 'DATE_AFTER', value: 'next tuesday' }),
      '/strategies/1/constraints/1/value',
      /ISO-8601/,
    ],
    [
      'date without zone',
      withConstraint({ contextName: 'currentTime', operator: 'DATE_BEFORE', value: '2025-01-01T00:00:00' }),
      '/strategies/1/constraints/1/value',
      /time zone/,
    ],
    [
      'bad semver',
      withConstraint({ contextName: 'version', operator: 'SEMVER_EQ', value: '1.2' }),
      '/strategies/1/constraints/1/value',
      /not a semantic version/,
    ],
    [
      'semver with v',
      withConstraint({ contextName: 'version', operator: 'SEMVER_EQ', value: 'v1.2.3' }),
      '/strategies/1/constraints/1/value',
      /without "v"/,
    ],
    [
      'bad CIDR',
      withConstraint({ contextName: 'remoteAddress', operator: 'IN_CIDR', values: ['10.0.0.0/40'] }),
      '/strategies/1/constraints/1/values/0',
      /not an IP address or CIDR/,
    ],
    [
      'invalid regex',
      withConstraint({ contextName: 'email', operator: 'REGEX', value: '(abc' }),
      '/strategies/1/constraints/1/value',
      /invalid regular expression/,
    ],
    [
      'lookahead regex',
      withConstraint({ contextName: 'email', operator: 'REGEX', value: '^(?=a)b' }),
      '/strategies/1/constraints/1/value',
      /lookahead/,
    ],
    [
      'backreference',
      withConstraint({ contextName: 'email', operator: 'REGEX', value: '(a)\\1' }),
      '/strategies/1/constraints/1/value',
      /backreferences/,
    ],
    [
      'long regex',
      withConstraint({ contextName: 'email', operator: 'REGEX', value: 'a'.repeat(513) }),
      '/strategies/1/constraints/1/value',
      /longer than 512/,
    ],
    [
      'catastrophic regex',
      withConstraint({ contextName: 'email', operator: 'REGEX', value: '^(a+)+$' }),
      '/strategies/1/constraints/1/value',
      /nested repetition/,
    ],
    [
      'bad contextName',
      withConstraint({ contextName: 'a b', operator: 'IN', values: ['x'] }),
      '/strategies/1/constraints/1/contextName',
      /not a valid context field/,
    ],
    [
      'inverted not boolean',
      withConstraint({ contextName: 'plan', operator: 'IN', values: ['x'], inverted: 'yes' }),
      '/strategies/1/constraints/1/inverted',
      /boolean/,
    ],
    ['variant weight', { ...ok, variants: [{ name: 'a', weight: 1001 }] }, '/variants/0/weight', /0 to 1000/],
    [
      'duplicate variant',
      {
        ...ok,
        variants: [
          { name: 'a', weight: 500 },
          { name: 'a', weight: 500 },
        ],
      },
      '/variants/1/name',
      /duplicate/,
    ],
    [
      'fixed weights too high',
      {
        ...ok,
        variants: [
          { name: 'a', weight: 800, weightType: 'fix' },
          { name: 'b', weight: 300, weightType: 'fix' },
        ],
      },
      '/variants',
      /more than 1000/,
    ],
    [
      'fixed weights short',
      { ...ok, variants: [{ name: 'a', weight: 800, weightType: 'fix' }] },
      '/variants',
      /add up to 1000/,
    ],
    [
      'weightType',
      { ...ok, variants: [{ name: 'a', weight: 1000, weightType: 'half' }] },
      '/variants/0/weightType',
      /variable/,
    ],
    [
      'mixed stickiness',
      {
        ...ok,
        variants: [
          { name: 'a', weight: 500 },
          { name: 'b', weight: 500, stickiness: 'accountId' },
        ],
      },
      '/variants/1/stickiness',
      /share one stickiness/,
    ],
    [
      'json payload',
      { ...ok, variants: [{ name: 'a', weight: 1000, payload: { type: 'json', value: '{oops' } }] },
      '/variants/0/payload/value',
      /does not parse/,
    ],
    [
      'number payload',
      { ...ok, variants: [{ name: 'a', weight: 1000, payload: { type: 'number', value: 'abc' } }] },
      '/variants/0/payload/value',
      /not a number/,
    ],
    [
      'payload type',
      { ...ok, variants: [{ name: 'a', weight: 1000, payload: { type: 'xml', value: '<a/>' } }] },
      '/variants/0/payload/type',
      /one of/,
    ],
    [
      'override values',
      { ...ok, variants: [{ name: 'a', weight: 1000, overrides: [{ contextName: 'userId', values: [] }] }] },
      '/variants/0/overrides/0/values',
      /at least one/,
    ],
    [
      'strategy variant',
      withStrategy({ name: 'default', variants: [{ name: '', weight: 10 }] }),
      '/strategies/1/variants/0/name',
      /required/,
    ],
    ['self dependency', { ...ok, dependencies: [{ feature: 'new-checkout' }] }, '/dependencies/0/feature', /itself/],
    [
      'unknown dependency',
      { ...ok, dependencies: [{ feature: 'ghost' }] },
      '/dependencies/0/feature',
      /unknown flag "ghost"/,
    ],
    [
      'variants on a disabled parent',
      { ...ok, dependencies: [{ feature: 'parent', enabled: false, variants: ['a'] }] },
      '/dependencies/0/variants',
      /only apply/,
    ],
  ];
  it.each(bad)('%s', (_label, def, path, message) => {
    const issues = validateFeature(def, opts);
    const hit = issues.find((i) => i.path === path);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit?.message).toMatch(message);
  });
});

describe('validateSegment and validateConstraint', () => {
  it('checks segments', () => {
    expect(
      validateSegment({ name: 'EU', constraints: [{ contextName: 'region', operator: 'IN', values: ['eu'] }] }),
    ).toEqual([]);
    expect(validateSegment({ id: 0, name: '', constraints: [{ contextName: 'r', operator: 'NOPE' }] })).toEqual([
      { path: '/id', message: 'id must be a positive integer' },
      { path: '/name', message: 'the segment name is required (a non-empty string)' },
      { path: '/constraints/0/operator', message: expect.stringMatching(/unknown operator "NOPE"/) },
    ]);
  });

  it('checks one constraint under a given path', () => {
    expect(validateConstraint({ contextName: 'x', operator: 'NUM_EQ', value: '1e3' })).toEqual([]);
    expect(validateConstraint({ contextName: 'x', operator: 'NUM_EQ', value: 'x' }, '/c')).toEqual([
      { path: '/c/value', message: '"x" is not a number' },
    ]);
  });
});

describe('RE2 translation', () => {
  const run = (p: string, s: string, ci = false) => {
    const t = translateRe2(p, ci);
    if (!t.ok) throw new Error(t.error);
    return new RegExp(t.source, t.flags).test(s);
  };
  it('supports RE2 syntax JavaScript lacks and keeps RE2 semantics', () => {
    expect(run('^[[:alpha:]]+$', 'AbC')).toBe(true);
    expect(run('^[[:^digit:]]+$', 'abc')).toBe(true);
    expect(run('\\Qa.b\\E', 'a.b')).toBe(true);
    expect(run('\\Qa.b\\E', 'axb')).toBe(false);
    expect(run('\\Aab\\z', 'ab')).toBe(true);
    expect(run('^\\x{41}\\101$', 'AA')).toBe(true);
    expect(run('^\\pL+$', 'héllo')).toBe(true);
    expect(run('^\\p{Greek}+$', 'αβγ')).toBe(true);
    expect(run('a{,2}', 'a{,2}')).toBe(true);
    expect(run('^a.c$', 'a\rc')).toBe(true);
    expect(run('^a\\sc$', 'a\u00a0c')).toBe(false);
    expect(run('x(?m:^y$)', 'x\ny')).toBe(false);
    expect(run('(?m)^y$', 'x\ny\nz')).toBe(true);
    expect(run('(?s:a.b)', 'a\nb')).toBe(true);
    expect(run('^(?i)abc$', 'ABC')).toBe(true);
    expect(run('^abc$', 'ABC', true)).toBe(true);
  });
  it('rejects what RE2 rejects or JavaScript cannot scope', () => {
    for (const p of ['(?=a)', '(?<!a)b', '(a)\\1', 'a(?i)b', '(?U)a+', '\\Z', 'a{1001}', '(', 'a)', '**']) {
      expect(translateRe2(p).ok, p).toBe(false);
    }
  });
});
