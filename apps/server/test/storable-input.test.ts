import type { LightMyRequestResponse } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { parseDateValue } from '../src/cli/options.ts';
import { schemaIssues } from '../src/cli/validate.ts';
import { createLicense, createToken } from '../src/modules/client/test-fixtures.ts';
import { CreateLicenseBody } from '../src/modules/licenses/licenses.schemas.ts';
import { setAt } from './fuzz-values.ts';
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
 * Issue 10, finding 4: dates PostgreSQL or the drivers cannot take, and lone UTF-16 surrogates in strings (jsonb
 * refuses them), were 500s. Every date field and every string of every operation is found through /openapi.json,
 * so a field added later is covered by the same checks: 400 VALIDATION_FAILED naming the field.
 */
const t = await startTestApp({ configOverrides: { rateLimit: { perIp: 1e7, perKey: 1e7, windowSeconds: 60 } } });
afterAll(async () => t.close());
await t.kw.app.ready();
const doc = t.kw.app.swagger() as unknown as OpenApiDoc;
const operations = operationsOf(doc);

const f = await createLicense(t);
const clientToken = await createToken(t, 'client', f.product.id);
/** Existing records for the path parameters, so that a request gets as far as it can. */
const idFor = (op: Operation, name: string) =>
  name === 'id' && op.path.startsWith('/v1/accounts/') ? f.accountId : f.licenseId;

/** Years 0 and 10000 (in UTC, also through an offset), a leap second and an offset JavaScript cannot parse. */
const UNSTORABLE_DATES = [
  '0000-01-01T00:00:00Z',
  '0000-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59-23:59',
  '2026-12-31T23:59:60Z',
  '2026-01-01T10:00:00+01',
];

function send(op: Operation, opts: { query?: string; body?: unknown }): Promise<LightMyRequestResponse> {
  const url = fillPath(op.path, Object.fromEntries(op.pathParams.map((p) => [p.name, idFor(op, p.name)])));
  const headers: Record<string, string> = op.clientToken ? { authorization: clientToken } : {};
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  return t.request({
    method: op.method,
    url: opts.query ? `${url}?${opts.query}` : url,
    headers,
    ...(op.clientToken ? { token: null } : {}),
    ...(opts.body !== undefined ? { payload: JSON.stringify(opts.body) } : {}),
  });
}

/** The error's code and the fields its details name. */
function refusal(res: LightMyRequestResponse) {
  const body = res.json() as { error?: { code?: string; details?: Array<{ field: string; message: string }> } };
  return { status: res.statusCode, code: body.error?.code, fields: (body.error?.details ?? []).map((d) => d.field) };
}

/** `/body/<path>` of a walkSchema path: array items are index 0, free-form keys `k0` (as setAt builds them). */
const bodyField = (path: string[]) => `/body/${path.map((p) => (p === '*' ? 'k0' : p)).join('/')}`;

interface DateField {
  op: Operation;
  where: 'query' | 'body';
  path: string[];
}

const dateFields: DateField[] = [];
const stringFields: Array<{ op: Operation; path: string[] }> = [];
for (const op of operations) {
  for (const q of op.queryParams) {
    if (mainBranch(q.schema).format === 'date-time') dateFields.push({ op, where: 'query', path: [q.name] });
  }
  if (!op.body) continue;
  walkSchema(doc, op.body, (path, schema: Schema) => {
    const types = typesOf(schema);
    if (types.has('string') && [schema, ...(schema.anyOf ?? [])].some((s) => s.format === 'date-time')) {
      dateFields.push({ op, where: 'body', path });
    }
    if (types.has('string') && !path.includes('0')) stringFields.push({ op, path });
  });
}
const names = (fields: Array<{ op: Operation; path: string[] }>) =>
  new Set(fields.map((d) => `${d.op.method} ${d.op.path} ${d.path.join('.')}`));

describe(`dates outside 0001–9999 are refused at the schema boundary (${dbKind})`, () => {
  it('finds every date field the review named (and the rest) in /openapi.json', () => {
    const found = names(dateFields);
    for (const named of [
      'GET /v1/audit-events from',
      'GET /v1/audit-events to',
      'GET /v1/licenses/{id}/audit-events from',
      'GET /v1/accounts/{id}/audit-events to',
      'GET /v1/licenses expiresBefore',
      'GET /v1/licenses expiresAfter',
      'GET /v1/accounts createdBefore',
      'GET /v1/accounts createdAfter',
      'GET /v1/flag-clients since',
      'POST /v1/licenses startsAt',
      'POST /v1/licenses maintenanceEndsAt',
      'PATCH /v1/licenses/{id} startsAt',
      'PATCH /v1/licenses/{id} maintenanceEndsAt',
      'POST /api/client/register started',
      'POST /api/client/metrics bucket.start',
      'POST /v1/licenses/validate-key scope.releasedAt',
      'POST /v1/tokens expiresAt',
      'POST /v1/overrides expiresAt',
    ]) {
      expect(found).toContain(named);
    }
    expect(dateFields.length).toBeGreaterThanOrEqual(25);
  });

  it('answers 400 VALIDATION_FAILED naming the field for every unstorable date in every date field', async () => {
    const failures: string[] = [];
    for (const field of dateFields) {
      const { op } = field;
      const base = op.body ? sampleValue(op.body) : undefined;
      for (const date of UNSTORABLE_DATES) {
        const res =
          field.where === 'query'
            ? await send(op, { query: `${field.path[0]}=${encodeURIComponent(date)}`, body: base })
            : await send(op, { body: setAt(base, field.path, date) });
        const expected = field.where === 'query' ? `/querystring/${field.path[0]}` : bodyField(field.path);
        const got = refusal(res);
        if (got.status !== 400 || got.code !== 'VALIDATION_FAILED' || !got.fields.includes(expected)) {
          failures.push(`${op.method} ${op.path} ${expected}=${date} → ${res.statusCode} ${res.body.slice(0, 200)}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it('says which dates it accepts, and accepts both ends of the range', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/audit-events?from=0000-01-01T00:00:00Z' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      {
        field: '/querystring/from',
        message:
          'must be an RFC 3339 date-time with a time zone (e.g. 2026-12-31T17:00:00Z) between 0001-01-01 and 9999-12-31',
      },
    ]);
    for (const edge of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999+00:00']) {
      for (const url of ['/v1/audit-events?from=', '/v1/licenses?expiresBefore=', '/v1/flag-clients?since=']) {
        expect((await t.request({ method: 'GET', url: `${url}${encodeURIComponent(edge)}` })).statusCode).toBe(200);
      }
    }
  });

  it('refuses a forged cursor carrying an unstorable date with 400 INVALID_CURSOR on every list', async () => {
    const lists = operations.filter((op) => op.method === 'GET' && op.queryParams.some((q) => q.name === 'cursor'));
    expect(lists.length).toBeGreaterThanOrEqual(15);
    const failures: string[] = [];
    for (const op of lists) {
      for (const v of [...UNSTORABLE_DATES, '+275760-09-13T00:00:00.000Z']) {
        const cursor = Buffer.from(JSON.stringify({ v, id: f.licenseId })).toString('base64url');
        const res = await send(op, { query: `cursor=${cursor}` });
        // Lists sorted by something else (a key, a name) may take the value as it is; none may fail.
        if (res.statusCode >= 500) {
          failures.push(`${op.path} cursor v=${v} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    for (const url of ['/v1/licenses', '/v1/machines', '/v1/accounts', '/v1/tokens']) {
      const cursor = Buffer.from(JSON.stringify({ v: '0000-01-01T00:00:00.000Z', id: f.licenseId })).toString(
        'base64url',
      );
      const res = await t.request({ method: 'GET', url: `${url}?cursor=${cursor}` });
      expect(refusal(res), url).toEqual({ status: 400, code: 'INVALID_CURSOR', fields: ['/querystring/cursor'] });
    }
  });

  it('refuses a computed date past 9999 (start + plan days, end + days) with 422 DATE_OUT_OF_RANGE', async () => {
    const issue = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: f.planId, accountId: f.accountId, startsAt: '9999-12-01T00:00:00Z' },
    });
    expect(refusal(issue)).toEqual({ status: 422, code: 'DATE_OUT_OF_RANGE', fields: ['/body/startsAt'] });
    const atEnd = await t.request({
      method: 'POST',
      url: `/v1/licenses/${f.licenseId}/actions/set-expiry`,
      payload: { endsAt: '9999-12-31T00:00:00Z' },
    });
    expect(atEnd.statusCode).toBe(200);
    const extend = await t.request({
      method: 'POST',
      url: `/v1/licenses/${f.licenseId}/actions/extend`,
      payload: { days: 7 },
    });
    expect(refusal(extend)).toEqual({ status: 422, code: 'DATE_OUT_OF_RANGE', fields: ['/body/days'] });
    const renew = await t.request({ method: 'POST', url: `/v1/licenses/${f.licenseId}/actions/renew` });
    expect(refusal(renew)).toMatchObject({ status: 422, code: 'DATE_OUT_OF_RANGE' });
  });

  it('shows a grace period lasting past 9999 as ending at 9999-12-31T23:59:59.999Z (was a 500)', async () => {
    const g = await createLicense(t, { plan: { grace_days: 30 } });
    const set = await t.request({
      method: 'POST',
      url: `/v1/licenses/${g.licenseId}/actions/set-expiry`,
      payload: { endsAt: '9999-12-31T23:59:59.999Z' },
    });
    expect(set.statusCode, set.body).toBe(200);
    expect(set.json()).toMatchObject({ endsAt: '9999-12-31T23:59:59.999Z', graceEndsAt: '9999-12-31T23:59:59.999Z' });
    const entitlements = await t.request({ method: 'GET', url: `/v1/licenses/${g.licenseId}/entitlements` });
    expect(entitlements.statusCode, entitlements.body).toBe(200);
  });

  it('the CLI and CSV import take the same dates as the API', () => {
    expect(parseDateValue('0000-01-01')).toBeNull();
    expect(parseDateValue('0001-01-01T00:00:00+14:00')).toBeNull();
    expect(parseDateValue('0001-01-01')?.toISOString()).toBe('0001-01-01T00:00:00.000Z');
    const input = { planId: f.planId, accountId: f.accountId };
    expect(schemaIssues(CreateLicenseBody, { ...input, startsAt: '0000-01-01T00:00:00.000Z' }, String)).toEqual([
      { field: '/startsAt', message: expect.stringContaining('between 0001-01-01 and 9999-12-31') },
    ]);
    expect(schemaIssues(CreateLicenseBody, { ...input, metadata: { note: 'a\ud800' } }, String)).toEqual([
      { field: '/metadata/note', message: expect.stringContaining('lone UTF-16 surrogate') },
    ]);
  });
});

describe(`lone UTF-16 surrogates are refused in every string (${dbKind})`, () => {
  it('finds the JSON-stored strings the review named', () => {
    const found = names(stringFields);
    for (const named of [
      'POST /v1/licenses billing.orderReference',
      'PATCH /v1/licenses/{id} billing.purchaseMethod',
      'POST /v1/licenses metadata.*',
      'PATCH /v1/licenses/{id} metadata.*',
      'POST /v1/licenses name',
    ]) {
      expect(found).toContain(named);
    }
  });

  it('answers 400 VALIDATION_FAILED naming the field for "\\ud800" in any string of any body', async () => {
    const failures: string[] = [];
    for (const { op, path } of stringFields) {
      const body = setAt(sampleValue(op.body!), path, `x\ud800y`);
      const got = refusal(await send(op, { body }));
      const expected = bodyField(path);
      if (got.status !== 400 || got.code !== 'VALIDATION_FAILED' || got.fields[0] !== expected) {
        failures.push(`${op.method} ${op.path} ${expected} → ${JSON.stringify(got)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(stringFields.length).toBeGreaterThan(100);
  });

  it('covers arrays, keys and the Unleash registration, and stores nothing', async () => {
    const cases: Array<[string, string, unknown, string, string | null]> = [
      ['PATCH', `/v1/licenses/${f.licenseId}`, { metadata: { '\udfff': 1 } }, '/body/metadata', null],
      ['PATCH', `/v1/licenses/${f.licenseId}`, { metadata: { list: ['ok', '\ud800'] } }, '/body/metadata/list/1', null],
      [
        'PATCH',
        `/v1/licenses/${f.licenseId}`,
        { billing: { orderReference: 'PO-\udc00' } },
        '/body/billing/orderReference',
        null,
      ],
      [
        'POST',
        '/api/client/register',
        { appName: 'a', instanceId: 'i', strategies: ['default', '\ud800'] },
        '/body/strategies/1',
        clientToken,
      ],
    ];
    for (const [method, url, payload, field, client] of cases) {
      const res = await t.request({
        method: method as 'PATCH' | 'POST',
        url,
        payload: JSON.stringify(payload),
        ...(client ? { token: null } : {}),
        headers: { 'content-type': 'application/json', ...(client ? { authorization: client } : {}) },
      });
      expect(refusal(res), url).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: [field] });
    }
    const license = await t.request({ method: 'GET', url: `/v1/licenses/${f.licenseId}` });
    expect(license.json().metadata).toEqual({});
    // A surrogate pair (one real character) is fine.
    const pair = await t.request({
      method: 'PATCH',
      url: `/v1/licenses/${f.licenseId}`,
      payload: { metadata: { e: '😀' } },
    });
    expect(pair.json().metadata).toEqual({ e: '😀' });
  });
});
