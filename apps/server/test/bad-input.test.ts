import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp } from './harness.ts';
import {
  fillPath,
  mainBranch,
  type OpenApiDoc,
  type Operation,
  operationsOf,
  type Schema,
  sampleValue,
  typesOf,
  walkSchema,
} from './openapi-sweep.ts';

/**
 * The bad-input sweep: every operation of the generated OpenAPI document gets garbage, with the admin token and
 * without any. Nothing may answer 5xx; errors must be the one JSON error shape; no stack trace anywhere.
 * "strict" cases are certainly invalid for the documented schema and must be 4xx.
 */
const t = await startTestApp({ configOverrides: { rateLimit: { perIp: 1e7, perKey: 1e7, windowSeconds: 60 } } });
afterAll(async () => t.close());
await t.kw.app.ready();
const doc = t.kw.app.swagger() as unknown as OpenApiDoc;
const operations = operationsOf(doc);

const NOTHING = '00000000-0000-4000-8000-00000000dead';
const HUGE = 'x'.repeat(100_000);
const UNICODE = 'Ωmega ✓ 𝕂eyward 中文 \u202eevil\u202c \u200b é';

interface Case {
  label: string;
  url: string;
  payload?: string;
  contentType?: string;
  token?: string | null;
  authorization?: string;
  /** Must be a 4xx (the input is certainly invalid). */
  strict: boolean;
  /** Must be exactly this status. */
  status?: number;
}

const deep = (levels: number): unknown => {
  let v: unknown = { leaf: true };
  for (let i = 0; i < levels; i++) v = { n: v };
  return v;
};

const set = (root: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> => {
  const copy = structuredClone(root);
  let node: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null || Array.isArray(node[key])) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path.at(-1)!] = value;
  return copy;
};

/** Garbage values for one property, each marked strict when the schema certainly rejects it. */
function garbageFor(schema: Schema): Array<[string, unknown, boolean]> {
  const types = typesOf(schema);
  const only = (...allowed: string[]) => [...types].every((x) => allowed.includes(x));
  const s = mainBranch(schema);
  const numeric = only('number');
  const tooSmall = (v: number) => numeric && s.minimum !== undefined && v < s.minimum;
  const tooBig = (v: number) => numeric && s.maximum !== undefined && v > s.maximum;
  const notInt = numeric && s.type === 'integer';
  const stringOnly = only('string');
  // ajv's coerceTypes 'array' wraps a scalar into a one-item array: for array properties, scalars may be valid.
  const scalar = (strict: boolean) => strict && !types.has('array');
  return [
    ['object', { sweep: { x: 1 } }, !types.has('object')],
    ['array', [1, 2, 3], !types.has('array')],
    ['non-numeric string', 'not-a-number-é', scalar(!types.has('string'))],
    ['NaN string', 'NaN', scalar(!types.has('string'))],
    ['number', 12345, scalar(only('boolean', 'object', 'array', 'null'))],
    ['null', null, only('object', 'array') && !types.has('array')],
    ['NUL byte', 'a\u0000b', true],
    ['lone surrogate', 'a\ud800b', true],
    ['huge string', HUGE, scalar(!types.has('string') || (stringOnly && (s.maxLength ?? Infinity) < HUGE.length))],
    ['unicode', UNICODE, scalar(!types.has('string'))],
    ['empty string', '', scalar(!types.has('string'))],
    ['negative', -1, scalar(!types.has('number') ? !types.has('string') : tooSmall(-1))],
    ['zero', 0, scalar(!types.has('number') ? !types.has('string') : tooSmall(0))],
    ['1e308', 1e308, scalar(!types.has('number') ? !types.has('string') : tooBig(1e308))],
    ['2^53+2', 2 ** 53 + 2, scalar(!types.has('number') ? !types.has('string') : tooBig(2 ** 53 + 2))],
    ['fraction', 1.5, scalar(!types.has('number') ? !types.has('string') : notInt)],
    ...(s.format === 'date-time'
      ? ([
          ['year 0', '0000-01-01T00:00:00Z', true],
          ['year 10000 through an offset', '9999-12-31T23:59:59-23:59', true],
        ] as Array<[string, unknown, boolean]>)
      : []),
  ];
}

/** Property paths of a body schema, two levels deep (the shared walker, without array items and free-form keys). */
function propertyPaths(schema: Schema): Array<[string[], Schema]> {
  const out = new Map<string, [string[], Schema]>();
  walkSchema(doc, schema, (path, prop) => {
    if (path.length <= 2 && !path.some((p) => p === '0' || p === '*') && !out.has(path.join('.'))) {
      out.set(path.join('.'), [path, prop]);
    }
  });
  return [...out.values()];
}

function queryGarbage(schema: Schema): Array<[string, string, boolean]> {
  const s = mainBranch(schema);
  const types = typesOf(schema);
  const out: Array<[string, string, boolean]> = [
    ['NUL', 'a\u0000b', true],
    ['unicode', UNICODE, false],
    ['huge', 'y'.repeat(10_000), !types.has('string') || (s.maxLength ?? Infinity) < 10_000 || !!s.format],
    ['junk', '%&=?#', false],
    ['empty', '', false],
  ];
  if (!types.has('string')) out.push(['not a number/boolean', 'maybe', true], ['NaN', 'NaN', types.has('number')]);
  if (types.has('number') && s.minimum !== undefined) out.push(['below minimum', String(s.minimum - 1), true]);
  if (types.has('number') && s.maximum !== undefined) out.push(['above maximum', String(s.maximum + 1), true]);
  if (s.format === 'uuid') out.push(['non-uuid', 'not-a-uuid', true]);
  if (s.format === 'date-time') {
    out.push(['non-date', 'yesterday', true], ['year 0', '0000-01-01T00:00:00Z', true]);
    out.push(['year 10000 through an offset', '9999-12-31T23:59:59-23:59', true]);
  }
  if (s.enum || s.anyOf?.every((b) => b.const !== undefined || b.enum)) out.push(['not in enum', 'zzz-sweep', true]);
  return out;
}

function casesFor(op: Operation): Case[] {
  const pathValues = Object.fromEntries(op.pathParams.map((p) => [p.name, NOTHING]));
  const url = fillPath(op.path, pathValues);
  const baseline = op.body ? (sampleValue(op.body) as Record<string, unknown>) : undefined;
  const json = (v: unknown) => JSON.stringify(v);
  const withBody = (label: string, body: unknown, strict: boolean): Case => ({
    label,
    url,
    payload: typeof body === 'string' ? body : json(body),
    strict,
  });
  const cases: Case[] = [];
  const base = baseline === undefined ? {} : { payload: json(baseline) };

  for (const p of op.pathParams) {
    const uuid = mainBranch(p.schema).format === 'uuid';
    // Other path parameters (e.g. a CRM id) may legitimately match a record: only uuids are certainly invalid.
    const strict = uuid;
    for (const raw of ['not-a-uuid', '0', '-1', 'NaN', "'; drop table licenses; --", 'é中', 'z'.repeat(3000), '%00']) {
      const value = raw === '%00' ? '%00' : encodeURIComponent(raw);
      cases.push({
        label: `path ${p.name}=${raw.slice(0, 20)}`,
        url: op.path.replace(`{${p.name}}`, value).replace(/\{[^}]+\}/g, NOTHING),
        strict,
        ...base,
      });
    }
    cases.push({
      label: `path ${p.name}=malformed %`,
      url: op.path.replace(`{${p.name}}`, '%E0%A4%A').replace(/\{[^}]+\}/g, NOTHING),
      strict: true,
      ...base,
    });
    if (uuid)
      cases.push({
        label: `path ${p.name}=uuid of nothing`,
        url,
        strict: true,
        status: op.body ? undefined : 404,
        ...base,
      });
  }

  for (const q of op.queryParams) {
    for (const [label, value, strict] of queryGarbage(q.schema)) {
      cases.push({
        label: `query ${q.name} ${label}`,
        url: `${url}?${q.name}=${encodeURIComponent(value)}`,
        strict,
        ...base,
      });
    }
    cases.push({ label: `query ${q.name} repeated`, url: `${url}?${q.name}=1&${q.name}=2`, strict: false, ...base });
    if (q.name === 'cursor') {
      for (const forged of [
        { v: 'garbage', id: 'garbage' },
        { v: null, id: '-1' },
        { v: '2026-01-01T00:00:00Z', id: NOTHING },
      ]) {
        const c = Buffer.from(json(forged)).toString('base64url');
        cases.push({ label: `forged cursor ${json(forged)}`, url: `${url}?cursor=${c}`, strict: false, ...base });
      }
    }
  }
  cases.push({ label: 'unknown query parameter', url: `${url}?sweepUnknown=1`, strict: false, ...base });

  if (op.body && baseline !== undefined) {
    const s = mainBranch(op.body);
    const required = s.required ?? [];
    cases.push(
      withBody('baseline', baseline, false),
      withBody('invalid JSON', '{"a":', true),
      withBody('empty JSON body', '', true),
      withBody('null body', 'null', true),
      withBody('array body', '[]', true),
      withBody('array of the body', [baseline], true),
      withBody('string body', '"text"', true),
      withBody('number body', '42', true),
      withBody('__proto__ pollution', '{"__proto__":{"admin":true}}', true),
      withBody('deeply nested', { ...baseline, sweepDeep: deep(2000) }, true),
      withBody('unknown field', { ...baseline, sweepUnknown: 1 }, s.additionalProperties === false),
      { label: 'text/plain body', url, payload: 'hello', contentType: 'text/plain', strict: true },
    );
    if (required.length > 0) cases.push(withBody('empty object', {}, true));
    for (const name of required) {
      const { [name]: _dropped, ...rest } = baseline;
      cases.push(withBody(`missing ${name}`, rest, true));
    }
    for (const [path, prop] of propertyPaths(op.body)) {
      for (const [label, value, strict] of garbageFor(prop)) {
        cases.push(withBody(`body ${path.join('.')} ${label}`, set(baseline, path, value), strict));
      }
      if (mainBranch(prop).properties || typesOf(prop).has('object')) {
        cases.push(withBody(`body ${path.join('.')} deeply nested`, set(baseline, path, deep(2000)), true));
      }
    }
  }
  return cases;
}

const STACK = /"stack"|\n\s+at\s|node_modules|\.ts:\d+/;

function problemsOf(c: Case, res: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`status ${res.statusCode}`);
  else if (c.status !== undefined && res.statusCode !== c.status)
    problems.push(`status ${res.statusCode} ≠ ${c.status}`);
  else if (c.strict && (res.statusCode < 400 || res.statusCode >= 500))
    problems.push(`status ${res.statusCode}, wanted 4xx`);
  if (STACK.test(res.body)) problems.push('stack trace in body');
  if (res.statusCode >= 400) {
    const type = String(res.headers['content-type'] ?? '');
    let body: { error?: { code?: unknown; message?: unknown } } = {};
    try {
      body = res.json();
    } catch {
      problems.push(`non-JSON error body (${type})`);
    }
    if (typeof body.error?.code !== 'string' || typeof body.error?.message !== 'string') {
      problems.push(`error body without {error:{code,message}}: ${res.body.slice(0, 200)}`);
    }
  }
  return problems;
}

async function run(op: Operation, c: Case): Promise<string[]> {
  const res = await t.request({
    method: op.method,
    url: c.url,
    token: c.token === undefined ? undefined : c.token,
    ...(c.payload !== undefined ? { payload: c.payload } : {}),
    headers: {
      ...(c.payload !== undefined ? { 'content-type': c.contentType ?? 'application/json' } : {}),
      ...(c.authorization ? { authorization: c.authorization } : {}),
    },
  });
  const problems = problemsOf(c, res);
  const input = (c.payload ?? '').slice(0, 160);
  return problems.map(
    (p) => `${op.method} ${c.url.slice(0, 120)} [${c.label}] ${input} → ${p} ${res.body.slice(0, 300)}`,
  );
}

let requestsMade = 0;
const perOperation = new Map<string, number>();

describe(`bad-input sweep over the OpenAPI document (${dbKind})`, () => {
  it('covers the whole API', () => {
    const v1 = operations.filter((o) => o.path.startsWith('/v1/'));
    expect(v1.length).toBeGreaterThanOrEqual(12);
    const keys = new Set(operations.map((o) => `${o.method} ${o.path}`));
    for (const known of [
      'POST /v1/products',
      'DELETE /v1/tokens/{id}',
      'GET /v1/audit-events',
      'PATCH /v1/products/{id}',
    ]) {
      expect(keys).toContain(known);
    }
  });

  for (const op of operations) {
    it(`${op.method} ${op.path}: garbage with the admin token → 4xx, never 5xx`, async () => {
      const cases = casesFor(op);
      const failures: string[] = [];
      for (const c of cases) failures.push(...(await run(op, c)));
      requestsMade += cases.length;
      perOperation.set(`${op.method} ${op.path}`, cases.length);
      expect(cases.length).toBeGreaterThanOrEqual(op.body ? 15 : 1);
      expect(failures).toEqual([]);
    });

    if (op.secured) {
      it(`${op.method} ${op.path}: without a valid token → 401`, async () => {
        const payload = op.body ? JSON.stringify(sampleValue(op.body)) : undefined;
        const url = fillPath(op.path, Object.fromEntries(op.pathParams.map((p) => [p.name, NOTHING])));
        const variants: Case[] = [
          { label: 'no token', url, token: null, strict: true, status: 401 },
          {
            label: 'unknown token',
            url,
            token: 'kw_unknownunknownunknownunknownunknown1234',
            strict: true,
            status: 401,
          },
          { label: 'basic auth', url, token: null, authorization: 'Basic YWRtaW46YWRtaW4=', strict: true, status: 401 },
          { label: 'empty bearer', url, token: null, authorization: 'Bearer ', strict: true, status: 401 },
          { label: 'garbage body, no token', url, token: null, payload: '{"a":', strict: true, status: 401 },
        ].map((c) => (payload !== undefined && c.payload === undefined ? { ...c, payload } : c));
        const failures: string[] = [];
        for (const c of variants) failures.push(...(await run(op, c)));
        requestsMade += variants.length;
        expect(failures).toEqual([]);
      });
    }
  }

  it('made as many requests as planned', () => {
    const secured = operations.filter((o) => o.secured).length;
    const planned = operations.reduce((n, op) => n + casesFor(op).length, 0) + secured * 5;
    expect(perOperation.size).toBe(operations.length);
    expect(requestsMade).toBe(planned);
    expect(requestsMade).toBeGreaterThan(operations.length * 10);
  });
});
