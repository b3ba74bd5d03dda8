import type { Enforcement, PropertyType, ResetPeriod } from '../../platform/db/schema.ts';
import { type FieldIssue, unprocessable } from '../../platform/errors.ts';
import type { PropertyDef } from './effective.ts';
import { assertValue, type ValueRules, valueProblem } from './property-values.ts';

/**
 * The typed part of a property definition and its rules (pure): which fields apply to which type, defaults, and
 * what an update changes. Used by the properties service on create and update.
 */
export interface Definition {
  type: PropertyType;
  defaultValue: unknown;
  options: string[];
  multiple: boolean;
  enforcement: Enforcement | null;
  warningThresholdPercent: number | null;
  metered: boolean;
  resetPeriod: ResetPeriod;
}

export type DefinitionInput = Partial<{
  type: PropertyType;
  defaultValue: unknown;
  options: string[];
  multiple: boolean;
  enforcement: Enforcement;
  warningThresholdPercent: number | null;
  metered: boolean;
  resetPeriod: ResetPeriod;
}>;

/** The default when none is given: false, 0, the first option (or [] with multiple), null. */
export function typeDefault(rules: ValueRules): unknown {
  switch (rules.type) {
    case 'boolean':
      return false;
    case 'number':
      return 0;
    case 'enum':
      return rules.multiple ? [] : (rules.options[0] ?? null);
    case 'json':
      return null;
  }
}

/** Fields given with a meaningful value that the type does not have. */
function notApplicable(type: PropertyType, input: DefinitionInput): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const add = (name: string, why: string) => issues.push({ field: `/body/${name}`, message: why });
  if (type !== 'number') {
    const numbersOnly = 'applies to number properties only';
    if (input.enforcement !== undefined) add('enforcement', numbersOnly);
    if (input.warningThresholdPercent != null) add('warningThresholdPercent', numbersOnly);
    if (input.metered) add('metered', numbersOnly);
    if (input.resetPeriod !== undefined && input.resetPeriod !== 'none') add('resetPeriod', numbersOnly);
  }
  if (type !== 'enum') {
    const enumsOnly = 'applies to enum properties only';
    if (input.options !== undefined && input.options.length > 0) add('options', enumsOnly);
    if (input.multiple) add('multiple', enumsOnly);
  }
  return issues;
}

const fieldsNotApplicable = (issues: FieldIssue[]) =>
  unprocessable(
    'PROPERTY_FIELD_NOT_APPLICABLE',
    `These fields do not apply to this property type: ${issues.map((i) => i.field.replace('/body/', '')).join(', ')}`,
    issues,
  );

/** Checks the combination and the default value; throws 422 with field details. */
function check(def: Definition, input: DefinitionInput): Definition {
  const issues = notApplicable(def.type, input);
  if (issues.length > 0) throw fieldsNotApplicable(issues);
  if (def.resetPeriod !== 'none' && !def.metered) {
    throw fieldsNotApplicable([{ field: '/body/resetPeriod', message: 'applies to metered properties only' }]);
  }
  if (def.type === 'enum' && def.options.length === 0) {
    throw unprocessable('PROPERTY_OPTIONS_REQUIRED', 'An enum property needs at least one option', [
      { field: '/body/options', message: 'must list at least one option' },
    ]);
  }
  assertValue(def, def.defaultValue, '/body/defaultValue');
  return def;
}

export function definitionForCreate(input: DefinitionInput & { type: PropertyType }): Definition {
  const type = input.type;
  const number = type === 'number';
  const rules = {
    type,
    options: type === 'enum' ? [...new Set(input.options ?? [])] : [],
    multiple: type === 'enum' && (input.multiple ?? false),
    metered: number && (input.metered ?? false),
  };
  return check(
    {
      ...rules,
      defaultValue: input.defaultValue === undefined ? typeDefault(rules) : input.defaultValue,
      enforcement: number ? (input.enforcement ?? 'hard') : null,
      warningThresholdPercent: number ? (input.warningThresholdPercent ?? null) : null,
      resetPeriod: number ? (input.resetPeriod ?? 'none') : 'none',
    },
    input,
  );
}

export interface DefinitionChange {
  next: Definition;
  /** Options removed, or metered switched on: stored values must be re-checked. */
  narrowed: boolean;
}

/** The update changes the type or the value shape (enum multiple): stored values would no longer fit. */
export function changesShape(current: PropertyDef, input: DefinitionInput): boolean {
  const type = input.type ?? current.type;
  const multiple = type === 'enum' && (input.multiple ?? (current.type === 'enum' && current.multiple));
  return type !== current.type || multiple !== current.multiple;
}

/**
 * The definition after an update. Leaving the number type clears enforcement, warning threshold, metering and reset
 * period; leaving enum clears options and multiple. Without a new default, the current one is kept when it still
 * fits, otherwise a defaultValue must be given.
 */
export function definitionForUpdate(current: PropertyDef, input: DefinitionInput): DefinitionChange {
  const type = input.type ?? current.type;
  const number = type === 'number';
  const wasNumber = current.type === 'number';
  const rules = {
    type,
    options: type === 'enum' ? [...new Set(input.options ?? (current.type === 'enum' ? current.options : []))] : [],
    multiple: type === 'enum' && (input.multiple ?? (current.type === 'enum' && current.multiple)),
    metered: number && (input.metered ?? (wasNumber && current.metered)),
  };
  let defaultValue = input.defaultValue;
  if (defaultValue === undefined) {
    if (valueProblem(rules, current.defaultValue, '/body/defaultValue') !== null) {
      throw unprocessable(
        'PROPERTY_VALUE_INVALID',
        `The current default ${JSON.stringify(current.defaultValue)} does not fit the changed property; send a defaultValue`,
        [{ field: '/body/defaultValue', message: 'must be given: the current default does not fit' }],
      );
    }
    defaultValue = current.defaultValue;
  }
  const next = check(
    {
      ...rules,
      defaultValue,
      enforcement: number ? (input.enforcement ?? (wasNumber ? current.enforcement : null) ?? 'hard') : null,
      warningThresholdPercent: number
        ? input.warningThresholdPercent === undefined
          ? wasNumber
            ? current.warningThresholdPercent
            : null
          : input.warningThresholdPercent
        : null,
      resetPeriod: number ? (input.resetPeriod ?? (wasNumber ? current.resetPeriod : 'none')) : 'none',
    },
    input,
  );
  const removedOption = current.options.some((o) => !next.options.includes(o));
  return {
    next,
    narrowed: (next.type === 'enum' && removedOption) || (next.metered && !current.metered),
  };
}
