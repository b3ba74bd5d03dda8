import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { catalog, insertToken, issue } from './test-fixtures.ts';

describe(`licenses API access (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('answers 404 LICENSE_NOT_FOUND for unknown ids on every route', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const calls = [
      { method: 'GET' as const, url: `/v1/licenses/${id}` },
      { method: 'GET' as const, url: `/v1/licenses/${id}/key` },
      { method: 'PATCH' as const, url: `/v1/licenses/${id}`, payload: { notes: 'x' } },
      { method: 'DELETE' as const, url: `/v1/licenses/${id}` },
      { method: 'POST' as const, url: `/v1/licenses/${id}/actions/revoke` },
      { method: 'POST' as const, url: `/v1/licenses/${id}/actions/extend`, payload: { days: 7 } },
    ];
    for (const call of calls) {
      const res = await t.request(call);
      expect([call.url, res.statusCode, res.json().error.code]).toEqual([call.url, 404, 'LICENSE_NOT_FOUND']);
    }
  });

  it('confines product tokens to their product and refuses writes with read-only tokens', async () => {
    const mine = await catalog(t, 'MINE');
    const other = await catalog(t, 'OTHER');
    const token = await insertToken(t, 'product', mine.product.id);
    const own = await issue(t, { planId: mine.yearly.id, accountId: mine.account.id }, token);
    const foreign = await issue(t, { planId: other.yearly.id, accountId: other.account.id });

    const foreignPlan = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      token,
      payload: { planId: other.yearly.id, accountId: mine.account.id },
    });
    expect([foreignPlan.statusCode, foreignPlan.json().error.code]).toEqual([422, 'PLAN_NOT_FOUND']);
    expect((await t.request({ method: 'GET', url: `/v1/licenses/${own.id}`, token })).statusCode).toBe(200);
    for (const call of [
      { method: 'GET' as const, url: `/v1/licenses/${foreign.id}` },
      { method: 'GET' as const, url: `/v1/licenses/${foreign.id}/key` },
      { method: 'PATCH' as const, url: `/v1/licenses/${foreign.id}`, payload: { notes: 'x' } },
      { method: 'POST' as const, url: `/v1/licenses/${foreign.id}/actions/suspend` },
      { method: 'DELETE' as const, url: `/v1/licenses/${foreign.id}` },
    ]) {
      const res = await t.request({ ...call, token });
      expect([call.method, res.statusCode, res.json().error.code]).toEqual([call.method, 404, 'LICENSE_NOT_FOUND']);
    }
    const listed = (await t.request({ method: 'GET', url: '/v1/licenses?limit=500', token })).json();
    expect(listed.data.map((l: { id: string }) => l.id)).toEqual([own.id]);
    const suspended = await t.request({ method: 'POST', url: `/v1/licenses/${own.id}/actions/suspend`, token });
    expect(suspended.json().status).toBe('suspended');

    const readOnly = await insertToken(t, 'read-only');
    expect((await t.request({ method: 'GET', url: `/v1/licenses/${own.id}`, token: readOnly })).statusCode).toBe(200);
    for (const call of [
      { method: 'POST' as const, url: '/v1/licenses', payload: { planId: mine.yearly.id, accountId: mine.account.id } },
      { method: 'PATCH' as const, url: `/v1/licenses/${own.id}`, payload: { notes: 'x' } },
      { method: 'POST' as const, url: `/v1/licenses/${own.id}/actions/extend`, payload: { days: 7 } },
      { method: 'DELETE' as const, url: `/v1/licenses/${own.id}` },
    ]) {
      const res = await t.request({ ...call, token: readOnly });
      expect([call.url, res.statusCode, res.json().error.code]).toEqual([call.url, 403, 'FORBIDDEN']);
    }
    const noToken = await t.request({ method: 'GET', url: '/v1/licenses', token: null });
    expect(noToken.statusCode).toBe(401);
  });
});
