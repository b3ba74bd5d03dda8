import { describe, expect, it } from 'vitest';
import {
  constraintDraft,
  draftFromJson,
  FLAG_KEY,
  fromFlag,
  isDirty,
  move,
  newStrategy,
  toDefinition,
  toVariants,
  variantDraft,
  withOperator,
} from './flag-form.ts';
import type { Flag, StrategyDefinition } from './flags-types.ts';

const flag = (over: Partial<Flag> = {}): Flag => ({
  id: 'f1',
  productId: 'p1',
  product: { id: 'p1', code: 'ACME', name: 'Acme' },
  key: 'new-editor',
  description: 'The editor',
  type: 'release',
  enabled: true,
  strategies: [],
  variants: [],
  dependencies: [],
  impressionData: false,
  version: 3,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  ...over,
});

describe('flag form ↔ API definition', () => {
  it('round-trips a rich definition unchanged (unknown parameters and variant overrides kept)', () => {
    const strategies: StrategyDefinition[] = [
      {
        name: 'flexibleRollout',
        title: 'Beta',
        parameters: { rollout: '25', stickiness: 'accountId', groupId: 'new-editor', extra: 'x' },
        constraints: [
          { contextName: 'plan', operator: 'IN', values: ['Business', 'Trial'] },
          { contextName: 'entitlements', operator: 'STR_CONTAINS', values: ['SSO'], caseInsensitive: true },
          { contextName: 'accountCreatedAt', operator: 'DATE_AFTER', value: '2025-03-01T00:00:00Z', inverted: true },
        ],
        segments: [4],
      },
      { name: 'userWithId', parameters: { userIds: 'a,b' } },
      { name: 'remoteAddress', parameters: { IPs: '10.0.0.0/8' }, disabled: true },
      { name: 'applicationHostname', parameters: { hostNames: 'h1' } },
    ];
    const variants = [
      {
        name: 'blue',
        weight: 300,
        weightType: 'fix' as const,
        stickiness: 'accountId',
        payload: { type: 'json' as const, value: '{"a":1}' },
      },
      {
        name: 'red',
        weight: 700,
        weightType: 'variable' as const,
        stickiness: 'accountId',
        overrides: [{ contextName: 'plan', values: ['Trial'] }],
      },
    ];
    const dependencies = [
      { feature: 'base', variants: ['on'] },
      { feature: 'legacy', enabled: false },
    ];
    const def = toDefinition(fromFlag(flag({ strategies, variants, dependencies })));
    expect(def).toEqual({
      description: 'The editor',
      type: 'release',
      strategies,
      variants,
      dependencies,
      impressionData: false,
    });
  });

  it('a fresh draft is not dirty; an edit is, and undoing it is not', () => {
    const base = fromFlag(flag({ strategies: [{ name: 'default' }] }));
    const same = fromFlag(flag({ strategies: [{ name: 'default' }] }));
    expect(isDirty(same, base)).toBe(false);
    const edited = { ...same, description: 'Changed' };
    expect(isDirty(edited, base)).toBe(true);
    expect(isDirty({ ...edited, description: 'The editor' }, base)).toBe(false);
  });

  it('a new gradual rollout is sticky per account and grouped by the flag key', () => {
    const s = newStrategy('flexibleRollout', 'new-editor');
    s.rollout = 25;
    expect(toDefinition({ ...fromFlag(flag()), strategies: [s] }).strategies).toEqual([
      { name: 'flexibleRollout', parameters: { rollout: '25', stickiness: 'accountId', groupId: 'new-editor' } },
    ]);
  });

  it('drops blank values and the case flag where the operator ignores it', () => {
    const c = { ...constraintDraft(), values: [' Business ', '', 'Trial'], caseInsensitive: true };
    expect(
      toDefinition({ ...fromFlag(flag()), strategies: [{ ...newStrategy('default', 'k'), constraints: [c] }] })
        .strategies?.[0]?.constraints,
    ).toEqual([{ contextName: 'plan', operator: 'IN', values: ['Business', 'Trial'] }]);
  });

  it('moves values between the list and the single value when the operator changes', () => {
    const listed = { ...constraintDraft(), values: ['^acme-', 'other'] };
    const single = withOperator(listed, 'REGEX');
    expect(single).toMatchObject({ operator: 'REGEX', value: '^acme-', values: [] });
    expect(withOperator(single, 'STR_STARTS_WITH')).toMatchObject({ values: ['^acme-'], value: '' });
    expect(withOperator(single, 'NUM_GT')).toMatchObject({ operator: 'NUM_GT', value: '^acme-' });
  });

  it('variable variant weights share what the fixed ones leave (Unleash), first ones get the remainder', () => {
    const weights = toVariants([
      { ...variantDraft({ name: 'a' }), weightType: 'fix', weight: 100 },
      variantDraft({ name: 'b' }),
      variantDraft({ name: 'c' }),
      variantDraft({ name: 'd' }),
    ]).map((v) => v.weight);
    expect(weights).toEqual([100, 300, 300, 300]);
    expect(
      toVariants([variantDraft({ name: 'a' }), variantDraft({ name: 'b' }), variantDraft({ name: 'c' })]).map(
        (v) => v.weight,
      ),
    ).toEqual([334, 333, 333]);
  });

  it('reorders within bounds', () => {
    expect(move(['a', 'b', 'c'], 0, 1)).toEqual(['b', 'a', 'c']);
    expect(move(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b']);
    expect(move(['a', 'b'], 0, -1)).toEqual(['a', 'b']);
  });

  it('accepts the server flag key rule only', () => {
    for (const ok of ['new-editor', 'a', 'A.b:c_d-1', 'x'.repeat(100)]) expect(FLAG_KEY.test(ok)).toBe(true);
    for (const bad of ['', '-lead', 'has space', 'ünïcode', 'x'.repeat(101)]) expect(FLAG_KEY.test(bad)).toBe(false);
  });

  it('reads "Edit as JSON" text, refusing what is not a definition', () => {
    const parsed = draftFromJson('{"strategies":[{"name":"default"}],"description":"d"}', flag());
    expect('draft' in parsed && toDefinition(parsed.draft)).toMatchObject({
      description: 'd',
      strategies: [{ name: 'default' }],
      variants: [],
    });
    expect(draftFromJson('{"strategies": 3}', flag())).toEqual({ error: 'strategies must be a list' });
    expect(draftFromJson('{"strategies": [null]}', flag())).toEqual({
      error: 'every item of strategies must be an object',
    });
    expect('error' in draftFromJson('{oops', flag())).toBe(true);
    expect(draftFromJson('[]', flag())).toEqual({ error: 'not an object' });
  });
});
