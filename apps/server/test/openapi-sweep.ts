import { randomUUID } from 'node:crypto';

/** A JSON schema as found in the generated OpenAPI document (loosely typed on purpose: it is read, not trusted). */
export interface Schema {
  type?: string | string[];
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minItems?: number;
  maxItems?: number;
  uniqueItems?: boolean;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: boolean | Schema;
  minProperties?: number;
  maxProperties?: number;
  not?: Schema;
  examples?: unknown[];
  default?: unknown;
  $ref?: string;
}

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required?: boolean;
  schema: Schema;
}

export interface Operation {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI path, e.g. /v1/products/{id}. */
  path: string;
  tags: string[];
  secured: boolean;
  /** Authorised by an Unleash client token (the /api/client/* routes). */
  clientToken: boolean;
  pathParams: Param[];
  queryParams: Param[];
  /** The JSON request body schema, or null when the operation takes none. */
  body: Schema | null;
}

export interface OpenApiDoc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags?: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, OpenApiOperation>>;
  components?: { schemas?: Record<string, Schema>; securitySchemes?: Record<string, unknown> };
}

export interface OpenApiOperation {
  tags?: string[];
  summary?: string;
  security?: Array<Record<string, string[]>>;
  parameters?: Param[];
  requestBody?: { content?: Record<string, { schema: Schema }> };
  responses?: Record<string, unknown>;
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

export function operationsOf(doc: OpenApiDoc): Operation[] {
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      const params = op.parameters ?? [];
      const json = op.requestBody?.content?.['application/json']?.schema;
      ops.push({
        method: method.toUpperCase() as Operation['method'],
        path,
        tags: op.tags ?? [],
        secured: (op.security ?? []).some((s) => 'bearerAuth' in s),
        clientToken: (op.security ?? []).some((s) => 'clientToken' in s),
        pathParams: params.filter((p) => p.in === 'path'),
        queryParams: params.filter((p) => p.in === 'query'),
        body: json ? resolve(doc, json) : null,
      });
    }
  }
  return ops;
}

export function resolve(doc: OpenApiDoc, schema: Schema): Schema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`Unresolvable $ref ${schema.$ref}`);
  return resolve(doc, target);
}

/** Every JSON type a value of this schema may have ('integer' counts as 'number'). */
export function typesOf(schema: Schema): Set<string> {
  const out = new Set<string>();
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) for (const b of branches) for (const t of typesOf(b)) out.add(t);
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  for (const t of types) out.add(t === 'integer' ? 'number' : t);
  if (schema.const !== undefined) out.add(schema.const === null ? 'null' : typeof schema.const);
  for (const e of schema.enum ?? []) out.add(e === null ? 'null' : Array.isArray(e) ? 'array' : typeof e);
  if (out.size === 0 && !branches)
    for (const t of ['string', 'number', 'boolean', 'object', 'array', 'null']) out.add(t);
  return out;
}

/** The first non-null branch of a union (what a plausible value would use). */
export function mainBranch(schema: Schema): Schema {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const branch =
    branches.find((b) => !(b.type === 'null' || (b.type === undefined && b.const === null))) ?? branches[0];
  return branch ? mainBranch(branch) : schema;
}

const PATTERN_CANDIDATES = ['SWEEP', 'sweep', 'Sweep1', 'sweep.example.com', 'SW1', 'a1', 'sweep-1', 'kw_sweep_1', '1'];

/** A plausible valid value for a schema (best effort: patterns without examples may miss). */
export function sampleValue(schema: Schema, depth = 0): unknown {
  const s = mainBranch(schema);
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum[0];
  if (s.examples?.length) return s.examples[0];
  if (s.default !== undefined) return s.default;
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return sampleString(s);
    case 'integer':
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : undefined);
      return Math.max(min ?? 1, 1);
    }
    case 'boolean':
      return true;
    case 'array':
      return s.items && s.minItems ? Array.from({ length: s.minItems }, () => sampleValue(s.items!, depth + 1)) : [];
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth > 8) return out;
      for (const name of s.required ?? []) {
        const prop = s.properties?.[name];
        if (prop) out[name] = sampleValue(prop, depth + 1);
      }
      return out;
    }
    default:
      return null;
  }
}

function sampleString(s: Schema): string {
  switch (s.format) {
    case 'uuid':
      return randomUUID();
    case 'date-time':
      return '2026-06-01T00:00:00.000Z';
    case 'date':
      return '2026-06-01';
    case 'email':
      return 'sweep@example.com';
    case 'uri':
      return 'https://example.com/sweep';
  }
  const fits = (v: string) =>
    v.length >= (s.minLength ?? 0) &&
    v.length <= (s.maxLength ?? Infinity) &&
    (!s.pattern || new RegExp(s.pattern, 'u').test(v));
  const candidates = [...PATTERN_CANDIDATES, 'sweep value long enough', 'x'.repeat(Math.max(s.minLength ?? 1, 1))];
  return candidates.find(fits) ?? 'sweep';
}

/** Fills an OpenAPI path template with values per parameter name. */
export function fillPath(path: string, values: Record<string, string>): string {
  return path.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(values[name] ?? 'x'));
}

/**
 * Every property of a schema, depth first: `visit(path, schema)` for each property, array items (path segment '0')
 * and free-form values of `additionalProperties` schemas (segment '*'). Unions are walked branch by branch. $refs
 * resolve through `doc`.
 */
export function walkSchema(
  doc: OpenApiDoc,
  schema: Schema,
  visit: (path: string[], schema: Schema) => void,
  path: string[] = [],
  depth = 0,
): void {
  const s = resolve(doc, schema);
  if (depth > 12) return;
  for (const branch of s.anyOf ?? s.oneOf ?? []) walkSchema(doc, branch, visit, path, depth + 1);
  for (const [name, prop] of Object.entries(s.properties ?? {})) {
    visit([...path, name], resolve(doc, prop));
    walkSchema(doc, prop, visit, [...path, name], depth + 1);
  }
  if (typeof s.additionalProperties === 'object') {
    visit([...path, '*'], resolve(doc, s.additionalProperties));
    walkSchema(doc, s.additionalProperties, visit, [...path, '*'], depth + 1);
  }
  if (s.items) {
    visit([...path, '0'], resolve(doc, s.items));
    walkSchema(doc, s.items, visit, [...path, '0'], depth + 1);
  }
}

/** A small seeded PRNG (mulberry32): the same seed gives the same numbers on every machine. */
export class Rng {
  readonly #seed: number;
  #state: number;
  constructor(seed: number) {
    this.#seed = seed >>> 0;
    this.#state = this.#seed;
  }
  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }
  /** A derived generator (e.g. one per operation and request), independent of how many numbers this one gave. */
  fork(...salt: number[]): Rng {
    let h = this.#seed ^ 0x9e3779b9;
    for (const n of salt) h = Math.imul(h ^ (n + 0x7f4a7c15), 0x85ebca6b) >>> 0;
    return new Rng(h);
  }
}
