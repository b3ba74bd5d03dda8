/** KeywardClient.entitlements(), flags() and recordUsage(): signed like validate-key, same retry policy. */
import { describe, expect, it } from 'vitest';
import { fakeFetch, json, signed } from '../test/fake-server.ts';
import { bundle, entitlementsState } from '../test/flag-fixtures.ts';
import { LICENSE_KEY, makeKey } from '../test/spec-fixtures.ts';
import { KeywardClient } from './client.ts';
import type { KeywardError } from './errors.ts';

const key = makeKey();
const usage = {
  used: 3,
  limit: 10,
  remaining: 7,
  enforcement: 'hard',
  warningAt: 8,
  status: 'ok',
  resetPeriod: 'monthly',
  periodStart: '2026-11-01T00:00:00.000Z',
  periodEnd: '2026-12-01T00:00:00.000Z',
};

function client(
  handler: Parameters<typeof fakeFetch>[1],
  options: { licenseKey?: string } = { licenseKey: LICENSE_KEY },
) {
  const { fetch, calls } = fakeFetch(key, handler);
  const sleeps: number[] = [];
  const kw = new KeywardClient({
    baseUrl: 'https://kw.test',
    fetch,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...options,
  });
  return { kw, sleeps, posts: () => calls.filter((c) => c.method === 'POST') };
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as KeywardError;
  }
  throw new Error('expected a rejection');
};

describe('KeywardClient.entitlements() and flags()', () => {
  it('posts key, fingerprint, context and a nonce, and verifies the signed answer', async () => {
    const { kw, posts } = client((req) =>
      signed(
        key,
        req,
        200,
        req.path === '/v1/client/flags' ? { ...bundle(), computedAt: 'x', evaluated: [] } : entitlementsState(),
      ),
    );
    const state = await kw.entitlements({ fingerprint: 'fp-1', context: { userId: 'u1' } });
    expect(state.properties.map((p) => p.key)).toContain('api_calls');
    const flags = await kw.flags({ key: 'OTHER-KEY' });
    expect(flags.features.length).toBeGreaterThan(3);
    expect(flags.evaluated).toEqual([]);
    const [first, second] = posts();
    expect(first).toMatchObject({
      path: '/v1/client/entitlements',
      body: { key: LICENSE_KEY, fingerprint: 'fp-1', context: { userId: 'u1' }, nonce: expect.any(String) },
    });
    expect(second).toMatchObject({ path: '/v1/client/flags', body: { key: 'OTHER-KEY' } });
  });

  it('rejects unsigned or replayed answers (SIGNATURE_INVALID) and answers without the data (INVALID_RESPONSE)', async () => {
    const unsigned = client(() => json(200, entitlementsState()));
    expect((await errorOf(unsigned.kw.entitlements())).code).toBe('SIGNATURE_INVALID');
    const replay = client((req) =>
      signed(key, { ...req, body: { nonce: 'old' } }, 200, { ...bundle(), evaluated: [] }),
    );
    expect((await errorOf(replay.kw.flags())).code).toBe('SIGNATURE_INVALID');
    const empty = client((req) => signed(key, req, 200, { evaluated: [] }));
    expect((await errorOf(empty.kw.flags())).code).toBe('INVALID_RESPONSE');
  });

  it('needs a license key: from the call or the licenseKey option', async () => {
    const { kw } = client(() => json(200, {}), {});
    await expect(kw.entitlements()).rejects.toThrow(TypeError);
    await expect(kw.recordUsage('api_calls')).rejects.toThrow(/licenseKey/);
  });

  it('retries 503 like every other call, and never a 4xx', async () => {
    let n = 0;
    const { kw, posts, sleeps } = client((req) =>
      n++ === 0 ? json(503, {}) : signed(key, req, 200, { ...bundle(), evaluated: [] }),
    );
    await kw.flags();
    expect([posts().length, sleeps.length]).toEqual([2, 1]);
    const refused = client(() => json(404, { error: { code: 'LICENSE_NOT_FOUND', message: 'no' } }));
    expect((await errorOf(refused.kw.entitlements())).code).toBe('LICENSE_NOT_FOUND');
    expect(refused.posts()).toHaveLength(1);
  });
});

describe('KeywardClient.recordUsage()', () => {
  it('sends op, amount and a generated idempotency key, reused by the retries of one call only', async () => {
    let n = 0;
    const { kw, posts } = client((req) =>
      n++ === 0
        ? Promise.reject(new TypeError('fetch failed'))
        : signed(key, req, 200, { accepted: true, property: 'api_calls', usage }),
    );
    const r = await kw.recordUsage('api_calls', { amount: 2 });
    expect(r).toEqual({ accepted: true, property: 'api_calls', usage, idempotencyKey: expect.any(String) });
    await kw.recordUsage('api_calls');
    const [a, b, c] = posts();
    expect(a!.body).toMatchObject({ key: LICENSE_KEY, property: 'api_calls', op: 'increment', amount: 2 });
    expect(a!.body.idempotencyKey).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(b!.body.idempotencyKey).toBe(a!.body.idempotencyKey); // the retry
    expect(b!.body.idempotencyKey).toBe(r.idempotencyKey);
    expect(c!.body).toMatchObject({ amount: 1, op: 'increment' });
    expect(c!.body.idempotencyKey).not.toBe(a!.body.idempotencyKey); // another logical call
  });

  it('uses the given idempotency key and op', async () => {
    const { kw, posts } = client((req) => signed(key, req, 200, { accepted: true, property: 'seats', usage }));
    await kw.recordUsage('seats', { op: 'set', amount: 4, idempotencyKey: 'evt-42', key: 'K2' });
    expect(posts()[0]!.body).toMatchObject({
      key: 'K2',
      property: 'seats',
      op: 'set',
      amount: 4,
      idempotencyKey: 'evt-42',
    });
  });

  it('resolves a hard-limit refusal (409 USAGE_LIMIT_EXCEEDED) as accepted: false; other refusals throw', async () => {
    const message = 'api_calls: 998 + 5 would exceed the limit of 1000';
    const limited = client(() => json(409, { error: { code: 'USAGE_LIMIT_EXCEEDED', message } }));
    const r = await limited.kw.recordUsage('api_calls', { amount: 5, idempotencyKey: 'k1' });
    expect(r).toEqual({
      accepted: false,
      code: 'USAGE_LIMIT_EXCEEDED',
      property: 'api_calls',
      message,
      idempotencyKey: 'k1',
    });
    expect(limited.posts()).toHaveLength(1);
    const other = client(() => json(409, { error: { code: 'PROPERTY_NOT_METERED', message: 'no' } }));
    expect((await errorOf(other.kw.recordUsage('sso'))).code).toBe('PROPERTY_NOT_METERED');
    const unsigned = client(() => json(200, { accepted: true, property: 'api_calls', usage }));
    expect((await errorOf(unsigned.kw.recordUsage('api_calls'))).code).toBe('SIGNATURE_INVALID');
  });
});
