import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormatsPlugin from 'ajv-formats';
import { AppError, type FieldIssue } from '../platform/errors.ts';

// The options Fastify validates HTTP bodies with (see buildApp), so the CLI accepts exactly what the API accepts.
const ajv = new Ajv({
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: false,
  allErrors: true,
  strict: false,
});
(addFormatsPlugin as unknown as (a: Ajv) => void)(ajv);
const compiled = new WeakMap<TSchema, ValidateFunction>();

/** `/maxMachines` → `--max-machines`: errors name the option people typed. */
function optionName(path: string): string {
  const first = path.split('/').filter(Boolean)[0] ?? '';
  return first ? `--${first.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}` : 'input';
}

function issue(e: ErrorObject, name: (path: string) => string): FieldIssue {
  const extra = e.keyword === 'required' ? `/${String(e.params.missingProperty)}` : '';
  const unknown = e.keyword === 'additionalProperties' ? `/${String(e.params.additionalProperty)}` : '';
  return {
    field: name(`${e.instancePath}${extra}${unknown}`),
    message: e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid'),
  };
}

/** Checks a value against a schema; the issues name fields with `name(jsonPointer)`. */
export function schemaIssues(schema: TSchema, value: unknown, name: (path: string) => string): FieldIssue[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map((e) => issue(e, name));
}

/** Checks a service input against the API's schema for it; throws VALIDATION_FAILED with one line per field. */
export function validateInput<T>(schema: TSchema, value: unknown): T {
  const issues = schemaIssues(schema, value, optionName);
  if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 400, 'The input is not valid', issues);
  return value as T;
}
