import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { createProduct, createToken, NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { effectivePropertiesOf, findLicenseRefs } from '../properties/properties.read.ts';
import { asUser, signInAs } from '../staff-auth/test-session.ts';
import { addProperty, adminMeter, eventsOf, meteredLicense, report, setPlanLimit, usedOf } from './test-fixtures.ts';
import { usageStatesOf } from './usage.read.ts';

describe(`usage metering through the admin API (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const auditOf = (licenseId: string) =>
    t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_name', 'target_type', 'target_id', 'before', 'after'])
      .where('license_id', '=', licenseId)
      .orderBy('id')
      .execute();

  it('increments within the hard limit, corrects above it with set, audits every accepted change', async () => {
    const f = await meteredLicense(t, { limit: 10 });
    const inc = await adminMeter(t, f, { amount: 9 });
    expect(inc.statusCode).toBe(200);
    expect(inc.json()).toMatchObject({ accepted: true, property: 'api_calls', usage: { used: 9, limit: 10 } });
    const refused = await adminMeter(t, f, { amount: 2 });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toBe('api_calls: 9 of 10 used; +2 would exceed the hard limit');
    const set = await adminMeter(t, f, { op: 'set', amount: 12 });
    expect(set.json().usage).toMatchObject({ used: 12, remaining: 0, status: 'exceeded' });
    const dec = await adminMeter(t, f, { op: 'decrement', amount: 5 });
    expect(dec.json().usage.used).toBe(7);
    const reset = await t.request({ method: 'POST', url: `/v1/licenses/${f.licenseId}/usage/api_calls/reset` });
    expect(reset.statusCode).toBe(200);
    expect(reset.json().usage).toMatchObject({ used: 0, status: 'ok' });

    const periodStart = inc.json().usage.periodStart;
    const audit = await auditOf(f.licenseId);
    expect(audit.map((a) => [a.action, a.before, a.after])).toEqual([
      [
        'usage.incremented',
        { property: 'api_calls', used: 0, periodStart },
        { property: 'api_calls', used: 9, op: 'increment', amount: 9, periodStart },
      ],
      [
        'usage.set',
        { property: 'api_calls', used: 9, periodStart },
        { property: 'api_calls', used: 12, op: 'set', amount: 12, periodStart },
      ],
      [
        'usage.decremented',
        { property: 'api_calls', used: 12, periodStart },
        { property: 'api_calls', used: 7, op: 'decrement', amount: 5, periodStart },
      ],
      [
        'usage.reset',
        { property: 'api_calls', used: 7, periodStart },
        { property: 'api_calls', used: 0, op: 'reset', amount: 0, periodStart },
      ],
    ]);
    expect(audit.every((a) => a.target_type === 'license' && a.target_id === f.licenseId)).toBe(true);
    expect((await eventsOf(t, f.licenseId)).map((e) => [e.op, e.accepted, e.used_after, e.source])).toEqual([
      ['increment', true, 9, 'admin'],
      ['increment', false, 9, 'admin'],
      ['set', true, 12, 'admin'],
      ['decrement', true, 7, 'admin'],
      ['reset', true, 0, 'admin'],
    ]);
  });

  it('replays an admin call by idempotency key without counting or auditing again', async () => {
    const f = await meteredLicense(t, { limit: 10 });
    const first = await adminMeter(t, f, { amount: 4, idempotencyKey: 'crm-sync-17' });
    const again = await adminMeter(t, f, { amount: 4, idempotencyKey: 'crm-sync-17' });
    expect(again.body).toBe(first.body);
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 4 }]);
    expect(await auditOf(f.licenseId)).toHaveLength(1);
    // Keys are shared with the client API on the same license.
    const client = await report(t, { key: f.key, property: 'api_calls', amount: 4, idempotencyKey: 'crm-sync-17' });
    expect(client.json().usage.used).toBe(4);
  });

  it('lists every metered property of the license with its usage', async () => {
    const f = await meteredLicense(t, { limit: 50, warningThresholdPercent: 80 });
    const seats = await addProperty(t, f.product.id, { key: 'active_projects', enforcement: 'soft' });
    await setPlanLimit(t, f.planId, seats.id, 3);
    await addProperty(t, f.product.id, { key: 'max_users', metered: false });
    await addProperty(t, f.product.id, { key: 'sso', type: 'boolean' });
    await report(t, { key: f.key, property: 'api_calls', amount: 45 });
    await report(t, { key: f.key, property: 'active_projects', amount: 4 });
    const res = await t.request({ method: 'GET', url: `/v1/licenses/${f.licenseId}/usage` });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      licenseId: f.licenseId,
      data: [
        {
          property: { id: seats.id, key: 'active_projects', name: 'API calls', unit: 'calls' },
          usage: expect.objectContaining({ used: 4, limit: 3, enforcement: 'soft', status: 'exceeded' }),
        },
        {
          property: { id: f.propertyId, key: 'api_calls', name: 'API calls', unit: 'calls' },
          usage: expect.objectContaining({ used: 45, limit: 50, warningAt: 40, status: 'warning' }),
        },
      ],
    });
    const notMetered = await adminMeter(t, { licenseId: f.licenseId, propertyKey: 'max_users' }, {});
    expect(notMetered.statusCode).toBe(422);
    expect(notMetered.json().error.code).toBe('PROPERTY_NOT_METERED');
    const unknown = await adminMeter(t, { licenseId: f.licenseId, propertyKey: 'nope' }, {});
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('PROPERTY_NOT_FOUND');
  });

  it('pages the history newest first; rejects forged cursors', async () => {
    const f = await meteredLicense(t, { limit: 5 });
    for (let i = 0; i < 7; i++) await report(t, { key: f.key, property: 'api_calls' });
    const url = `/v1/licenses/${f.licenseId}/usage/api_calls/history`;
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.request({ method: 'GET', url: `${url}?limit=3${cursor ? `&cursor=${cursor}` : ''}` });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      seen.push(...body.data.map((e: { id: string }) => e.id));
      cursor = body.nextCursor;
      pages += 1;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toHaveLength(7);
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);
    const full = (await t.request({ method: 'GET', url })).json();
    expect(full.data.map((e: { accepted: boolean; usedAfter: number }) => [e.accepted, e.usedAfter])).toEqual([
      [false, 5],
      [false, 5],
      [true, 5],
      [true, 4],
      [true, 3],
      [true, 2],
      [true, 1],
    ]);
    expect(full.data[0]).toMatchObject({ code: 'USAGE_LIMIT_EXCEEDED', limit: 5, source: 'client', op: 'increment' });
    const forged = Buffer.from(JSON.stringify({ v: null, id: 'x' })).toString('base64url');
    const bad = await t.request({ method: 'GET', url: `${url}?cursor=${forged}` });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_CURSOR');
  });

  it('product tokens see only their product; read-only tokens only read; unknown licenses are 404', async () => {
    const f = await meteredLicense(t);
    const other = await createProduct(t);
    const theirs = await createToken(t, 'product', other.id);
    const mine = await createToken(t, 'product', f.product.id);
    const readOnly = await createToken(t, 'read-only');
    const base = `/v1/licenses/${f.licenseId}/usage`;
    for (const [method, url] of [
      ['GET', base],
      ['GET', `${base}/api_calls/history`],
      ['POST', `${base}/api_calls`],
      ['POST', `${base}/api_calls/reset`],
    ] as const) {
      const payload = method === 'POST' && !url.endsWith('reset') ? { amount: 1 } : undefined;
      const hidden = await t.request({ method, url, token: theirs, ...(payload ? { payload } : {}) });
      expect([url, hidden.statusCode, hidden.json().error.code]).toEqual([url, 404, 'LICENSE_NOT_FOUND']);
      const own = await t.request({ method, url, token: mine, ...(payload ? { payload } : {}) });
      expect([url, own.statusCode]).toEqual([url, 200]);
      const ro = await t.request({ method, url, token: readOnly, ...(payload ? { payload } : {}) });
      expect([url, ro.statusCode]).toEqual([url, method === 'GET' ? 200 : 403]);
    }
    const missing = await t.request({ method: 'GET', url: '/v1/licenses/00000000-0000-4000-8000-000000000000/usage' });
    expect(missing.statusCode).toBe(404);
  });

  it('dashboard roles: admins and account managers correct usage; support and read_only only read', async () => {
    const f = await meteredLicense(t);
    const outcomes: Record<string, number[]> = {};
    for (const role of ['admin', 'account_manager', 'support', 'read_only'] as const) {
      const session = await signInAs(t, role);
      const url = `/v1/licenses/${f.licenseId}/usage/api_calls`;
      const write = await asUser(t, session, { method: 'POST', url, payload: { op: 'set', amount: 1 } });
      const reset = await asUser(t, session, { method: 'POST', url: `${url}/reset` });
      const read = await asUser(t, session, { method: 'GET', url: `${url}/history` });
      outcomes[role] = [write.statusCode, reset.statusCode, read.statusCode];
    }
    expect(outcomes).toEqual({
      admin: [200, 200, 200],
      account_manager: [200, 200, 200],
      support: [403, 403, 200],
      read_only: [403, 403, 200],
    });
  });

  it('usageStatesOf: the current period of every metered property in one read', async () => {
    t.clock.set('2026-01-15T12:00:00.000Z');
    const f = await meteredLicense(t, { limit: 10, resetPeriod: 'daily' });
    const monthly = await addProperty(t, f.product.id, { key: 'exports', resetPeriod: 'monthly' });
    await setPlanLimit(t, f.planId, monthly.id, null);
    await addProperty(t, f.product.id, { key: 'seats', metered: false });
    await report(t, { key: f.key, property: 'api_calls', amount: 3 });
    await report(t, { key: f.key, property: 'exports', amount: 2 });
    t.clock.advanceDays(1);
    await report(t, { key: f.key, property: 'api_calls', amount: 1 });
    const now = t.clock.now();
    const refs = (await findLicenseRefs(t.kw.database.db, f.licenseId))!;
    const effective = await effectivePropertiesOf(t.kw.database.db, refs, now);
    const states = await usageStatesOf(t.kw.database.db, refs, effective, now);
    expect([...states.keys()].sort()).toEqual([f.propertyId, monthly.id].sort());
    expect(states.get(f.propertyId)).toMatchObject({ used: 1, limit: 10, periodStart: '2026-01-16T12:00:00.000Z' });
    expect(states.get(monthly.id)).toMatchObject({
      used: 2,
      limit: null,
      periodStart: '2026-01-14T12:00:00.000Z',
      periodEnd: '2026-02-14T12:00:00.000Z',
    });
    const gone = await usageStatesOf(t.kw.database.db, { licenseId: crypto.randomUUID() }, effective, now);
    expect(gone.size).toBe(0);
    expect((await usageStatesOf(t.kw.database.db, refs, [], now)).size).toBe(0);
  });
});
