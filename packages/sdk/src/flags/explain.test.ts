import { describe, expect, it } from 'vitest';
import { FlagEngine } from './engine.ts';
import { withToggles } from './toggles.ts';
import type { Explanation, FeatureDefinition } from './types.ts';

const ids = Array.from({ length: 1000 }, (_, i) => `acc-${i}`);
const features: FeatureDefinition[] = [
  {
    name: 'beta',
    enabled: true,
    variants: [
      { name: 'blue', weight: 500, stickiness: 'accountId' },
      { name: 'green', weight: 500, stickiness: 'accountId' },
    ],
    strategies: [
      { name: 'default', disabled: true },
      {
        name: 'flexibleRollout',
        title: 'Pro rollout',
        parameters: { rollout: '25', stickiness: 'accountId', groupId: 'beta' },
        constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro', 'Enterprise'] }],
        segments: [3],
      },
      { name: 'default', constraints: [{ contextName: 'accountId', operator: 'IN', values: ids }] },
    ],
  },
  { name: 'killed', enabled: false, strategies: [] },
  { name: 'child', enabled: true, strategies: [], dependencies: [{ feature: 'killed' }] },
  { name: 'orphan', enabled: true, strategies: [], dependencies: [{ feature: 'nowhere' }] },
  {
    name: 'ranged',
    enabled: true,
    strategies: [
      {
        name: 'default',
        constraints: [
          { contextName: 'seats', operator: 'NUM_GTE', value: '10' },
          { contextName: 'version', operator: 'SEMVER_LT', value: '2.0.0', inverted: true },
        ],
      },
    ],
  },
];
const segments = [
  { id: 3, name: 'EU', constraints: [{ contextName: 'region', operator: 'STR_STARTS_WITH', values: ['eu-'] }] },
];
const engine = new FlagEngine({ features, segments });
const props = (p: Record<string, string>) => ({ properties: p });
const step = (x: Explanation, subject: string) => x.steps.find((s) => s.subject === subject);

describe('explain', () => {
  it('walks every strategy with each constraint, segment and rollout, saying why', () => {
    const x = engine.explain('beta', props({ accountId: 'a1', plan: 'Pro', region: 'eu-west' }));
    expect(x).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(x.steps[0]).toEqual({ subject: 'flag', outcome: 'pass', detail: 'the flag is switched on' });
    expect(step(x, 'strategy[0] default')).toMatchObject({ outcome: 'skip', detail: 'the strategy is disabled' });
    expect(step(x, 'constraint plan IN')).toMatchObject({
      outcome: 'pass',
      detail: 'plan Pro is among [Pro, Enterprise]',
    });
    expect(step(x, 'segment 3')).toMatchObject({ outcome: 'pass', detail: 'segment 3 (EU): all its constraints pass' });
    expect(step(x, 'segment 3: constraint region STR_STARTS_WITH')?.detail).toBe('region eu-west starts with eu-');
    expect(step(x, 'rollout')).toMatchObject({ outcome: 'fail' });
    expect(step(x, 'rollout')?.detail).toMatch(/^bucket (\d+) > rollout 25 \(accountId a1, group beta\)$/);
    expect(step(x, 'strategy[1] flexibleRollout "Pro rollout"')?.detail).toMatch(
      /^did not match: bucket \d+ > rollout 25/,
    );
    expect(step(x, 'constraint accountId IN')).toMatchObject({
      outcome: 'fail',
      detail: 'accountId a1 is not among the 1000 listed values',
    });
    expect(x.steps.at(-1)).toEqual({
      subject: 'result',
      outcome: 'decide',
      detail: 'no strategy matched: off for this context',
    });
  });

  it('marks the deciding strategy, skips the rest and explains the variant pick', () => {
    const x = engine.explain('beta', props({ accountId: 'acc-7', plan: 'Free' }));
    expect(x).toMatchObject({ enabled: true, reason: 'TARGETING_MATCH', strategy: { index: 2, name: 'default' } });
    expect(step(x, 'strategy[2] default')).toMatchObject({ outcome: 'decide' });
    expect(step(x, 'constraint accountId IN')?.detail).toBe('accountId acc-7 is among the 1000 listed values');
    const v = step(x, 'variant');
    expect(v?.outcome).toBe('decide');
    expect(v?.detail).toMatch(
      new RegExp(`^variant ${x.variant.name}: bucket \\d+ of 1000 \\(stickiness accountId acc-7`),
    );
    expect(x.variant).toEqual(engine.evaluate('beta', props({ accountId: 'acc-7', plan: 'Free' })).variant);
  });

  it('explains the kill switch, dependencies and missing flags', () => {
    expect(engine.explain('killed', {}).steps).toEqual([
      { subject: 'flag', outcome: 'decide', detail: 'the flag is switched off: off for everyone (kill switch)' },
    ]);
    const child = engine.explain('child', {});
    expect(child.reason).toBe('PARENT_UNSATISFIED');
    expect(step(child, 'dependency:killed')).toMatchObject({
      outcome: 'fail',
      detail: 'parent killed is off for this context (required: on)',
    });
    expect(step(engine.explain('orphan', {}), 'dependency:nowhere')?.detail).toBe('parent nowhere does not exist');
    expect(engine.explain('nope', {})).toMatchObject({
      reason: 'NOT_FOUND',
      steps: [{ subject: 'flag', outcome: 'decide', detail: 'there is no flag named nope' }],
    });
  });

  it('says why numbers and versions pass or fail, including inversion', () => {
    const x = engine.explain('ranged', props({ seats: '12', version: '2.1.0' }));
    expect(x.enabled).toBe(true);
    expect(step(x, 'constraint seats NUM_GTE')?.detail).toBe('seats 12 is ≥ 10');
    expect(step(x, 'constraint version SEMVER_LT')?.detail).toBe(
      'version 2.1.0 is not < 2.0.0; the constraint is inverted, so it passes',
    );
    expect(step(engine.explain('ranged', props({ seats: 'many' })), 'constraint seats NUM_GTE')?.detail).toBe(
      'seats many is not a number',
    );
  });

  it('words per-customer toggles as toggles', () => {
    const toggled = withToggles(features[0] as FeatureDefinition, {
      accounts: { on: ['a-on'], off: ['a-off'] },
      licenses: { on: ['l-on'], off: ['l-off'] },
    });
    const e = new FlagEngine({ features: [toggled], segments });
    const on = e.explain('beta', props({ accountId: 'a-off', licenseId: 'l-on' }));
    expect(on).toMatchObject({ enabled: true, reason: 'TARGETING_MATCH', strategy: { id: 'keyward:license-on' } });
    expect(step(on, 'toggle license-on')).toMatchObject({
      outcome: 'decide',
      detail: 'turned on for this license by a per-customer toggle (licenseId l-on)',
    });
    const off = e.explain('beta', props({ accountId: 'a-on', licenseId: 'l-off' }));
    expect(off.enabled).toBe(false);
    expect(step(off, 'toggle account-on')?.detail).toBe(
      'did not match: turned off for this license by a per-customer toggle (licenseId l-off), which wins over the account toggle',
    );
    const accountOff = e.explain('beta', props({ accountId: 'a-off', licenseId: 'l9', plan: 'Pro', region: 'eu-1' }));
    expect(step(accountOff, 'toggle account off-list')).toMatchObject({
      outcome: 'fail',
      detail: 'turned off for this account by a per-customer toggle (accountId a-off)',
    });
    const accountOn = e.explain('beta', props({ accountId: 'a-on', licenseId: 'l9' }));
    expect(step(accountOn, 'toggle account-on')?.detail).toBe(
      'turned on for this account by a per-customer toggle (accountId a-on)',
    );
  });

  it('agrees with evaluate() for many contexts', () => {
    for (let i = 0; i < 300; i++) {
      const ctx = props({ accountId: `acc-${i * 7}`, plan: i % 2 ? 'Pro' : 'Free', region: i % 3 ? 'eu-x' : 'us-x' });
      const { steps: _steps, ...x } = engine.explain('beta', ctx);
      expect(x).toEqual(engine.evaluate('beta', ctx));
    }
  });
});
