import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { isSpaNavigation } from './web.ts';

const HTML = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

describe(`web app serving (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('answers browser navigations to dashboard pages with index.html', async () => {
    for (const url of ['/', '/accounts', '/accounts/7f0c1d2e?tab=notes', '/sign-in']) {
      const res = await t.request({ method: 'GET', url, token: null, headers: { accept: HTML } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('<html');
    }
  });

  it('keeps JSON 404s for the API, operations paths and non-HTML requests', async () => {
    for (const [url, accept] of [
      ['/v1/nope', HTML],
      ['/docs/nope', HTML],
      ['/.well-known/nope', HTML],
      ['/accounts', 'application/json'],
      ['/accounts', undefined],
    ] as const) {
      const res = await t.request({ method: 'GET', url, token: null, headers: accept ? { accept } : {} });
      expect(res.statusCode, url).toBe(404);
      expect(res.json().error.code).toBe('ROUTE_NOT_FOUND');
    }
    const post = await t.request({ method: 'POST', url: '/accounts', token: null, headers: { accept: HTML } });
    expect(post.statusCode).toBe(404);
  });

  it('tells navigations from API paths', () => {
    expect(isSpaNavigation('GET', '/licenses?status=expiring', HTML)).toBe(true);
    expect(isSpaNavigation('GET', '/v1', HTML)).toBe(false);
    expect(isSpaNavigation('GET', '/v1x', HTML)).toBe(true);
    expect(isSpaNavigation('GET', '/openapi.json', HTML)).toBe(false);
    expect(isSpaNavigation('GET', '/metrics?x=1', HTML)).toBe(false);
    expect(isSpaNavigation('POST', '/accounts', HTML)).toBe(false);
  });
});
