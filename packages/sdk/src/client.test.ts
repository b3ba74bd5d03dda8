import { describe, expect, it } from 'vitest';
import { fakeFetch, json, signed } from '../test/fake-server.ts';
import { keysJson, LICENSE_KEY, licenseFile, makeKey, payload } from '../test/spec-fixtures.ts';
import { KeywardClient } from './client.ts';
import { KeywardError } from './errors.ts';

const key = makeKey();
const validation = (nonce: unknown) => ({
  valid: true,
  code: 'VALID',
  detail: 'The license is valid',
  license: null,
  meta: { ts: new Date().toISOString(), nonce, scope: null },
});

function client(
  handler: Parameters<typeof fakeFetch>[1],
  options: Partial<ConstructorParameters<typeof KeywardClient>[0]> = {},
) {
  const { fetch, calls } = fakeFetch(key, handler);
  const sleeps: number[] = [];
  const kw = new KeywardClient({
    baseUrl: 'https://kw.test/',
    fetch,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0.5,
    ...options,
  });
  return { kw, calls, sleeps, posts: () => calls.filter((c) => c.method === 'POST') };
}

const errorOf = async (p: Promise<unknown>) => {
  try {
    await p;
  } catch (err) {
    return err as KeywardError;
  }
  throw new Error('expected a rejection');
};

describe('KeywardClient: signed responses', () => {
  it('sends a random nonce and verifies signature, ts and nonce echo; fetches /v1/keys once', async () => {
    const { kw, calls } = client((req) => signed(key, req, 200, validation(req.body.nonce)));
    const r = await kw.validateKey(LICENSE_KEY, { product: 'ACME' });
    await kw.validateKey(LICENSE_KEY);
    expect(r).toMatchObject({ valid: true, code: 'VALID' });
    const [first, second] = calls.filter((c) => c.method === 'POST');
    expect(first!.body.nonce).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(first!.body.nonce).not.toBe(second!.body.nonce);
    expect(calls.filter((c) => c.path === '/v1/keys')).toHaveLength(1);
  });

  it('throws SIGNATURE_INVALID for a replayed, unsigned, stale or foreign-signed response', async () => {
    const replay = client((req) => signed(key, { ...req, body: { nonce: 'old' } }, 200, validation('old')));
    expect((await errorOf(replay.kw.validateKey(LICENSE_KEY))).code).toBe('SIGNATURE_INVALID');
    const unsigned = client((req) => json(200, validation(req.body.nonce)));
    expect((await errorOf(unsigned.kw.validateKey(LICENSE_KEY))).code).toBe('SIGNATURE_INVALID');
    const stale = client((req) => signed(key, req, 200, validation(req.body.nonce), '2020-01-01T00:00:00.000Z'));
    expect((await errorOf(stale.kw.validateKey(LICENSE_KEY))).code).toBe('SIGNATURE_INVALID');
    const pinned = client((req) => signed(key, req, 200, validation(req.body.nonce)), {
      publicKeys: keysJson(makeKey()),
      followKeyChain: false,
    });
    expect((await errorOf(pinned.kw.validateKey(LICENSE_KEY))).code).toBe('SIGNATURE_INVALID');
    expect(pinned.calls.some((c) => c.path === '/v1/keys')).toBe(false);
    // Following the key chain (the default) looks at /v1/keys, but its key does not chain to the pinned one.
    const chained = client((req) => signed(key, req, 200, validation(req.body.nonce)), {
      publicKeys: keysJson(makeKey()),
    });
    expect((await errorOf(chained.kw.validateKey(LICENSE_KEY))).code).toBe('SIGNATURE_INVALID');
    expect(chained.calls.filter((c) => c.path === '/v1/keys')).toHaveLength(1);
  });

  it('skips verification (and the nonce) when verifySignatures is false', async () => {
    const { kw, posts } = client(() => json(200, validation(null)), { verifySignatures: false });
    expect((await kw.validateKey(LICENSE_KEY)).valid).toBe(true);
    expect(posts()[0]!.body.nonce).toBeUndefined();
  });

  it('checks out a license file and verifies it offline', async () => {
    const certificate = licenseFile(
      key,
      payload({
        meta: { issuedAt: new Date().toISOString(), expiresAt: new Date(Date.now() + 86400_000).toISOString() },
        license: { endsAt: null, graceEndsAt: null },
      }),
      {
        encrypt: { licenseKey: LICENSE_KEY },
      },
    );
    const { kw, posts } = client((req) =>
      signed(key, req, 200, {
        certificate,
        alg: 'aes-256-gcm+ed25519',
        kid: key.kid,
        issuedAt: '',
        expiresAt: '',
        ttlSeconds: 86400,
      }),
    );
    const r = await kw.checkOut({ key: LICENSE_KEY, encrypt: true, ttlSeconds: 86400 });
    expect(posts()[0]!.body).toMatchObject({ key: LICENSE_KEY, encrypt: true, ttlSeconds: 86400 });
    expect(posts()[0]!.body.verify).toBeUndefined();
    expect(r.certificate).toBe(certificate);
    expect(r.verification).toMatchObject({ valid: true, encrypted: true });
  });
});

describe('KeywardClient: retries', () => {
  const unsignedOk = { verifySignatures: false } as const;

  it('retries 503 and network errors with growing jittered delays, then succeeds', async () => {
    let n = 0;
    const { kw, calls, sleeps } = client(
      () => {
        n++;
        if (n === 1) throw new TypeError('fetch failed');
        if (n === 2) return json(503, { error: { code: 'UNAVAILABLE', message: 'busy' } });
        return json(200, validation(null));
      },
      { ...unsignedOk, retry: { maxAttempts: 3, baseDelayMs: 400 } },
    );
    expect((await kw.validateKey(LICENSE_KEY)).valid).toBe(true);
    expect(calls).toHaveLength(3);
    expect(sleeps).toEqual([200, 400]); // random 0.5 × 400 · 2^0, × 400 · 2^1
  });

  it('gives up after maxAttempts with the last error; never more than the total delay budget', async () => {
    const down = client(() => json(502, {}), { ...unsignedOk });
    const err = await errorOf(down.kw.validateKey(LICENSE_KEY));
    expect([err.status, err.code, down.calls.length]).toEqual([502, 'HTTP_502', 3]);
    const net = client(() => Promise.reject(new TypeError('ECONNREFUSED')), {
      ...unsignedOk,
      retry: { maxAttempts: 10, baseDelayMs: 1000, maxTotalDelayMs: 3000 },
      random: () => 0.99,
    });
    const e2 = await errorOf(net.kw.validateKey(LICENSE_KEY));
    expect(e2.code).toBe('NETWORK_ERROR');
    expect(e2.isNetworkError).toBe(true);
    expect(net.sleeps.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(3000);
    expect(net.sleeps[1]!).toBeGreaterThan(net.sleeps[0]!);
  });

  it('honours Retry-After on 429 as a floor, and gives up when it exceeds the budget', async () => {
    let n = 0;
    const limited = client(
      () =>
        n++ === 0
          ? json(429, { error: { code: 'RATE_LIMITED' } }, { 'retry-after': '7' })
          : json(200, validation(null)),
      unsignedOk,
    );
    await limited.kw.validateKey(LICENSE_KEY);
    expect(limited.sleeps).toEqual([7000]);
    const long = client(
      () => json(429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '120' }),
      unsignedOk,
    );
    const err = await errorOf(long.kw.validateKey(LICENSE_KEY));
    expect([err.code, err.retryAfterSeconds, long.calls.length, long.sleeps.length]).toEqual([
      'RATE_LIMITED',
      120,
      1,
      0,
    ]);
  });

  it.each([400, 403, 404, 409])('never retries a %i decision', async (status) => {
    const { kw, calls, sleeps } = client(
      () => json(status, { error: { code: 'TOO_MANY_MACHINES', message: 'no' } }),
      unsignedOk,
    );
    const err = await errorOf(kw.activate({ key: LICENSE_KEY, fingerprint: 'fp' }));
    expect(err).toBeInstanceOf(KeywardError);
    expect([err.status, err.code, err.retryable, calls.length, sleeps.length]).toEqual([
      status,
      'TOO_MANY_MACHINES',
      false,
      1,
      0,
    ]);
  });

  it('times out each attempt (AbortSignal.timeout) and retries a timeout', async () => {
    const hang = (req: { signal: AbortSignal | null }) =>
      new Promise<Response>((_, reject) => req.signal?.addEventListener('abort', () => reject(req.signal?.reason)));
    const once = client(hang, { ...unsignedOk, timeoutMs: 20, retry: false });
    expect((await errorOf(once.kw.validateKey(LICENSE_KEY))).code).toBe('TIMEOUT');
    expect(once.calls).toHaveLength(1);
    const thrice = client(hang, { ...unsignedOk, timeoutMs: 20 });
    expect((await errorOf(thrice.kw.heartbeat({ key: LICENSE_KEY, fingerprint: 'fp' }))).code).toBe('TIMEOUT');
    expect(thrice.calls).toHaveLength(3);
  });

  it('deactivates with a 204 and no signature check', async () => {
    const { kw, posts } = client(() => new Response(null, { status: 204 }));
    await expect(kw.deactivate({ key: LICENSE_KEY, fingerprint: 'fp' })).resolves.toBeUndefined();
    expect(posts()[0]).toMatchObject({
      path: '/v1/machines/deactivate',
      body: { key: LICENSE_KEY, fingerprint: 'fp' },
    });
  });
});
