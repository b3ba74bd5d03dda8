import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { IP_BUCKET_SHARDS } from '../../platform/http/rate-limit.ts';
import { luhnCheckSymbol } from '../licenses/license-key.ts';
import { activate, clientCall, createLicense, deactivate, heartbeat, validate } from './test-fixtures.ts';

describe(`client API rate limits (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: { rateLimit: { perIp: 6, perKey: 3, windowSeconds: 60 } } });
  });
  afterAll(async () => t.close());

  /** Moves the clock to the start of the next 60 s window plus `offset` seconds. */
  const nextWindow = (offset = 0) => {
    const ms = t.clock.now().getTime();
    t.clock.set(new Date(Math.floor(ms / 60_000) * 60_000 + 60_000 + offset * 1000));
  };

  it('limits per license key across IPs, with 429, RATE_LIMITED and Retry-After to the end of the window', async () => {
    const f = await createLicense(t);
    nextWindow(20);
    for (let i = 0; i < 3; i++) {
      expect((await validate(t, { key: f.key }, `198.51.100.${i}`)).statusCode).toBe(200);
    }
    // the same key in another spelling is the same bucket
    const limited = await validate(t, { key: f.key.toLowerCase() }, '198.51.100.99');
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('40');
    expect(limited.json().error).toMatchObject({ code: 'RATE_LIMITED' });
    expect(limited.json().error.message).toContain('license key');
    // every client endpoint shares the key's bucket
    expect((await activate(t, { key: f.key, fingerprint: 'x' }, '198.51.100.98')).statusCode).toBe(429);
    expect((await heartbeat(t, { key: f.key, fingerprint: 'x' }, '198.51.100.97')).statusCode).toBe(429);
    expect((await deactivate(t, { key: f.key, fingerprint: 'x' }, '198.51.100.96')).statusCode).toBe(429);

    t.clock.advanceSeconds(39);
    expect((await validate(t, { key: f.key }, '198.51.100.95')).headers['retry-after']).toBe('1');
    t.clock.advanceSeconds(1);
    expect((await validate(t, { key: f.key }, '198.51.100.95')).statusCode).toBe(200);
  });

  it('gives every spelling of one key one budget: case, spaces, I/L for 1, O for 0 (issue 10, finding 5)', async () => {
    // A key whose random part has a 0 and a 1, so that each has look-alikes (O; I and L).
    const f = await createLicense(t);
    const random = `01${f.key
      .slice(f.key.indexOf('-') + 1)
      .replace(/-/g, '')
      .slice(2, 29)}`;
    const key = `${f.product.code}-${(random + luhnCheckSymbol(random)).match(/.{6}/g)!.join('-')}`;
    await t.kw.database.db.updateTable('licenses').set({ key }).where('id', '=', f.licenseId).execute();
    const [code, body] = [f.product.code, key.slice(f.product.code.length)];
    const spellings = [
      key.toLowerCase(),
      code + body.replace(/0/g, 'O'),
      code + body.replace(/0/g, 'o').replace(/1/g, 'I'),
      code + body.replace(/1/g, 'l'),
      code + body.replace(/1/g, 'L').toLowerCase(),
      `  ${key.replace(/-/g, ' - ')}\t`,
      key.replace(/-(\w{3})/g, '-$1 '),
    ];
    let ip = 0;
    const from = () => `198.51.100.${100 + (ip++ % 100)}`;

    // The budget spent with the key as issued: every look-alike spelling is over it, on every client endpoint.
    nextWindow();
    for (let i = 0; i < 3; i++) expect((await validate(t, { key }, from())).json().code).toBe('VALID');
    for (const spelling of spellings) {
      expect((await validate(t, { key: spelling }, from())).statusCode, spelling).toBe(429);
      const activation = await activate(t, { key: spelling, fingerprint: 'm' }, from());
      expect(activation.statusCode, spelling).toBe(429);
      const usage = await clientCall(t, '/v1/client/usage', { key: spelling, property: 'x' }, from());
      expect(usage.statusCode, spelling).toBe(429);
    }

    // The budget spent with look-alikes, each of which finds the license: the key as issued is over it.
    nextWindow();
    for (const spelling of spellings.slice(0, 3)) {
      expect((await validate(t, { key: spelling }, from())).json().code, spelling).toBe('VALID');
    }
    expect((await validate(t, { key }, from())).statusCode).toBe(429);
    expect((await validate(t, { key: spellings[5] }, from())).statusCode).toBe(429);

    // A mistyped key (wrong check symbol) is a key of its own: its spellings share its budget.
    nextWindow();
    const typo = key.slice(0, -1) + (key.endsWith('0') ? '1' : '0');
    for (let i = 0; i < 3; i++) expect((await validate(t, { key: typo }, from())).json().code).toBe('MALFORMED_KEY');
    expect((await validate(t, { key: typo.toLowerCase().replace(/0/g, 'o') }, from())).statusCode).toBe(429);
    expect((await validate(t, { key }, from())).json().code).toBe('VALID');
  });

  it('counts a key sent as a one-item array or a number (what validation coerces) in the same budget', async () => {
    const f = await createLicense(t);
    const numeric = '12345678';
    await t.kw.database.db.updateTable('licenses').set({ key: numeric }).where('id', '=', f.licenseId).execute();
    nextWindow();
    for (let i = 0; i < 3; i++)
      expect((await validate(t, { key: numeric }, `198.51.100.${i}`)).json().code).toBe('VALID');
    for (const key of [[numeric], 12345678, [12345678], [` ${numeric} `]]) {
      const res = await validate(t, { key }, '198.51.100.50');
      expect({ key, status: res.statusCode }).toEqual({ key, status: 429 });
      const activation = await activate(t, { key, fingerprint: 'm' }, '198.51.100.51');
      expect({ key, status: activation.statusCode }).toEqual({ key, status: 429 });
    }
  });

  it('keeps imported keys exact: another case is another key with its own budget', async () => {
    const f = await createLicense(t);
    const imported = 'Legacy-Key-0001-abc';
    await t.kw.database.db.updateTable('licenses').set({ key: imported }).where('id', '=', f.licenseId).execute();
    nextWindow();
    for (let i = 0; i < 3; i++) {
      expect((await validate(t, { key: ` ${imported} ` }, `198.51.100.${i}`)).json().code).toBe('VALID');
    }
    expect((await validate(t, { key: imported }, '198.51.100.9')).statusCode).toBe(429);
    const other = await validate(t, { key: imported.toUpperCase() }, '198.51.100.8');
    expect(other.statusCode).toBe(200);
    expect(other.json().code).toBe('NOT_FOUND');
  });

  it('limits per client IP across keys, counting invalid requests too', async () => {
    nextWindow();
    const keys = await Promise.all([1, 2, 3].map(() => createLicense(t).then((f) => f.key)));
    const ip = '192.0.2.10';
    expect((await validate(t, { key: keys[0] }, ip)).statusCode).toBe(200);
    expect((await activate(t, { key: keys[1], fingerprint: 'f' }, ip)).statusCode).toBe(201);
    expect((await heartbeat(t, { key: keys[1], fingerprint: 'f' }, ip)).statusCode).toBe(200);
    expect((await validate(t, { nonsense: true }, ip)).statusCode).toBe(400);
    expect((await validate(t, { key: 'unknown' }, ip)).json().code).toBe('NOT_FOUND');
    expect((await deactivate(t, { key: keys[1], fingerprint: 'f' }, ip)).statusCode).toBe(204);
    const limited = await validate(t, { key: keys[2] }, ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBe('60');
    expect(limited.json().error.message).toContain('IP address');
    expect((await validate(t, { key: keys[2] }, '192.0.2.11')).statusCode).toBe(200);
  });

  it('a sharded per-IP bucket overshoots by at most shards − 1 under concurrency (ADR 0006)', async () => {
    nextWindow();
    const keys = await Promise.all(Array.from({ length: 14 }, () => createLicense(t).then((f) => f.key)));
    const ip = '192.0.2.77';
    // 40 concurrent requests (at most 3 per key) against a per-IP limit of 6: all counted, at most 6 + 7 pass.
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => validate(t, { key: keys[i % 14] }, ip).then((r) => r.statusCode)),
    );
    const passed = answers.filter((s) => s === 200).length;
    expect(passed).toBeGreaterThanOrEqual(1);
    expect(passed).toBeLessThanOrEqual(6 + IP_BUCKET_SHARDS - 1);
    expect(answers.filter((s) => s !== 200).every((s) => s === 429)).toBe(true);
    const { db } = t.kw.database;
    const rows = await db
      .selectFrom('rate_limit_counters')
      .select(['bucket', 'hits'])
      .where('bucket', 'like', `ip:${ip}#%`)
      .execute();
    expect(rows.reduce((n, r) => n + Number(r.hits), 0)).toBe(40);
    // Sequential requests see every committed hit: exact again.
    expect((await validate(t, { key: keys[0] }, ip)).statusCode).toBe(429);
  });

  it('does not limit the admin API', async () => {
    for (let i = 0; i < 8; i++) {
      expect((await t.request({ method: 'GET', url: '/v1/machines' })).statusCode).toBe(200);
    }
  });

  it('stores counters in PostgreSQL and deletes finished windows now and then', async () => {
    const { db } = t.kw.database;
    const before = await db.selectFrom('rate_limit_counters').select(['bucket', 'window_start']).execute();
    expect(before.length).toBeGreaterThan(0);
    t.clock.advanceSeconds(3600);
    await validate(t, { key: 'cleanup-trigger' }, '192.0.2.200');
    await vi.waitFor(async () => {
      const rows = await db.selectFrom('rate_limit_counters').select(['bucket', 'hits']).execute();
      expect(rows.map((r) => r.bucket)).toEqual(
        // the per-IP bucket is sharded by database connection (ADR 0006): one of its shard rows
        expect.arrayContaining([
          expect.stringMatching(/^ip:192\.0\.2\.200#[0-7]$/),
          expect.stringMatching(/^key:[\w-]{32}$/),
        ]),
      );
      expect(rows).toHaveLength(2);
    });
  });
});
