import { describe, expect, it } from 'vitest';
import { constraintDraft, fromFlag, variantDraft } from './flag-form.ts';
import { allIssues, FLAG_ISSUES, placeFlagIssues, placeSegmentIssues } from './flag-issues.ts';
import type { Flag } from './flags-types.ts';

const flag = {
  id: 'f1',
  productId: 'p1',
  product: { id: 'p1', code: 'ACME', name: 'Acme' },
  key: 'k',
  description: '',
  type: 'release',
  enabled: true,
  strategies: [
    { name: 'default' },
    {
      name: 'flexibleRollout',
      parameters: { rollout: '25' },
      constraints: [
        { contextName: 'plan', operator: 'IN', values: ['a'] },
        { contextName: 'userId', operator: 'REGEX', value: '(a+)+' },
      ],
      variants: [{ name: 'v', weight: 1000 }],
    },
  ],
  variants: [{ name: 'x', weight: 500 }],
  dependencies: [{ feature: 'parent' }],
  impressionData: false,
  version: 1,
  createdAt: '',
  updatedAt: '',
} satisfies Flag;

describe('server field paths → the draft item they are about', () => {
  const draft = fromFlag(flag);
  const s1 = draft.strategies[1];
  if (!s1) throw new Error('fixture');

  it('puts a constraint problem on that constraint, with the field inside it', () => {
    const map = placeFlagIssues(draft, [
      { field: '/body/strategies/1/constraints/1/value', message: 'nested repetition' },
    ]);
    expect(map.get(s1.constraints[1]?.uid ?? '')).toEqual([
      {
        field: 'value',
        message: 'nested repetition',
        location: [
          { kind: 'strategy', index: 1 },
          { kind: 'constraint', index: 1 },
        ],
      },
    ]);
    expect(map.has(s1.uid)).toBe(false);
  });

  it('strategy parameters on the strategy; strategy and flag variants on the variant; dependencies', () => {
    const map = placeFlagIssues(draft, [
      { field: '/body/strategies/1/parameters/rollout', message: 'rollout must be 0–100' },
      { field: '/body/strategies/1/variants/0/name', message: 'bad name' },
      { field: '/body/variants/0/weight', message: 'bad weight' },
      { field: '/body/dependencies/0/feature', message: 'unknown flag' },
    ]);
    expect(map.get(s1.uid)?.[0]?.field).toBe('parameters/rollout');
    expect(map.get(s1.variants[0]?.uid ?? '')?.[0]?.field).toBe('name');
    expect(map.get(draft.variants[0]?.uid ?? '')?.[0]).toMatchObject({
      field: 'weight',
      location: [{ kind: 'variant', index: 0 }],
    });
    expect(map.get(draft.dependencies[0]?.uid ?? '')?.[0]).toMatchObject({ field: 'feature', message: 'unknown flag' });
  });

  it('paths naming no item (or the flag itself) go to the flag, with their path', () => {
    const map = placeFlagIssues(draft, [
      { field: '/body/strategies/7/name', message: 'gone' },
      { field: '/body/variants', message: 'fixed weights add up to 1200' },
      { field: '/body/dependencies', message: 'other flags depend on k' },
      { field: '/body/strategies/1/constraints/9/value', message: 'no such constraint' },
    ]);
    expect(map.get(FLAG_ISSUES)?.map((i) => i.field)).toEqual(['strategies/7/name', 'variants', 'dependencies']);
    expect(map.get(s1.uid)?.[0]).toMatchObject({ field: 'constraints/9/value', message: 'no such constraint' });
    expect(allIssues(map)).toHaveLength(4);
  });

  it('segment constraints by index; other fields on the segment', () => {
    const constraints = [constraintDraft(), constraintDraft({ operator: 'REGEX', value: '(' })];
    const map = placeSegmentIssues(constraints, [
      { field: '/body/constraints/1/value', message: 'invalid regular expression' },
      { field: '/body/name', message: 'must NOT have fewer than 1 characters' },
    ]);
    expect(map.get(constraints[1]?.uid ?? '')?.[0]).toMatchObject({ field: 'value' });
    expect(map.get(FLAG_ISSUES)?.[0]).toMatchObject({ field: 'name' });
  });

  it('keeps issues on their item after it moves (uids, not indexes)', () => {
    const map = placeFlagIssues(draft, [{ field: '/body/variants/0/name', message: 'dup' }]);
    const moved = [variantDraft({ name: 'new' }), ...draft.variants];
    expect(map.get(moved[1]?.uid ?? '')?.[0]?.message).toBe('dup');
  });
});
