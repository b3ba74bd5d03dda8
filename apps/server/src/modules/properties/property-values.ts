import { type FieldIssue, unprocessable } from '../../platform/errors.ts';
import type { PropertyDef } from './effective.ts';

/**
 * The one set of value rules of a property, used for its default, plan values and overrides alike:
 * - boolean: true or false;
 * - number: a finite number ≥ 0 and ≤ 2^53 − 1, or null (= unlimited); metered numbers are whole numbers (usage
 *   counters count whole units);
 * - enum: one of `options`, or with `multiple` an array of options without duplicates (possibly empty);
 * - json: any JSON value whose serialisation is at most JSON_VALUE_MAX_BYTES bytes.
 */

export const JSON_VALUE_MAX_BYTES = 16_384;
export const MAX_NUMBER_VALUE = Number.MAX_SAFE_INTEGER;

/** What the rules look at: a property definition or the definition a create/update would produce. */
export type ValueRules = Pick<PropertyDef, 'type' | 'options' | 'multiple' | 'metered'>;

/** Why `value` is not a valid value of the property, or null when it is. `field` is the JSON pointer of the value. */
export function valueProblem(rules: ValueRules, value: unknown, field: string): FieldIssue | null {
  const fail = (message: string): FieldIssue => ({ field, message });
  switch (rules.type) {
    case 'boolean':
      return typeof value === 'boolean' ? null : fail('must be true or false');
    case 'number': {
      if (value === null) return null;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return fail('must be a number (a limit) or null (unlimited)');
      }
      if (value < 0) return fail('must not be negative');
      if (value > MAX_NUMBER_VALUE) return fail(`must be at most ${MAX_NUMBER_VALUE}`);
      if (rules.metered && !Number.isInteger(value)) return fail('must be a whole number (the property is metered)');
      return null;
    }
    case 'enum': {
      const allowed = new Set(rules.options);
      const list = rules.options.join(', ');
      if (!rules.multiple) {
        return typeof value === 'string' && allowed.has(value) ? null : fail(`must be one of: ${list}`);
      }
      if (!Array.isArray(value)) return fail(`must be an array of options (${list})`);
      const seen = new Set<string>();
      for (const [i, item] of value.entries()) {
        if (typeof item !== 'string' || !allowed.has(item)) {
          return { field: `${field}/${i}`, message: `must be one of: ${list}` };
        }
        if (seen.has(item)) return { field: `${field}/${i}`, message: `repeats ${item}` };
        seen.add(item);
      }
      return null;
    }
    case 'json': {
      if (value === undefined) return fail('must be a JSON value');
      const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8');
      return bytes <= JSON_VALUE_MAX_BYTES
        ? null
        : fail(`is ${bytes} bytes as JSON; at most ${JSON_VALUE_MAX_BYTES} are allowed`);
    }
  }
}

export const valueInvalid = (issue: FieldIssue) =>
  unprocessable('PROPERTY_VALUE_INVALID', `The value does not fit the property: ${issue.field} ${issue.message}`, [
    issue,
  ]);

/** Throws 422 PROPERTY_VALUE_INVALID (with the field path) when `value` does not fit the property. */
export function assertValue(rules: ValueRules, value: unknown, field: string): void {
  const problem = valueProblem(rules, value, field);
  if (problem) throw valueInvalid(problem);
}

/** The options a stored value uses (enum properties): one option, several, or none for other types. */
export function optionsUsed(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}
