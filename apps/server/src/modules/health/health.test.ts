import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';

interface Doc {
  openapi: string;
  info: { title: string; version: string; description?: string };
  tags: Array<{ name: string; description?: string }>;
  paths: Record<string, Record<string, { tags?: string[]; security?: unknown[]; responses?: object }>>;
  components: { schemas: Record<string, unknown>; securitySchemes: Record<string, unknown> };
}

// The groups an API reader expects; further tags are fine as long as they are declared with a description.
const CORE_TAGS = [
  'Products',
  'Plans',
  'Accounts',
  'Licenses',
  'License actions',
  'Machines',
  'Client API',
  'Tokens',
  'Audit',
  'Signing keys',
  'Operations',
  'Staff sign-in',
  'Users',
];
// Routes that deliberately take no bearer token. A new public route must be added here on purpose.
const CLIENT_API = [
  '/v1/licenses/validate-key',
  '/v1/licenses/check-out',
  '/v1/machines/activate',
  '/v1/machines/heartbeat',
  '/v1/machines/deactivate',
  '/v1/client/entitlements',
  '/v1/client/flags',
  // Unleash client API: a client token in Authorization, not a bearer admin token (docs/feature-flags.md).
  '/api/client/features',
  '/api/client/register',
  '/api/client/metrics',
  '/v1/client/usage',
  '/v1/keys', // public too: the keys that verify signatures (docs/license-files.md)
  // Dashboard sign-in: the session cookie is the credential (docs/dashboard-auth.md).
  '/v1/auth/sign-in',
  '/v1/auth/sign-out',
  '/v1/auth/session',
  '/v1/auth/password-reset',
  '/v1/auth/password-reset/confirm',
];

describe(`operations endpoints (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('/healthz reports ok with the database kind', async () => {
    const res = await t.request({ method: 'GET', url: '/healthz', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', database: dbKind });
  });

  it('/metrics serves the Prometheus text format with request, latency and validation metrics', async () => {
    await t.request({ method: 'GET', url: '/v1/products' });
    t.kw.metrics.validations.inc({ code: 'VALID', valid: 'true' });
    const res = await t.request({ method: 'GET', url: '/metrics', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const text = res.body;
    expect(text).toContain('# TYPE keyward_http_requests_total counter');
    expect(text).toMatch(/^keyward_http_requests_total\{method="GET",route="\/v1\/products",status="200"\} \d+$/m);
    expect(text).toContain('# TYPE keyward_http_request_duration_seconds histogram');
    expect(text).toMatch(
      /^keyward_http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/v1\/products"\} \d+$/m,
    );
    expect(text).toMatch(/^keyward_http_request_duration_seconds_count\{method="GET",route="\/v1\/products"\} \d+$/m);
    expect(text).toContain('# TYPE keyward_license_validations_total counter');
    expect(text).toMatch(/^keyward_license_validations_total\{code="VALID",valid="true"\} 1$/m);
    // Every sample line is `name{labels} value`: the exposition format scrapers parse.
    for (const line of text.split('\n').filter((l) => l && !l.startsWith('#'))) {
      expect(line).toMatch(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+|NaN|[+-]Inf$/);
    }
    // Raw URLs never become labels (ids and keys would explode cardinality).
    await t.request({ method: 'GET', url: '/v1/products/00000000-0000-4000-8000-000000000001' });
    const after = (await t.request({ method: 'GET', url: '/metrics', token: null })).body;
    expect(after).toContain('route="/v1/products/:id"');
    expect(after).not.toContain('00000000-0000-4000-8000-000000000001');
  });

  it('/openapi.json is an OpenAPI 3.1 document of every /v1 route with tags and bearer security', async () => {
    const res = await t.request({ method: 'GET', url: '/openapi.json', token: null });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as Doc;
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.info).toMatchObject({ title: 'Keyward API', version: expect.any(String) });
    expect(doc.info.description?.length).toBeGreaterThan(20);
    const declared = doc.tags.map((tag) => tag.name);
    expect(declared).toEqual(expect.arrayContaining(CORE_TAGS));
    for (const tag of doc.tags) expect(tag.description?.length).toBeGreaterThan(10);
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.components.schemas.ErrorResponse).toBeDefined();

    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path).not.toMatch(/:/);
      for (const [method, op] of Object.entries(item)) {
        documented.add(`${method.toUpperCase()} ${path}`);
        expect(op.tags?.length, `${method} ${path} has tags`).toBeGreaterThan(0);
        for (const tag of op.tags ?? []) expect(declared).toContain(tag);
        expect(Object.keys(op.responses ?? {}).length).toBeGreaterThan(0);
        if (path.startsWith('/v1/')) {
          const isClient = CLIENT_API.includes(path);
          expect({
            route: `${method} ${path}`,
            bearer: JSON.stringify(op.security ?? []).includes('bearerAuth'),
          }).toEqual({ route: `${method} ${path}`, bearer: !isClient });
        }
      }
    }
    // Every /v1 route the server answers is documented.
    for (const known of ['POST /v1/products', 'GET /v1/tokens', 'DELETE /v1/tokens/{id}', 'GET /v1/audit-events']) {
      expect(documented).toContain(known);
    }
    // ...and every documented operation is a route the server answers.
    for (const route of documented) {
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(/\{([^}]+)\}/g, ':$1');
      expect({ route, exists: t.kw.app.hasRoute({ method: method as 'GET', url }) }).toEqual({ route, exists: true });
    }
    // Every $ref points into the document.
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((m) => m[1]!);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(doc.components.schemas[ref], ref).toBeDefined();
  });

  it('/docs serves the Swagger UI page', async () => {
    const res = await t.request({ method: 'GET', url: '/docs', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toMatch(/swagger/i);
  });
});

describe(`/healthz with the database down (${dbKind})`, () => {
  it('answers 503 once the database is closed', async () => {
    const t = await startTestApp();
    try {
      await t.kw.app.ready(); // started (signing key checked), then the database goes away
      await t.kw.database.close();
      const res = await t.request({ method: 'GET', url: '/healthz', token: null });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ status: 'unavailable', database: dbKind });
    } finally {
      await t.kw.close();
      await t.testDb.drop().catch(() => {});
    }
  });
});
