import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../platform/clock.ts';
import { type Candidate, effectiveValue, type PropertyDef } from './effective.ts';
import { JSON_VALUE_MAX_BYTES, valueProblem } from './property-values.ts';

const limit: PropertyDef = {
  id: 'p1',
  productId: 'prod',
  key: 'calls',
  name: 'Calls',
  description: '',
  type: 'number',
  defaultValue: 10,
  options: [],
  multiple: false,
  enforcement: 'hard',
  warningThresholdPercent: null,
  metered: true,
  resetPeriod: 'none',
  unit: 'calls',
};

const clock = new ManualClock('2026-03-01T00:00:00.000Z');
const at = (iso: string) => new Date(iso);
const licenseOverride: Candidate = {
  kind: 'license_override',
  value: 500,
  enforcement: null,
  id: 'lo',
  reason: 'pilot',
  authorName: 'Ann',
  expiresAt: at('2026-03-10T00:00:00.000Z'),
};
const accountOverride: Candidate = {
  kind: 'account_override',
  value: 300,
  enforcement: 'soft',
  id: 'ao',
  reason: 'deal',
  authorName: 'Bob',
};
const plan: Candidate = { kind: 'plan', value: 100, enforcement: null, id: 'plan', planName: 'Trial' };
const basePlan: Candidate = { kind: 'base_plan', value: 50, enforcement: 'hard', id: 'base', planName: 'Business' };

describe('effective property values (pure precedence)', () => {
  it('license override > account override > plan > base plan > default, each reported as the source', () => {
    const chains = [
      [{ licenseOverride, accountOverride, plan, basePlan }, 'license_override', 500],
      [{ accountOverride, plan, basePlan }, 'account_override', 300],
      [{ plan, basePlan }, 'plan', 100],
      [{ basePlan }, 'base_plan', 50],
      [{}, 'default', 10],
    ] as const;
    for (const [chain, kind, value] of chains) {
      const e = effectiveValue(limit, chain, clock.now());
      expect({ kind: e.source.kind, value: e.value }).toEqual({ kind, value });
      expect(e.trace.map((s) => s.source.kind)).toEqual([
        'license_override',
        'account_override',
        'plan',
        'base_plan',
        'default',
      ]);
      expect(e.trace.filter((s) => s.outcome === 'decided')).toHaveLength(1);
    }
    const all = effectiveValue(limit, { licenseOverride, accountOverride, plan, basePlan }, clock.now());
    expect(all.source).toEqual({
      kind: 'license_override',
      id: 'lo',
      planName: null,
      reason: 'pilot',
      authorName: 'Ann',
      expiresAt: '2026-03-10T00:00:00.000Z',
    });
    expect(all.trace.map((s) => s.outcome)).toEqual(['decided', 'shadowed', 'shadowed', 'shadowed', 'shadowed']);
    expect(all.trace[0]?.detail).toBe(
      'License override 500 by Ann decides until 2026-03-10T00:00:00.000Z (reason: pilot)',
    );
    expect(all.trace[2]?.detail).toBe('Plan value 100 of plan Trial is overridden by the license override');
    // Enforcement resolves independently: the first active candidate that sets one (the account override here).
    expect(all.enforcement).toBe('soft');
  });

  it('an expired override no longer decides: the next layer does, and the trace says expired', () => {
    const before = effectiveValue(limit, { licenseOverride, plan }, at('2026-03-09T23:59:59.999Z'));
    expect(before.source.kind).toBe('license_override');
    const exactly = effectiveValue(limit, { licenseOverride, plan }, at('2026-03-10T00:00:00.000Z'));
    expect(exactly.source.kind).toBe('plan');
    expect(exactly.value).toBe(100);
    expect(exactly.trace[0]).toMatchObject({
      outcome: 'expired',
      detail: 'License override 500 by Ann expired on 2026-03-10T00:00:00.000Z',
    });
    expect(exactly.trace[1]).toMatchObject({ outcome: 'absent', detail: 'Account override: none set' });
    expect(exactly.trace[2]?.detail).toBe('Plan value 100 of plan Trial decides');
  });

  it("falls back to the property's enforcement, to hard for numbers, and to null for other types", () => {
    expect(effectiveValue(limit, { plan }, clock.now()).enforcement).toBe('hard');
    expect(effectiveValue({ ...limit, enforcement: null }, {}, clock.now()).enforcement).toBe('hard');
    expect(effectiveValue({ ...limit, enforcement: 'soft' }, { plan }, clock.now()).enforcement).toBe('soft');
    const flag: PropertyDef = { ...limit, type: 'boolean', defaultValue: false, enforcement: null, metered: false };
    expect(effectiveValue(flag, { plan: { ...plan, value: true, enforcement: 'soft' } }, clock.now())).toMatchObject({
      value: true,
      enforcement: null,
    });
    const dflt = effectiveValue(flag, {}, clock.now());
    expect(dflt.trace.at(-1)?.detail).toBe('Property default false decides: no plan value or override is set');
  });
});

describe('property value rules', () => {
  const rules = (extra: Partial<PropertyDef>) =>
    ({ type: 'number', options: [], multiple: false, metered: false, ...extra }) as PropertyDef;
  it('accepts exactly the values of each type', () => {
    const ok: Array<[Partial<PropertyDef>, unknown]> = [
      [{ type: 'boolean' }, true],
      [{ type: 'number' }, 0],
      [{ type: 'number' }, 2.5],
      [{ type: 'number' }, null],
      [{ type: 'number', metered: true }, 1000],
      [{ type: 'enum', options: ['a', 'b'] }, 'b'],
      [{ type: 'enum', options: ['a', 'b'], multiple: true }, ['b', 'a']],
      [{ type: 'enum', options: ['a', 'b'], multiple: true }, []],
      [{ type: 'json' }, null],
      [{ type: 'json' }, { nested: [1, { x: 'y' }] }],
      [{ type: 'json' }, 'x'.repeat(JSON_VALUE_MAX_BYTES - 2)],
    ];
    for (const [r, v] of ok)
      expect({ r, v, problem: valueProblem(rules(r), v, '/v') }).toEqual({ r, v, problem: null });
    const bad: Array<[Partial<PropertyDef>, unknown, string]> = [
      [{ type: 'boolean' }, 'true', '/v'],
      [{ type: 'boolean' }, null, '/v'],
      [{ type: 'number' }, -0.5, '/v'],
      [{ type: 'number' }, Number.MAX_SAFE_INTEGER + 2, '/v'],
      [{ type: 'number' }, '5', '/v'],
      [{ type: 'number', metered: true }, 0.5, '/v'],
      [{ type: 'enum', options: ['a'] }, 'A', '/v'],
      [{ type: 'enum', options: ['a'] }, ['a'], '/v'],
      [{ type: 'enum', options: ['a', 'b'], multiple: true }, ['a', 'c'], '/v/1'],
      [{ type: 'enum', options: ['a', 'b'], multiple: true }, ['a', 'a'], '/v/1'],
      [{ type: 'json' }, 'x'.repeat(JSON_VALUE_MAX_BYTES), '/v'],
    ];
    for (const [r, v, field] of bad) expect({ r, field: valueProblem(rules(r), v, '/v')?.field }).toEqual({ r, field });
  });

  it('an enforcement-only plan value makes the inherited value soft without deciding the value', () => {
    const soft: Candidate = {
      kind: 'plan',
      value: null,
      enforcement: 'soft',
      id: 'trial',
      planName: 'Trial',
      inheritsValue: true,
    };
    const business: Candidate = {
      kind: 'base_plan',
      value: 10_000,
      enforcement: null,
      id: 'biz',
      planName: 'Business',
    };
    const e = effectiveValue(limit, { plan: soft, basePlan: business }, clock.now());
    expect(e).toMatchObject({
      value: 10_000,
      enforcement: 'soft',
      source: { kind: 'base_plan', planName: 'Business' },
    });
    expect(e.trace.find((c) => c.source.kind === 'plan')).toMatchObject({
      outcome: 'absent',
      detail: 'Plan value of plan Trial: no value of its own (inherited); it makes the limit soft',
    });
    // Without a base plan the default is enforced softly.
    expect(effectiveValue(limit, { plan: soft }, clock.now())).toMatchObject({ value: 10, enforcement: 'soft' });
  });
});
