import {
  mainBranch,
  type OpenApiDoc,
  type Param,
  type Rng,
  resolve,
  type Schema,
  sampleValue,
} from './openapi-sweep.ts';

/*
 * Values for the fuzz suite (fuzz.test.ts): from a JSON schema of the OpenAPI document, either a valid-ish value
 * (respecting type, enum, format, bounds; ids and keys taken from records that exist) or a hostile one for its type
 * (out-of-range and huge numbers, wrong types, lone surrogates, NUL bytes, extreme dates, very long strings, deep
 * nesting, unknown and prototype-pollution properties). Every choice comes from the seeded Rng.
 */

/** Records that exist, so that generated ids and keys reach past the 404s. */
export interface Pools {
  /** Ids per resource, named like the path segment before `{id}` (products, plans, accounts, licenses, …). */
  ids: Record<string, string[]>;
  /** License keys: canonical, look-alike spellings, imported, signed KW1., mistyped. */
  keys: string[];
  propertyKeys: string[];
  crmIds: string[];
  fingerprints: string[];
}

export interface FuzzContext {
  doc: OpenApiDoc;
  rng: Rng;
  pools: Pools;
  /** Probability that one value is hostile instead of valid-ish. */
  hostile: number;
}

const NOTHING = '00000000-0000-4000-8000-00000000dead';
export const LONG = 'L'.repeat(70_000);

export const HOSTILE_STRINGS: readonly string[] = [
  '\ud800',
  'ok\udc00ok',
  'a\u0000b',
  '\u0000',
  '',
  ' ',
  '\t\n\r',
  LONG,
  '\u202eevil\u202c\u200b',
  '𝕂eyward 😀 中文',
  "'; drop table licenses; --",
  '../../../etc/passwd',
  '%00%2e%2e',
  '{{7*7}} #{7*7} %{7*7}',
  '<script>alert(1)</script>',
  'null',
  'true',
  '-1',
  '1e309',
  'NaN',
  '__proto__',
  'constructor',
];

/** Dates a client might send that PostgreSQL or the drivers cannot take, plus the valid edges. */
export const HOSTILE_DATES: readonly string[] = [
  '0000-01-01T00:00:00Z',
  '0000-01-01T00:00:00.000Z',
  '0001-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59-23:59',
  '+275760-09-13T00:00:00Z',
  '-000001-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z',
  '2026-12-31T23:59:60Z',
  '2026-01-01T10:00:00+01',
  '2026-13-01T00:00:00Z',
  '2026-01-01',
  '2026-01-01T00:00:00',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59.999Z',
  '2026-01-01T00:00:00.123456789Z',
  'yesterday',
];

const GOOD_DATES = [
  '2026-01-20T00:00:00Z',
  '2026-06-01T12:30:00.000Z',
  '2027-01-15T00:00:00+02:00',
  '2025-12-31T23:00:00Z',
  '2099-12-31T23:59:59Z',
];

export const HOSTILE_NUMBERS: readonly number[] = [
  -1,
  0,
  1.5,
  -0.5,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e308,
  5e-324,
  1e21,
];

/** A value nested `levels` deep (the input guard refuses more than 32). */
export function deep(levels: number): unknown {
  let v: unknown = { leaf: true };
  for (let i = 0; i < levels; i++) v = { n: v };
  return v;
}

/** Properties whose own keys would pollute a prototype if merged naively (JSON.parse makes them own properties). */
export const POLLUTION = [
  '{"__proto__":{"polluted":true,"admin":true}}',
  '{"constructor":{"prototype":{"polluted":true}}}',
  '{"__proto__":null,"toString":"x","hasOwnProperty":1}',
];

const uuid = (rng: Rng) => {
  const hex = () => rng.int(0, 15).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-8${part(3)}-${part(12)}`;
};

/** The pool an id-like name points at: `planId` → plans, `basePlanId` → plans, `targetId` → accounts or licenses. */
export function poolOf(pools: Pools, name: string | undefined, rng: Rng): string[] {
  const n = (name ?? '').replace(/Id$/, '').toLowerCase();
  const aliases: Record<string, string> = { baseplan: 'plans', target: rng.chance(0.5) ? 'accounts' : 'licenses' };
  const key = aliases[n] ?? `${n}s`;
  return pools.ids[key] ?? Object.values(pools.ids).flat();
}

function hostileString(ctx: FuzzContext, s: Schema): unknown {
  const { rng } = ctx;
  if (s.format === 'date-time' && rng.chance(0.7)) return rng.pick(HOSTILE_DATES);
  if (s.format === 'uuid' && rng.chance(0.5)) return rng.pick(['not-a-uuid', NOTHING.toUpperCase(), `${NOTHING}0`, '']);
  if (rng.chance(0.15)) return rng.pick(HOSTILE_DATES);
  if (rng.chance(0.2)) return wrongType(ctx);
  return rng.pick(HOSTILE_STRINGS);
}

function wrongType(ctx: FuzzContext): unknown {
  const { rng } = ctx;
  return rng.pick<unknown>([null, true, false, 0, -1, 12345, 1.5, 'str', [], [null], {}, { a: { b: 1 } }]);
}

/** A hostile value for the schema's type (exported for the one-mutation requests of the fuzz suite). */
export function hostileFor(outer: FuzzContext, schema: Schema, depth = 0): unknown {
  // What surrounds the hostile part is valid-ish (and cannot multiply: 2,000 items of hostile items of …).
  const ctx = { ...outer, hostile: 0 };
  const { rng } = ctx;
  const s = mainBranch(resolve(ctx.doc, schema));
  const type = Array.isArray(s.type) ? rng.pick(s.type) : s.type;
  switch (type) {
    case 'string':
      return hostileString(ctx, s);
    case 'integer':
    case 'number': {
      const edges = [s.minimum, s.maximum].filter((v) => v !== undefined) as number[];
      const around = edges.flatMap((e) => [e - 1, e + 1, e + 0.5]);
      if (rng.chance(0.2)) return wrongType(ctx);
      return rng.pick([...HOSTILE_NUMBERS, ...around]);
    }
    case 'boolean':
      return rng.pick<unknown>(['true', 'yes', 1, 0, null, 'false', []]);
    case 'array': {
      const item = s.items ?? {};
      return rng.pick<() => unknown>([
        () => Array.from({ length: 2_000 }, () => validish(ctx, item, undefined, depth + 1)),
        () => [[[[[]]]]],
        () => [hostileFor(ctx, item, depth + 1), validish(ctx, item, undefined, depth + 1)],
        () => Array.from({ length: 3 }, () => validish(ctx, item, undefined, depth + 1)).concat([null]),
        () => wrongType(ctx),
      ])();
    }
    case 'object':
    case undefined: {
      const base = validish(ctx, s, undefined, depth + 1);
      const obj = typeof base === 'object' && base !== null && !Array.isArray(base) ? base : {};
      return rng.pick<() => unknown>([
        () => ({ ...JSON.parse(rng.pick(POLLUTION)), ...obj }),
        () => ({ ...obj, fuzzUnknown: rng.pick(HOSTILE_STRINGS) }),
        () => deep(rng.pick([31, 33, 40])),
        () => Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`k${i}`, i])),
        () => ({ ...obj, [rng.pick(['\ud800', 'a\u0000', '', ' '])]: 1 }),
        () => wrongType(ctx),
      ])();
    }
    default:
      return wrongType(ctx);
  }
}

/** A cursor as a client could forge one: base64url JSON {v, id} with any sort value and id. */
export function forgedCursor(rng: Rng, pools: Pools): string {
  const v = rng.pick<unknown>([...GOOD_DATES, ...HOSTILE_DATES, null, 'name', '', 42, { a: 1 }]);
  const id = rng.pick<unknown>([...Object.values(pools.ids).flat(), NOTHING, '1', '-1', '99999999999999999', '', null]);
  return Buffer.from(JSON.stringify({ v, id }), 'utf8').toString('base64url');
}

function validishString(ctx: FuzzContext, s: Schema, name: string | undefined): unknown {
  const { rng, pools } = ctx;
  if (name === 'cursor') return forgedCursor(rng, pools);
  if (s.format === 'uuid') {
    if (rng.chance(0.1)) return rng.chance(0.5) ? NOTHING : uuid(rng);
    const pool = poolOf(pools, name, rng);
    return pool.length ? rng.pick(pool) : NOTHING;
  }
  if (s.format === 'date-time') return rng.pick(GOOD_DATES);
  if (name === 'key' && pools.keys.length && !s.pattern) return rng.pick(pools.keys);
  if ((name === 'property' || name === 'propertyKey') && pools.propertyKeys.length) return rng.pick(pools.propertyKeys);
  if (name === 'fingerprint' && pools.fingerprints.length && rng.chance(0.7)) return rng.pick(pools.fingerprints);
  if (name === 'crmId' && pools.crmIds.length && rng.chance(0.5)) return rng.pick(pools.crmIds);
  if (s.examples?.length && rng.chance(0.5)) return rng.pick(s.examples);
  const sample = sampleValue(s);
  if (typeof sample === 'string' && (s.pattern || s.format || rng.chance(0.5))) return sample;
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, min + 40);
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. é';
  return Array.from({ length: rng.int(Math.max(min, 1), Math.max(max, 1)) }, () => rng.pick([...alphabet])).join('');
}

/** A value the schema (mostly) accepts, with each nested value hostile at the context's rate. */
export function validish(ctx: FuzzContext, schema: Schema, name: string | undefined, depth = 0): unknown {
  const { rng } = ctx;
  const resolved = resolve(ctx.doc, schema);
  const branches = resolved.anyOf ?? resolved.oneOf;
  const s = branches?.length ? resolve(ctx.doc, rng.pick(branches)) : resolved;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return rng.pick(s.enum);
  const type = Array.isArray(s.type) ? rng.pick(s.type) : s.type;
  switch (type) {
    case 'null':
      return null;
    case 'string':
      return validishString(ctx, s, name);
    case 'integer':
    case 'number': {
      const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : -5);
      const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : lo + 1_000);
      if (rng.chance(0.25)) return rng.pick([lo, hi]);
      const n = lo + rng.next() * Math.min(hi - lo, 10_000);
      return type === 'integer' ? Math.floor(n) : Math.round(n * 100) / 100;
    }
    case 'boolean':
      return rng.chance(0.5);
    case 'array': {
      const min = s.minItems ?? 0;
      const max = Math.min(s.maxItems ?? 3, min + 3);
      const count = depth > 6 ? min : rng.int(min, Math.max(min, max));
      return Array.from({ length: count }, () => fuzzValue(ctx, s.items ?? {}, undefined, depth + 1));
    }
    case 'object':
    case undefined: {
      if (type === undefined && !s.properties && rng.chance(0.5)) return rng.pick<unknown>(['text', 42, true, null]);
      const out: Record<string, unknown> = {};
      const required = new Set(s.required ?? []);
      for (const [prop, propSchema] of Object.entries(s.properties ?? {})) {
        if (required.has(prop) || (depth < 6 && rng.chance(0.5))) {
          out[prop] = fuzzValue(ctx, propSchema, prop, depth + 1);
        }
      }
      if (typeof s.additionalProperties === 'object' && depth < 6) {
        for (let i = rng.int(0, 2); i > 0; i--) {
          out[`k${rng.int(0, 99)}`] = fuzzValue(ctx, s.additionalProperties, undefined, depth + 1);
        }
      }
      return out;
    }
    default:
      return null;
  }
}

/** A valid-ish value, or (at the context's rate) a hostile one for the schema's type. */
export function fuzzValue(ctx: FuzzContext, schema: Schema, name: string | undefined, depth = 0): unknown {
  if (ctx.rng.chance(ctx.hostile)) return hostileFor(ctx, schema, depth);
  return validish(ctx, schema, name, depth);
}

/** Raw (already percent-encoded) path segments no id has. */
export const ODD_PATH_SEGMENTS: readonly string[] = [
  'not-a-uuid',
  '..',
  '%2e%2e',
  'a%2Fb',
  '%20',
  '%C3%A9%E4%B8%AD',
  '%F0%9F%98%80',
  'z'.repeat(600),
  '%00',
  '%E0%A4%A',
  '%ED%A0%80',
  '%C0%AF',
  "'%3B%20drop%20table%20licenses",
  '-1',
  '0',
  '1e3',
  'null',
  '__proto__',
  'constructor',
  NOTHING,
  NOTHING.toUpperCase(),
];

/** A path parameter: mostly an id of the resource the path names, sometimes an odd segment. */
export function pathValue(ctx: FuzzContext, path: string, param: Param): string {
  const { rng, pools } = ctx;
  if (rng.chance(ctx.hostile)) return rng.pick(ODD_PATH_SEGMENTS);
  const before = path.split(`/{${param.name}}`)[0]!.split('/').at(-1) ?? '';
  if (param.name === 'crmId') return encodeURIComponent(rng.pick(pools.crmIds.length ? pools.crmIds : ['crm-x']));
  if (param.name === 'propertyKey')
    return encodeURIComponent(rng.pick(pools.propertyKeys.length ? pools.propertyKeys : ['x']));
  if (param.name === 'scope') return rng.pick(['account', 'license', 'product', 'ACCOUNT']);
  const pool = param.name === 'id' ? pools.ids[before] : poolOf(pools, param.name, rng);
  const schema = mainBranch(param.schema);
  if (pool?.length) return rng.pick(pool);
  return encodeURIComponent(String(validish(ctx, schema, param.name)));
}

/** A query value as sent on the wire (percent-encoded; lone surrogates as the UTF-8 bytes a client would send). */
export function encodeQueryValue(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  try {
    return encodeURIComponent(text);
  } catch {
    return text.replace(/[\ud800-\udfff]/g, '%ED%A0%80').replace(/[^%A-Za-z0-9]/g, (c) => encodeURIComponent(c));
  }
}

/**
 * `root` with `value` at `path` (segments from walkSchema: '0' is an array item, '*' a free-form key), creating the
 * objects and arrays on the way. Returns the new root.
 */
export function setAt(root: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path as [string, ...string[]];
  if (head === '0') {
    const list = Array.isArray(root) ? [...root] : [];
    list[0] = setAt(list[0], rest, value);
    return list;
  }
  const obj = typeof root === 'object' && root !== null && !Array.isArray(root) ? { ...root } : {};
  const key = head === '*' ? 'k0' : head;
  (obj as Record<string, unknown>)[key] = setAt((obj as Record<string, unknown>)[key], rest, value);
  return obj;
}
