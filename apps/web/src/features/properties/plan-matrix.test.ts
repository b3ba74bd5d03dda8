import { describe, expect, it } from 'vitest';
import type { PropertyDef } from '../entitlements/entitlements-types.ts';
import { canSetEnforcementOnly, cellOf, orderPlans, planValueBody, planValueFormOf } from './plan-matrix.ts';
import type { PlanPropertyValue } from './properties-api.ts';

const def: Pick<PropertyDef, 'type' | 'options' | 'multiple' | 'metered'> = {
  type: 'number',
  options: [],
  multiple: false,
  metered: true,
};
const stored = (value: unknown, enforcement: 'hard' | 'soft' | null = null, inheritsValue = false) => ({
  value,
  enforcement,
  inheritsValue,
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const row = (over: Partial<PlanPropertyValue>): PlanPropertyValue => ({
  property: { id: 'p', key: 'api_calls', name: 'API calls', type: 'number', unit: 'calls' },
  value: 100,
  enforcement: 'hard',
  source: 'default',
  planValue: null,
  basePlanValue: null,
  defaultValue: 100,
  ...over,
});
const business = { name: 'Business' };

describe('orderPlans', () => {
  it('puts each plan right after the plan it is based on, otherwise keeps the order', () => {
    const plans = [
      { id: 'trial', basePlanId: 'biz' },
      { id: 'starter', basePlanId: null },
      { id: 'biz', basePlanId: null },
      { id: 'biz-eu', basePlanId: 'biz' },
      { id: 'orphan', basePlanId: 'elsewhere' },
    ];
    expect(orderPlans(plans).map((p) => p.id)).toEqual(['starter', 'biz', 'trial', 'biz-eu', 'orphan']);
  });
});

describe('cellOf', () => {
  it('the plan’s own value with its enforcement', () => {
    expect(cellOf(row({ value: 5000, source: 'plan', planValue: stored(5000, 'soft') }), null)).toEqual({
      kind: 'own',
      value: 5000,
      enforcement: 'soft',
    });
  });

  it('an enforcement over the base plan’s value: inherits <value> from <base plan>', () => {
    const r = row({
      value: 10000,
      enforcement: 'soft',
      source: 'base_plan',
      planValue: stored(null, 'soft', true),
      basePlanValue: stored(10000),
    });
    expect(cellOf(r, business)).toEqual({
      kind: 'enforcementOnly',
      value: 10000,
      enforcement: 'soft',
      from: 'Business',
    });
  });

  it('an enforcement over the default (the base plan sets nothing)', () => {
    const r = row({ source: 'default', planValue: stored(null, 'soft', true) });
    expect(cellOf(r, business)).toEqual({ kind: 'enforcementOnly', value: 100, enforcement: 'soft', from: null });
  });

  it('nothing of its own: the base plan’s value, else the default', () => {
    const r = row({ value: 10000, source: 'base_plan', basePlanValue: stored(10000, 'hard') });
    expect(cellOf(r, business)).toEqual({ kind: 'base', value: 10000, enforcement: 'hard', from: 'Business' });
    expect(cellOf(row({}), business)).toEqual({ kind: 'default', value: 100 });
    expect(cellOf(row({}), null)).toEqual({ kind: 'default', value: 100 });
  });
});

describe('the plan value form', () => {
  it('only number properties of plans with a base plan may set only the enforcement', () => {
    expect(canSetEnforcementOnly({ type: 'number' }, true)).toBe(true);
    expect(canSetEnforcementOnly({ type: 'number' }, false)).toBe(false);
    expect(canSetEnforcementOnly({ type: 'boolean' }, true)).toBe(false);
  });

  it('is prefilled with the plan’s own value, or with what it has now', () => {
    const own = planValueFormOf(def, row({ value: 5000, planValue: stored(5000, 'soft') }));
    expect(own).toMatchObject({ mode: 'value', enforcement: 'soft', draft: { number: 5000 } });
    const inherited = planValueFormOf(def, row({ value: 10000, planValue: stored(null, 'soft', true) }));
    expect(inherited).toMatchObject({ mode: 'enforcementOnly', enforcement: 'soft', draft: { number: 10000 } });
    expect(planValueFormOf(def, row({}))).toMatchObject({
      mode: 'value',
      enforcement: 'inherit',
      draft: { number: 100 },
    });
  });

  it('sends a value with an enforcement, a value alone, or an enforcement alone', () => {
    const form = planValueFormOf(def, row({}));
    const at = (number: number) => ({ ...form.draft, number });
    expect(planValueBody(def, { ...form, draft: at(5000) })).toEqual({ ok: true, body: { value: 5000 } });
    expect(planValueBody(def, { ...form, draft: at(5000), enforcement: 'soft' })).toEqual({
      ok: true,
      body: { value: 5000, enforcement: 'soft' },
    });
    expect(planValueBody(def, { ...form, mode: 'enforcementOnly', enforcement: 'soft' })).toEqual({
      ok: true,
      body: { enforcement: 'soft' },
    });
    expect(planValueBody(def, { ...form, mode: 'enforcementOnly' })).toEqual({
      ok: false,
      field: 'enforcement',
      error: 'required',
    });
  });

  it('checks the value before sending; enforcement is never sent for other types', () => {
    const form = planValueFormOf(def, row({}));
    expect(planValueBody(def, { ...form, draft: { ...form.draft, number: 2.5 } })).toEqual({
      ok: false,
      field: 'value',
      error: 'whole',
    });
    const bool = { type: 'boolean' as const, options: [], multiple: false, metered: false };
    const boolForm = { mode: 'value' as const, draft: { ...form.draft, bool: true }, enforcement: 'soft' as const };
    expect(planValueBody(bool, boolForm)).toEqual({ ok: true, body: { value: true } });
  });
});
