import { describe, expect, it } from 'vitest';
import { keyedBy, shortList, summarizeFlag } from './flag-summary.ts';
import { contextOf } from './try-context.ts';

describe('who a flag includes', () => {
  it('no strategies is everyone; all paused is nobody', () => {
    expect(summarizeFlag([])).toEqual({ kind: 'everyone' });
    expect(summarizeFlag([{ name: 'default', disabled: true }])).toEqual({ kind: 'nobody' });
  });

  it('a 25 % rollout of accounts where plan in Business, Trial, and a segment by name', () => {
    const audience = summarizeFlag(
      [
        {
          name: 'flexibleRollout',
          parameters: { rollout: '25', stickiness: 'accountId' },
          constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business', 'Trial'] }],
          segments: [3, 9],
        },
        { name: 'default', disabled: true },
      ],
      new Map([[3, 'Paying']]),
    );
    expect(audience).toEqual({
      kind: 'strategies',
      strategies: [
        {
          target: { kind: 'rollout', percent: 25, unit: 'accounts', field: 'accountId' },
          conditions: [{ field: 'plan', operator: 'IN', values: ['Business', 'Trial'], inverted: false }],
          segments: ['Paying', '#9'],
          disabled: false,
        },
      ],
    });
  });

  it('100 % is everyone; lists count their ids; single values and inversion kept; unknown strategies named', () => {
    const audience = summarizeFlag([
      { name: 'flexibleRollout', parameters: { rollout: 100, stickiness: 'tenant' } },
      { name: 'userWithId', parameters: { userIds: 'a, b,,c' } },
      { name: 'remoteAddress', parameters: { IPs: '10.0.0.0/8' } },
      { name: 'gradualRolloutRandom', parameters: { percentage: '5' } },
      {
        name: 'applicationHostname',
        constraints: [{ contextName: 'v', operator: 'SEMVER_GT', value: '1.0.0', inverted: true }],
      },
    ]);
    if (audience.kind !== 'strategies') throw new Error('expected strategies');
    expect(audience.strategies.map((s) => s.target)).toEqual([
      { kind: 'everyone' },
      { kind: 'users', count: 3 },
      { kind: 'addresses', count: 1 },
      { kind: 'rollout', percent: 5, unit: 'random', field: 'random' },
      { kind: 'other', name: 'applicationHostname' },
    ]);
    expect(audience.strategies[4]?.conditions).toEqual([
      { field: 'v', operator: 'SEMVER_GT', values: ['1.0.0'], inverted: true },
    ]);
  });

  it('shortens long lists and keys repeated lines apart', () => {
    expect(shortList(['a', 'b', 'c', 'd', 'e'])).toEqual({ shown: ['a', 'b', 'c'], more: 2 });
    expect(keyedBy(['x', 'y', 'x'], (s) => s).map((k) => k.key)).toEqual(['x', 'y', 'x#2']);
  });
});

describe('"Try it" context rows', () => {
  it('standard fields at the top level, others as properties; blank names ignored; nothing → undefined', () => {
    expect(
      contextOf([
        { uid: '1', name: 'userId', value: 'u1' },
        { uid: '2', name: 'plan', value: 'Enterprise' },
        { uid: '3', name: ' ', value: 'x' },
        { uid: '4', name: 'plan', value: 'Business' },
      ]),
    ).toEqual({ userId: 'u1', properties: { plan: 'Business' } });
    expect(contextOf([])).toBeUndefined();
  });
});
