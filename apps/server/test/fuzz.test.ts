import { randomInt } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { activate, createLicense, createToken } from '../src/modules/client/test-fixtures.ts';
import { createFlag, createSegment } from '../src/modules/flags/test-fixtures.ts';
import { createOverride, createProperty } from '../src/modules/properties/test-fixtures.ts';
import {
  deep,
  encodeQueryValue,
  type FuzzContext,
  fuzzValue,
  HOSTILE_STRINGS,
  hostileFor,
  POLLUTION,
  type Pools,
  pathValue,
  setAt,
  validish,
} from './fuzz-values.ts';
import { ADMIN_TOKEN, dbKind, startTestApp } from './harness.ts';
import { type OpenApiDoc, type Operation, operationsOf, Rng, type Schema, walkSchema } from './openapi-sweep.ts';

/**
 * The fuzz suite: every operation of /openapi.json gets REQUESTS_PER_OPERATION requests generated from its schemas —
 * valid-ish values mixed with hostile ones per JSON type, odd path segments, hostile query strings, broken bodies and
 * content types — mostly with the admin token, some anonymous. Bounded and seeded: the seed is printed, and
 * `FUZZ_SEED=<seed>` replays the same requests in the same order. Nothing may answer 5xx; every 4xx is the one error
 * shape with a stable code and nothing internal. (bad-input.test.ts is the exhaustive per-field sweep; this one finds
 * combinations.)
 */
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
const REQUESTS_PER_OPERATION = 12;
console.log(`fuzz (${dbKind}): seed ${SEED} — replay with FUZZ_SEED=${SEED}`);

const t = await startTestApp({ configOverrides: { rateLimit: { perIp: 1e7, perKey: 1e7, windowSeconds: 60 } } });
afterAll(async () => t.close());
await t.kw.app.ready();
const doc = t.kw.app.swagger() as unknown as OpenApiDoc;

/** Records for the generated ids and keys to find: one of each kind, through the API where it is cheap. */
async function seedPools(): Promise<{ pools: Pools; clientToken: string; readOnly: string }> {
  const f = await createLicense(t);
  const other = await createLicense(t, { product: f.product });
  await activate(t, { key: f.key, fingerprint: 'fuzz-machine-1' });
  await activate(t, { key: f.key, fingerprint: 'fuzz-machine-2' });
  const property = await createProperty(t, {
    productId: f.product.id,
    key: 'api_calls',
    name: 'API calls',
    type: 'number',
    defaultValue: 10,
    metered: true,
    enforcement: 'hard',
  });
  const override = await createOverride(t, {
    propertyId: property.id,
    licenseId: f.licenseId,
    value: 20,
    reason: 'fuzz',
  });
  const flag = await createFlag(t, { productId: f.product.id, key: 'fuzz-flag', enabled: true });
  const segment = await createSegment(t, { productId: f.product.id, name: 'fuzz segment', constraints: [] });
  const clientToken = await createToken(t, 'client', f.product.id);
  const readOnly = await createToken(t, 'read-only');
  const user = await t.request({
    method: 'POST',
    url: '/v1/users',
    payload: { email: 'fuzz@example.com', name: 'Fuzz', role: 'support', password: 'correct horse battery staple' },
  });
  await t.kw.database.db.updateTable('accounts').set({ crm_id: 'CRM-FUZZ-1' }).where('id', '=', f.accountId).execute();
  const { db } = t.kw.database;
  const ids = async (table: 'machines' | 'api_tokens') =>
    (await db.selectFrom(table).select('id').execute()).map((r) => String(r.id));
  const adminTokenId = await db
    .selectFrom('api_tokens')
    .select('id')
    .where('token_prefix', '=', ADMIN_TOKEN.slice(0, 10))
    .executeTakeFirst();
  const body = f.key.slice(f.key.indexOf('-') + 1);
  const pools: Pools = {
    ids: {
      products: [f.product.id],
      plans: [f.planId, other.planId],
      accounts: [f.accountId, other.accountId],
      licenses: [f.licenseId, other.licenseId],
      machines: await ids('machines'),
      // Never the token the suite runs with: revoking it would turn the rest of the run into 401s.
      tokens: (await ids('api_tokens')).filter((id) => id !== adminTokenId?.id),
      users: user.statusCode === 201 ? [user.json().id as string] : [],
      properties: [property.id],
      overrides: [override.id],
      flags: [flag.id],
      'flag-segments': [String(segment.id)],
    },
    keys: [
      f.key,
      other.key,
      f.key.toLowerCase(),
      `${f.product.code}-${body.replace(/0/g, 'O').replace(/1/g, 'l')}`,
      ` ${f.key.replace(/-/g, ' - ')} `,
      `${f.key.slice(0, -1)}${f.key.endsWith('0') ? '1' : '0'}`,
      'LEGACY-KEY-0001',
      'KW1.kid.eyJsaWQiOiJ4In0.c2ln',
    ],
    propertyKeys: ['api_calls', 'nope'],
    crmIds: ['CRM-FUZZ-1', 'no-such-crm'],
    fingerprints: ['fuzz-machine-1', 'fuzz-machine-2', 'unknown-machine'],
  };
  return { pools, clientToken, readOnly };
}

const { pools, clientToken, readOnly } = await seedPools();

/** Destructive operations last, so that the records the others use exist while they run. */
const weight = (op: Operation) =>
  op.method === 'DELETE' ? 2 : /revoke|rotate|sign-out|reset-machines|transfer/.test(op.path) ? 1 : 0;
const operations = operationsOf(doc)
  .map((op, i) => ({ op, i }))
  .sort((a, b) => weight(a.op) - weight(b.op) || a.i - b.i)
  .map(({ op }) => op);

interface Request {
  method: Operation['method'];
  url: string;
  headers: Record<string, string>;
  payload?: string;
  label: string;
}

const CONTENT_TYPES = [
  'text/plain',
  'application/xml',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=fuzz',
  'application/json; charset=latin1',
  'application/json-patch+json',
  'application/octet-stream',
  '',
];

/** Where one hostile value goes in a "sharp" request: a path parameter, a query parameter or a body property. */
type Target = { kind: 'path' | 'query'; name: string } | { kind: 'body'; path: string[]; schema: Schema };

function targetsOf(op: Operation): Target[] {
  const targets: Target[] = [
    ...op.pathParams.map((p) => ({ kind: 'path' as const, name: p.name })),
    ...op.queryParams.map((q) => ({ kind: 'query' as const, name: q.name })),
  ];
  if (op.body) walkSchema(doc, op.body, (path, schema) => targets.push({ kind: 'body', path, schema }));
  return targets;
}

/**
 * One request for an operation: its auth, path, query and body. Half the requests are "sharp": everything valid-ish
 * but one hostile value (what finds the 500s — a request must pass every other check to reach the database);
 * the others are chaos, every value hostile at a fixed rate, plus broken bodies and content types.
 */
function requestFor(op: Operation, rng: Rng): Request {
  const targets = targetsOf(op);
  const target = targets.length > 0 && rng.chance(0.5) ? rng.pick(targets) : null;
  const ctx: FuzzContext = { doc, rng, pools, hostile: target ? 0 : 0.15 };
  const sharp = (schema: Schema) => hostileFor({ ...ctx, hostile: 1 }, schema);
  const labels: string[] = target ? [`sharp ${target.kind === 'body' ? target.path.join('.') : target.name}`] : [];
  const headers: Record<string, string> = {};
  const auth = target ? 0 : rng.next();
  if (op.clientToken) headers.authorization = auth < 0.85 ? clientToken : auth < 0.93 ? ADMIN_TOKEN : 'kw_fuzz';
  else if (auth < 0.8) headers.authorization = `Bearer ${ADMIN_TOKEN}`;
  else if (auth < 0.88) headers.authorization = `Bearer ${readOnly}`;
  else if (auth < 0.94) labels.push('anonymous');
  else headers.authorization = rng.pick(['Bearer kw_fuzz_unknown_token_0123456789abcdef', 'Basic YTpi', 'Bearer ']);

  // Other inputs a client controls: a forged session cookie (with or without a CSRF token), a conditional GET.
  if (!target && rng.chance(0.08)) {
    delete headers.authorization;
    headers.cookie = `kw_session=${encodeQueryValue(rng.pick([...HOSTILE_STRINGS.slice(2), 'kw_s_fuzz']))}`;
    if (rng.chance(0.5)) headers['x-csrf-token'] = rng.pick(['x', '', 'a'.repeat(5_000)]);
  }
  if (op.clientToken && rng.chance(0.2)) headers['if-none-match'] = rng.pick(['"x"', '*', 'W/"1"', '"', ',,,']);

  let url = op.path.replace(/\{([^}]+)\}/g, (_m, name: string) => {
    const param = op.pathParams.find((p) => p.name === name) ?? { name, in: 'path' as const, schema: {} };
    if (target?.kind === 'path' && target.name === name) return pathValue({ ...ctx, hostile: 1 }, op.path, param);
    return pathValue(ctx, op.path, param);
  });
  const query: string[] = [];
  for (const q of op.queryParams) {
    if (target?.kind === 'query' && target.name === q.name) {
      query.push(`${q.name}=${encodeQueryValue(sharp(q.schema))}`);
      continue;
    }
    if (!rng.chance(0.4)) continue;
    query.push(`${q.name}=${encodeQueryValue(fuzzValue(ctx, q.schema, q.name))}`);
    if (rng.chance(0.05)) query.push(`${q.name}=${encodeQueryValue(fuzzValue(ctx, q.schema, q.name))}`);
  }
  if (rng.chance(0.05)) query.push(`fuzzUnknown=${encodeQueryValue(rng.pick(HOSTILE_STRINGS))}`);
  if (rng.chance(0.03)) query.push('a[b][c]=1&__proto__[admin]=1');
  if (query.length) url += `?${query.join('&')}`;

  let payload: string | undefined;
  if (op.body) {
    headers['content-type'] = 'application/json';
    const shape = target ? 0 : rng.next();
    if (target?.kind === 'body') {
      payload = JSON.stringify(setAt(validish(ctx, op.body, undefined), target.path, sharp(target.schema)));
    } else if (shape < 0.8) payload = JSON.stringify(validish(ctx, op.body, undefined));
    else if (shape < 0.84) payload = rng.pick(['{"a":', '', 'null', '[]', '"text"', '42', '{"a":1}}', '\u0000']);
    else if (shape < 0.88) payload = rng.pick(POLLUTION);
    else if (shape < 0.91) payload = JSON.stringify({ ...(validish(ctx, op.body, undefined) as object), d: deep(40) });
    else if (shape < 0.94) payload = JSON.stringify([validish(ctx, op.body, undefined)]);
    else {
      payload = JSON.stringify(validish(ctx, op.body, undefined));
      headers['content-type'] = rng.pick(CONTENT_TYPES);
    }
  } else if (rng.chance(0.08)) {
    headers['content-type'] = rng.pick(['application/json', 'text/plain']);
    payload = rng.pick(['{"unexpected":true}', 'garbage', '']);
  }
  if (!headers['content-type']) delete headers['content-type'];
  return { method: op.method, url, headers, label: labels.join(' '), ...(payload !== undefined ? { payload } : {}) };
}

/** What no response may show: stack frames and source paths. */
const STACK = /"stack"|\n\s+at\s|node_modules|\.ts:\d+/;
/** What no error may show besides: driver and SQL messages. */
const INTERNALS =
  /ECONNREFUSED|duplicate key|violates|relation "|syntax error at|invalid input syntax|out of range for type/i;
const STABLE_CODE = /^[A-Z][A-Z0-9_]{2,63}$/;

/**
 * Why an error body is not the one error shape (platform/http/error-schema.ts): exactly `{error}`, with a stable
 * code, a message, the request id and optionally details of {field, message} — nothing else.
 */
function shapeProblem(body: unknown): string | null {
  if (typeof body !== 'object' || body === null || Object.keys(body).join() !== 'error') return 'not {error}';
  const error = (body as { error: Record<string, unknown> }).error;
  if (typeof error !== 'object' || error === null) return 'error is not an object';
  const extra = Object.keys(error).filter((k) => !['code', 'message', 'requestId', 'details'].includes(k));
  if (extra.length) return `unexpected error fields ${extra.join(', ')}`;
  if (typeof error.code !== 'string' || !STABLE_CODE.test(error.code)) return `unstable code ${String(error.code)}`;
  if (typeof error.message !== 'string' || error.message === '') return 'no message';
  if (error.requestId !== undefined && typeof error.requestId !== 'string') return 'requestId is not a string';
  const details = error.details;
  if (details !== undefined) {
    const ok =
      Array.isArray(details) &&
      details.every(
        (d: unknown) =>
          typeof d === 'object' &&
          d !== null &&
          Object.keys(d).sort().join() === 'field,message' &&
          typeof (d as { field: unknown }).field === 'string' &&
          typeof (d as { message: unknown }).message === 'string',
      );
    if (!ok) return 'details are not [{field, message}]';
  }
  return null;
}

function problemsOf(res: LightMyRequestResponse): string[] {
  const problems: string[] = [];
  if (res.statusCode >= 500) problems.push(`status ${res.statusCode}`);
  if (STACK.test(res.body)) problems.push('a stack trace in the body');
  if (res.statusCode >= 400) {
    if (INTERNALS.test(res.body)) problems.push('internals in the error');
    let body: unknown;
    try {
      body = res.json();
    } catch {
      problems.push(`non-JSON error body (${String(res.headers['content-type'])})`);
    }
    const shape = body === undefined ? null : shapeProblem(body);
    if (shape) problems.push(`not the one error shape: ${shape}`);
  }
  return problems;
}

const base = new Rng(SEED);
let sent = 0;

describe(`fuzz every operation of /openapi.json (${dbKind})`, () => {
  it('has the whole API to fuzz', () => {
    expect(operations.length).toBeGreaterThanOrEqual(100);
    expect(new Set(operations.map((o) => `${o.method} ${o.path}`)).size).toBe(operations.length);
  });

  for (const [index, op] of operations.entries()) {
    it(`${op.method} ${op.path}: ${REQUESTS_PER_OPERATION} generated requests, no 5xx, one error shape`, async () => {
      const failures: string[] = [];
      for (let i = 0; i < REQUESTS_PER_OPERATION; i++) {
        const request = requestFor(op, base.fork(index, i));
        const res = await t.kw.app.inject({
          method: request.method,
          url: request.url,
          headers: request.headers,
          ...(request.payload !== undefined ? { payload: request.payload } : {}),
        });
        sent += 1;
        for (const problem of problemsOf(res)) {
          failures.push(
            `FUZZ_SEED=${SEED} #${i} ${request.method} ${request.url.slice(0, 200)} ${request.label} ` +
              `[${request.headers['content-type'] ?? ''}] ${(request.payload ?? '').slice(0, 300)} → ${problem}: ` +
              res.body.slice(0, 300),
          );
        }
      }
      expect(failures).toEqual([]);
    });
  }

  it('sent the planned number of requests', () => {
    expect(sent).toBe(operations.length * REQUESTS_PER_OPERATION);
  });
});
