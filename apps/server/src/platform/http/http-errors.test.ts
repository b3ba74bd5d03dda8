import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { findInputProblem } from './input-guard.ts';

const noStack = (body: string) => expect(body).not.toMatch(/"stack"|\n\s+at\s|node_modules|\.ts:\d+/);

describe(`HTTP error hygiene (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: { bodyLimitBytes: 2048 } });
  });
  afterAll(async () => t.close());

  it('answers an unknown route with a JSON 404 ROUTE_NOT_FOUND', async () => {
    for (const [method, url] of [
      ['GET', '/v1/nope'],
      ['POST', '/v1/products/x/y/z'],
      ['DELETE', '/nope'],
    ] as const) {
      const res = await t.request({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().error).toMatchObject({ code: 'ROUTE_NOT_FOUND', message: expect.any(String) });
      noStack(res.body);
    }
  });

  it('refuses a body over the limit with 413 PAYLOAD_TOO_LARGE', async () => {
    const res = await t.request({
      method: 'POST',
      url: '/v1/products',
      payload: { code: 'BIG', name: 'x'.repeat(5000) },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('PAYLOAD_TOO_LARGE');
    noStack(res.body);
  });

  it('refuses invalid JSON with 400 INVALID_JSON and a wrong content type with 415', async () => {
    for (const payload of ['{"code":', '{code: "X"}', "{'a':1}", '\u0000']) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/products',
        payload,
        headers: { 'content-type': 'application/json' },
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('INVALID_JSON');
      noStack(res.body);
    }
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await t.request({
        method: 'POST',
        url: '/v1/products',
        payload: 'code=X',
        headers: { 'content-type': type },
      });
      expect({ type, status: res.statusCode }).toEqual({ type, status: 415 });
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      noStack(res.body);
    }
  });

  it('rejects NUL characters and absurd nesting with 400 before any route sees them', async () => {
    const nul = await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'NUL', name: 'a\u0000b' } });
    expect(nul.statusCode).toBe(400);
    expect(nul.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: '/body/name' }] });
    const query = await t.request({ method: 'GET', url: '/v1/products?q=a%00b' });
    expect(query.statusCode).toBe(400);
    expect(query.json().error.details[0].field).toBe('/querystring/q');
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(findInputProblem(deep, 'body')).toMatchObject({ code: 'INVALID_INPUT', message: /nested deeper/ });
    expect(findInputProblem({ a: ['ok', { b: 'fine' }] }, 'body')).toBeNull();
  });

  it('answers malformed URLs with the one error shape', async () => {
    const bad = await t.request({ method: 'GET', url: '/v1/products/%E0%A4%A' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_URL');
    const long = await t.request({ method: 'GET', url: `/v1/products/${'z'.repeat(500)}` });
    expect(long.statusCode).toBe(414);
    expect(long.json().error.code).toBe('URL_TOO_LONG');
  });
});

describe(`unexpected errors (${dbKind})`, () => {
  it('map to a 500 INTERNAL_ERROR without internals', async () => {
    const t = await startTestApp();
    try {
      // A route that throws like a bug would (registered before the app is ready).
      t.kw.app.get('/boom', async () => {
        throw new Error('secret internals at /srv/app.ts:12');
      });
      const res = await t.request({ method: 'GET', url: '/boom' });
      expect(res.statusCode).toBe(500);
      expect(res.json().error).toMatchObject({ code: 'INTERNAL_ERROR', requestId: expect.any(String) });
      expect(res.body).not.toContain('secret internals');
      noStack(res.body);
    } finally {
      await t.close();
    }
  });
});
