import type { Enforcement, PropertyDef } from '../entitlements/entitlements-types.ts';
import { type DraftError, draftOf, type ValueDraft, valueOfDraft } from '../entitlements/values.ts';
import type { PlanPropertyValue, PlanValueBody } from './properties-api.ts';

/**
 * The plan values matrix's logic, free of React (unit-tested): the column order, what a cell says, and the plan value
 * form (prefill and the body it sends).
 */

/**
 * Plans as columns: each plan, then right after it the plans based on it (a trial next to the plan it softens).
 * Otherwise the given order; a plan whose base is not in the list stands on its own.
 */
export function orderPlans<P extends { id: string; basePlanId: string | null }>(plans: P[]): P[] {
  const ids = new Set(plans.map((p) => p.id));
  const isRoot = (p: P) => p.basePlanId === null || !ids.has(p.basePlanId);
  return plans.filter(isRoot).flatMap((root) => [root, ...plans.filter((p) => p.basePlanId === root.id)]);
}

/** What a cell shows: the plan's own value, an enforcement over an inherited value, the base plan's, or the default. */
export type CellView =
  | { kind: 'own'; value: unknown; enforcement: Enforcement | null }
  /** The plan sets only the enforcement; the value comes from the base plan (`from`) or the default (`from` null). */
  | { kind: 'enforcementOnly'; value: unknown; enforcement: Enforcement | null; from: string | null }
  /** The plan sets nothing; its base plan does. */
  | { kind: 'base'; value: unknown; enforcement: Enforcement | null; from: string }
  /** Neither the plan nor its base plan sets it. */
  | { kind: 'default'; value: unknown };

export function cellOf(row: PlanPropertyValue, basePlan: { name: string } | null): CellView {
  const own = row.planValue;
  const fromBase = row.source === 'base_plan' && basePlan ? basePlan.name : null;
  if (own && !own.inheritsValue) return { kind: 'own', value: own.value, enforcement: own.enforcement };
  if (own) return { kind: 'enforcementOnly', value: row.value, enforcement: own.enforcement, from: fromBase };
  if (fromBase !== null) {
    return { kind: 'base', value: row.value, enforcement: row.basePlanValue?.enforcement ?? null, from: fromBase };
  }
  return { kind: 'default', value: row.value };
}

/** The plan value form: set a value, or (number properties of a plan with a base plan) only the enforcement. */
export interface PlanValueForm {
  mode: 'value' | 'enforcementOnly';
  draft: ValueDraft;
  /** `inherit`: no enforcement of the plan's own (the base plan's or the property's applies). */
  enforcement: 'inherit' | Enforcement;
}

/** Whether the plan may keep its base plan's value and change only how it is enforced. */
export const canSetEnforcementOnly = (def: Pick<PropertyDef, 'type'>, hasBasePlan: boolean) =>
  def.type === 'number' && hasBasePlan;

/** The form prefilled with what the plan sets now (or, when it sets nothing, the value it has now). */
export function planValueFormOf(def: Pick<PropertyDef, 'type' | 'options' | 'multiple'>, row: PlanPropertyValue) {
  const own = row.planValue;
  return {
    mode: own?.inheritsValue ? 'enforcementOnly' : 'value',
    draft: draftOf(def, own && !own.inheritsValue ? own.value : row.value),
    enforcement: own?.enforcement ?? 'inherit',
  } satisfies PlanValueForm as PlanValueForm;
}

export type PlanValueResult =
  | { ok: true; body: PlanValueBody }
  | { ok: false; field: 'value'; error: DraftError }
  | { ok: false; field: 'enforcement'; error: 'required' };

/** The PUT body: `{value, enforcement?}`, or `{enforcement}` alone (then hard or soft must be chosen). */
export function planValueBody(
  def: Pick<PropertyDef, 'type' | 'options' | 'multiple' | 'metered'>,
  form: PlanValueForm,
): PlanValueResult {
  const enforcement = def.type === 'number' && form.enforcement !== 'inherit' ? form.enforcement : null;
  if (form.mode === 'enforcementOnly') {
    return enforcement ? { ok: true, body: { enforcement } } : { ok: false, field: 'enforcement', error: 'required' };
  }
  const parsed = valueOfDraft(def, form.draft);
  if (!parsed.ok) return { ok: false, field: 'value', error: parsed.error };
  return { ok: true, body: { value: parsed.value, ...(enforcement ? { enforcement } : {}) } };
}
