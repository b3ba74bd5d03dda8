import type { TSchema } from '@sinclair/typebox';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { AppError, type FieldIssue } from '../platform/errors.ts';
import { ajvMessage, ajvPlugins } from '../platform/http/formats.ts';
import { findInputProblem } from '../platform/http/input-guard.ts';

// The options Fastify validates HTTP bodies with (see buildApp), so the CLI accepts exactly what the API accepts.
const ajv = new Ajv({
  coerceTypes: 'array',
  useDefaults: true,
  removeAdditional: false,
  allErrors: true,
  strict: false,
});
for (const plugin of ajvPlugins) plugin(ajv);
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
    message: ajvMessage(e),
  };
}

/**
 * Checks a value as the API would: first the input guard (NUL characters, lone surrogates, nesting — what no column
 * can store), then the schema. The issues name fields with `name(jsonPointer)`.
 */
export function schemaIssues(schema: TSchema, value: unknown, name: (path: string) => string): FieldIssue[] {
  const problem = findInputProblem(value, '');
  if (problem) return [{ field: name(problem.field), message: problem.message }];
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
