import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { SIGNATURE_HEADER } from '../signing/response-signing.ts';
import { eventsOf, meteredLicense, report, usedOf } from './test-fixtures.ts';

describe(`usage metering through the client API (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  it('100 concurrent increments of 1 against a hard limit of 50: exactly 50 accepted, 50 refused', async () => {
    const f = await meteredLicense(t, { limit: 50 });
    const results = await Promise.all(
      Array.from({ length: 100 }, () => report(t, { key: f.key, property: 'api_calls' })),
    );
    const accepted = results.filter((r) => r.statusCode === 200);
    const refused = results.filter((r) => r.statusCode === 409);
    expect(accepted).toHaveLength(50);
    expect(refused).toHaveLength(50);
    for (const r of refused) expect(r.json().error.code).toBe('USAGE_LIMIT_EXCEEDED');
    // Every accepted call saw a distinct counter value: 1…50.
    expect(accepted.map((r) => r.json().usage.used).sort((a: number, b: number) => a - b)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    );
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 50 }]);
    const events = await eventsOf(t, f.licenseId);
    expect(events.filter((e) => e.accepted)).toHaveLength(50);
    expect(events.filter((e) => !e.accepted && e.code === 'USAGE_LIMIT_EXCEEDED' && e.used_after === 50)).toHaveLength(
      50,
    );
    for (const r of results) expect(r.headers[SIGNATURE_HEADER.toLowerCase()]).toMatch(/^v=1; kid=/);
  });

  it('answers the full usage state and refuses with the numbers in the message', async () => {
    const f = await meteredLicense(t, { limit: 10, warningThresholdPercent: 80 });
    const first = await report(t, { key: f.key, property: 'api_calls', amount: 7, nonce: 'n-1' });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({
      accepted: true,
      property: 'api_calls',
      usage: {
        used: 7,
        limit: 10,
        remaining: 3,
        enforcement: 'hard',
        warningAt: 8,
        status: 'ok',
        resetPeriod: 'none',
        periodStart: '2026-01-14T12:00:00.000Z',
        periodEnd: null,
      },
    });
    const warn = await report(t, { key: f.key, property: 'api_calls', op: 'increment' });
    expect(warn.json().usage).toMatchObject({ used: 8, remaining: 2, status: 'warning' });
    const tooMany = await report(t, { key: f.key, property: 'api_calls', amount: 3 });
    expect(tooMany.statusCode).toBe(409);
    expect(tooMany.json().error).toMatchObject({
      code: 'USAGE_LIMIT_EXCEEDED',
      message: 'api_calls: 8 of 10 used; +3 would exceed the hard limit',
    });
    const full = await report(t, { key: f.key, property: 'api_calls', amount: 2 });
    expect(full.json().usage).toMatchObject({ used: 10, remaining: 0, status: 'exceeded' });
    const more = await report(t, { key: f.key, property: 'api_calls' });
    expect(more.json().error.message).toBe('api_calls: 10 of 10 used; +1 would exceed the hard limit');
    // Adding 0 only reads: accepted even when full.
    const zero = await report(t, { key: f.key, property: 'api_calls', amount: 0 });
    expect(zero.json()).toMatchObject({ accepted: true, usage: { used: 10, status: 'exceeded' } });
  });

  it('refuses a first increment larger than the limit without creating a counter', async () => {
    const f = await meteredLicense(t, { limit: 5 });
    const res = await report(t, { key: f.key, property: 'api_calls', amount: 6 });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.message).toBe('api_calls: 0 of 5 used; +6 would exceed the hard limit');
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([]);
    expect(await eventsOf(t, f.licenseId)).toEqual([
      {
        op: 'increment',
        amount: 6,
        accepted: false,
        used_after: 0,
        code: 'USAGE_LIMIT_EXCEEDED',
        idempotency_key: null,
        source: 'client',
      },
    ]);
    const zeroLimit = await meteredLicense(t, { limit: 0 });
    const none = await report(t, { key: zeroLimit.key, property: 'api_calls' });
    expect(none.json().error.message).toBe('api_calls: 0 of 0 used; +1 would exceed the hard limit');
  });

  it('soft limits accept everything and report warning at the limit, exceeded above it', async () => {
    const f = await meteredLicense(t, { limit: 10, enforcement: 'soft', warningThresholdPercent: 90 });
    const at = await report(t, { key: f.key, property: 'api_calls', amount: 10 });
    expect(at.json().usage).toMatchObject({ used: 10, remaining: 0, enforcement: 'soft', status: 'warning' });
    const over = await report(t, { key: f.key, property: 'api_calls', amount: 5 });
    expect(over.statusCode).toBe(200);
    expect(over.json().usage).toMatchObject({ used: 15, remaining: 0, status: 'exceeded' });
    const noThreshold = await meteredLicense(t, { limit: 3, enforcement: 'soft' });
    const exact = await report(t, { key: noThreshold.key, property: 'api_calls', amount: 3 });
    expect(exact.json().usage).toMatchObject({ used: 3, warningAt: null, status: 'ok' });
  });

  it('a plan value with soft enforcement overrides the property; a license override raises the limit', async () => {
    const f = await meteredLicense(t, { limit: 2 });
    await t.kw.database.db
      .updateTable('plan_property_values')
      .set({ enforcement: 'soft' })
      .where('plan_id', '=', f.planId)
      .execute();
    const soft = await report(t, { key: f.key, property: 'api_calls', amount: 3 });
    expect(soft.json().usage).toMatchObject({ used: 3, limit: 2, enforcement: 'soft', status: 'exceeded' });

    const g = await meteredLicense(t, { limit: 2 });
    await t.kw.database.db
      .insertInto('property_overrides')
      .values({
        property_id: g.propertyId,
        license_id: g.licenseId,
        value: JSON.stringify(300),
        reason: 'pilot customer',
        author_name: 'test',
        created_at: t.clock.now(),
        updated_at: t.clock.now(),
      })
      .execute();
    const raised = await report(t, { key: g.key, property: 'api_calls', amount: 250 });
    expect(raised.json().usage).toMatchObject({ used: 250, limit: 300, remaining: 50 });
  });

  it('unlimited (null) accepts any amount', async () => {
    const f = await meteredLicense(t, { limit: null, warningThresholdPercent: 80 });
    const res = await report(t, { key: f.key, property: 'api_calls', amount: 1_000_000_000_000 });
    expect(res.json().usage).toMatchObject({
      used: 1_000_000_000_000,
      limit: null,
      remaining: null,
      warningAt: null,
      status: 'ok',
    });
  });

  it('decrements stop at 0, also without a counter', async () => {
    const f = await meteredLicense(t, { limit: 10 });
    const empty = await report(t, { key: f.key, property: 'api_calls', op: 'decrement', amount: 4 });
    expect(empty.json().usage).toMatchObject({ used: 0, remaining: 10 });
    await report(t, { key: f.key, property: 'api_calls', amount: 6 });
    const down = await report(t, { key: f.key, property: 'api_calls', op: 'decrement', amount: 2 });
    expect(down.json().usage.used).toBe(4);
    const floor = await report(t, { key: f.key, property: 'api_calls', op: 'decrement', amount: 99 });
    expect(floor.json().usage.used).toBe(0);
    expect((await eventsOf(t, f.licenseId)).map((e) => [e.op, e.amount, e.used_after])).toEqual([
      ['decrement', 4, 0],
      ['increment', 6, 6],
      ['decrement', 2, 4],
      ['decrement', 99, 0],
    ]);
  });

  it('set: up to a hard limit from the client, refused above it; soft limits accept any value', async () => {
    const f = await meteredLicense(t, { limit: 10 });
    const ok = await report(t, { key: f.key, property: 'api_calls', op: 'set', amount: 10 });
    expect(ok.json().usage).toMatchObject({ used: 10, status: 'exceeded' });
    const lower = await report(t, { key: f.key, property: 'api_calls', op: 'set', amount: 4 });
    expect(lower.json().usage.used).toBe(4);
    const above = await report(t, { key: f.key, property: 'api_calls', op: 'set', amount: 11 });
    expect(above.statusCode).toBe(409);
    expect(above.json().error).toMatchObject({
      code: 'USAGE_LIMIT_EXCEEDED',
      message: 'api_calls: setting 11 would exceed the hard limit of 10 (4 used)',
    });
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 4 }]);
    const soft = await meteredLicense(t, { limit: 10, enforcement: 'soft' });
    const s = await report(t, { key: soft.key, property: 'api_calls', op: 'set', amount: 25 });
    expect(s.json().usage).toMatchObject({ used: 25, status: 'exceeded' });
  });

  it('idempotency keys: a replay answers the recorded outcome and counts once', async () => {
    const f = await meteredLicense(t, { limit: 3 });
    const call = { key: f.key, property: 'api_calls', amount: 2, idempotencyKey: 'req-1' };
    const first = await report(t, call);
    const again = await report(t, call);
    expect(again.statusCode).toBe(200);
    expect(again.body).toBe(first.body);
    await report(t, { key: f.key, property: 'api_calls', idempotencyKey: 'req-2' }); // 3 of 3
    const later = await report(t, call);
    expect(later.body).toBe(first.body); // still the original outcome (used: 2), not the counter now
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 3 }]);

    // A refusal is an outcome too: replayed with the same status and body.
    const refused = await report(t, { key: f.key, property: 'api_calls', idempotencyKey: 'req-3' });
    expect(refused.statusCode).toBe(409);
    await report(t, { key: f.key, property: 'api_calls', op: 'set', amount: 0 });
    const replayed = await report(t, { key: f.key, property: 'api_calls', idempotencyKey: 'req-3' });
    expect(replayed.statusCode).toBe(409);
    const { requestId: _a, ...original } = refused.json().error;
    const { requestId: _b, ...again409 } = replayed.json().error;
    expect(again409).toEqual(original);
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 0 }]);

    // The same key for a different call is a client bug: refused, nothing counted.
    const reused = await report(t, { ...call, amount: 1 });
    expect(reused.statusCode).toBe(422);
    expect(reused.json().error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect((await eventsOf(t, f.licenseId)).map((e) => e.idempotency_key)).toEqual(['req-1', 'req-2', 'req-3', null]);

    // Keys are per license: another license may use the same one.
    const g = await meteredLicense(t, { limit: 3 });
    const other = await report(t, { ...call, key: g.key });
    expect(other.json().usage.used).toBe(2);
  });

  it('concurrent duplicates of one idempotency key count once', async () => {
    const f = await meteredLicense(t, { limit: 100 });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        report(t, { key: f.key, property: 'api_calls', amount: 5, idempotencyKey: 'burst' }),
      ),
    );
    expect(results.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(new Set(results.map((r) => r.json().usage.used))).toEqual(new Set([5]));
    expect(await usedOf(t, f.licenseId, f.propertyId)).toEqual([{ periodStart: expect.any(String), used: 5 }]);
    expect(await eventsOf(t, f.licenseId)).toHaveLength(1);
  });
});
