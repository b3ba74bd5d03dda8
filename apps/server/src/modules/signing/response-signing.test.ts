import { createHash, createPublicKey, verify } from 'node:crypto';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { activate, clientCall, createLicense, heartbeat, NO_RATE_LIMIT, validate } from '../client/test-fixtures.ts';
import { ACTIVE_KID_TTL_MS, SigningKeyStore } from './key-store.ts';
import { SigningService } from './signing.service.ts';

/**
 * The Keyward-Signature header checked the way a client would, from docs/license-files.md ("Signed responses") and
 * node:crypto only — nothing from the signing module. The message is rebuilt from the request we sent and the
 * response bytes we got.
 */

interface PublishedKey {
  kid: string;
  publicKey: string;
  jwk: { kty: string; crv: string; x: string; kid: string; use: string };
}

function parseHeader(header: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return fields;
}

interface Sent {
  method: string;
  path: string;
  nonce: string | number | undefined;
}

/** Verifies a response; returns the kid that signed it or throws saying why not. */
function verifyResponse(keys: PublishedKey[], sent: Sent, res: LightMyRequestResponse, body = res.rawPayload) {
  const header = res.headers['keyward-signature'];
  if (typeof header !== 'string') throw new Error('no Keyward-Signature header');
  const h = parseHeader(header);
  if (h.v !== '1' && h.v !== '2') throw new Error(`unknown version ${h.v}`);
  // A string (or no) nonce is signed with v=1 as is; an integer with v=2 as i:<decimal>.
  const v = typeof sent.nonce === 'number' ? '2' : '1';
  if (h.v !== v) throw new Error('bad signature');
  const key = keys.find((k) => k.kid === h.kid);
  if (!key) throw new Error(`unknown kid ${h.kid}`);
  const nonce = sent.nonce === undefined ? '' : typeof sent.nonce === 'number' ? `i:${sent.nonce}` : sent.nonce;
  const message = [
    `keyward-response/${v}`,
    `${sent.method.toUpperCase()} ${sent.path}`,
    h.ts,
    nonce,
    createHash('sha256').update(body).digest('hex'),
  ].join('\n');
  const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.jwk.x }, format: 'jwk' });
  if (!verify(null, Buffer.from(message, 'utf8'), publicKey, Buffer.from(h.sig!, 'base64url'))) {
    throw new Error('bad signature');
  }
  return { kid: h.kid!, ts: h.ts! };
}

describe(`signed responses (${dbKind})`, () => {
  let t: TestApp;
  let keys: PublishedKey[];
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    keys = (await t.request({ method: 'GET', url: '/v1/keys', token: null })).json().keys;
  });
  afterAll(async () => t.close());

  it('signs validate-key over method, path, ts, nonce and the exact body; a flipped byte or another nonce fails', async () => {
    const f = await createLicense(t);
    const sent = { method: 'POST', path: '/v1/licenses/validate-key', nonce: 'n-42 ünïcode' };
    const res = await validate(t, { key: f.key, nonce: sent.nonce });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ valid: true, meta: { nonce: sent.nonce } });
    const header = res.headers['keyward-signature'] as string;
    expect(header).toMatch(
      /^v=1; kid=[A-Za-z0-9_-]{16}; ts=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z; sig=[A-Za-z0-9_-]{86}$/,
    );
    const { kid, ts } = verifyResponse(keys, sent, res);
    expect(kid).toBe(keys.find((k) => (k as { active?: boolean }).active)?.kid);
    expect(ts).toBe(t.clock.now().toISOString());

    const flipped = Buffer.from(res.rawPayload);
    flipped[10] = flipped[10]! ^ 0x01;
    expect(() => verifyResponse(keys, sent, res, flipped)).toThrow('bad signature');
    expect(() => verifyResponse(keys, { ...sent, nonce: 'n-43 ünïcode' }, res)).toThrow('bad signature');
    expect(() => verifyResponse(keys, { ...sent, nonce: undefined }, res)).toThrow('bad signature');
    expect(() => verifyResponse(keys, { ...sent, path: '/v1/machines/activate' }, res)).toThrow('bad signature');
  });

  it('signs integer nonces as v=2 i:<decimal>, no nonce as an empty line, and ignores the query string', async () => {
    const f = await createLicense(t);
    const int = await validate(t, { key: f.key, nonce: 9_007_199_254_740_991 });
    expect(
      verifyResponse(keys, { method: 'POST', path: '/v1/licenses/validate-key', nonce: 9_007_199_254_740_991 }, int),
    ).toBeTruthy();
    expect(() =>
      verifyResponse(keys, { method: 'POST', path: '/v1/licenses/validate-key', nonce: '9007199254740991 ' }, int),
    ).toThrow('bad signature');
    const none = await validate(t, { key: f.key });
    expect(
      verifyResponse(keys, { method: 'POST', path: '/v1/licenses/validate-key', nonce: undefined }, none),
    ).toBeTruthy();
    expect(int.headers['keyward-signature']).toMatch(/^v=2; /);
    expect(none.headers['keyward-signature']).toMatch(/^v=1; /);
    const query = await clientCall(t, '/v1/licenses/validate-key?x=1', { key: f.key, nonce: 'q' });
    expect(verifyResponse(keys, { method: 'POST', path: '/v1/licenses/validate-key', nonce: 'q' }, query)).toBeTruthy();
    // Integers beyond 2^53 cannot be echoed exactly: refused rather than signed wrongly.
    const huge = await clientCall(t, '/v1/licenses/validate-key', { key: f.key, nonce: 2 ** 60 });
    expect(huge.statusCode).toBe(400);
  });

  it('signs activate (201 and 200) and heartbeat, with their nonces', async () => {
    const f = await createLicense(t, { plan: { heartbeat_interval_seconds: 600 } });
    const first = await activate(t, { key: f.key, fingerprint: 'fp-sig', nonce: 'a-1' });
    expect(first.statusCode).toBe(201);
    verifyResponse(keys, { method: 'POST', path: '/v1/machines/activate', nonce: 'a-1' }, first);
    const again = await activate(t, { key: f.key, fingerprint: 'fp-sig', nonce: 7 });
    expect(again.statusCode).toBe(200);
    verifyResponse(keys, { method: 'POST', path: '/v1/machines/activate', nonce: 7 }, again);
    expect(() => verifyResponse(keys, { method: 'POST', path: '/v1/machines/activate', nonce: 'a-1' }, again)).toThrow(
      'bad signature',
    );
    const beat = await heartbeat(t, { key: f.key, fingerprint: 'fp-sig', nonce: 'h-1' });
    expect(beat.statusCode).toBe(200);
    verifyResponse(keys, { method: 'POST', path: '/v1/machines/heartbeat', nonce: 'h-1' }, beat);
  });

  it('keeps nonce types apart: "42" and 42 get different signatures, and neither verifies as the other', async () => {
    const f = await createLicense(t);
    const path = '/v1/licenses/validate-key';
    const asString = await validate(t, { key: f.key, nonce: '42' });
    const asNumber = await validate(t, { key: f.key, nonce: 42 });
    expect(asString.json().meta.nonce).toBe('42');
    expect(asNumber.json().meta.nonce).toBe(42);
    expect(asString.headers['keyward-signature']).toMatch(/^v=1; /);
    expect(asNumber.headers['keyward-signature']).toMatch(/^v=2; /);
    verifyResponse(keys, { method: 'POST', path, nonce: '42' }, asString);
    verifyResponse(keys, { method: 'POST', path, nonce: 42 }, asNumber);
    // The string answer replayed to a request that sent 42 (and the other way round) fails.
    expect(() => verifyResponse(keys, { method: 'POST', path, nonce: 42 }, asString)).toThrow('bad signature');
    expect(() => verifyResponse(keys, { method: 'POST', path, nonce: '42' }, asNumber)).toThrow('bad signature');
    // Even with the version relabelled, the bytes differ.
    const relabelled = { ...asString, headers: { ...asString.headers } } as LightMyRequestResponse;
    relabelled.headers['keyward-signature'] = String(asString.headers['keyward-signature']).replace('v=1', 'v=2');
    expect(() => verifyResponse(keys, { method: 'POST', path, nonce: 42 }, relabelled)).toThrow('bad signature');
  });

  it('refuses an empty nonce, a lone surrogate or another JSON type on every signed route: 400 /body/nonce', async () => {
    const f = await createLicense(t);
    await activate(t, { key: f.key, fingerprint: 'fp-n' });
    const routes: [string, Record<string, unknown>][] = [
      ['/v1/licenses/validate-key', { key: f.key }],
      ['/v1/machines/activate', { key: f.key, fingerprint: 'fp-n' }],
      ['/v1/machines/heartbeat', { key: f.key, fingerprint: 'fp-n' }],
      ['/v1/licenses/check-out', { key: f.key }],
      ['/v1/client/usage', { key: f.key, property: 'api_calls' }],
      ['/v1/client/entitlements', { key: f.key }],
      ['/v1/client/flags', { key: f.key }],
    ];
    for (const [path, body] of routes) {
      // Not coerced into a string either (1.5 → "1.5", true → "true", ["abc"] → "abc" would sign as strings).
      for (const nonce of ['', '\ud800', 1.5, null, 'x'.repeat(129), true, ['abc'], 2 ** 60, {}]) {
        const res = await clientCall(t, path, { ...body, nonce });
        expect(res.statusCode, `${path} ${JSON.stringify(nonce)}`).toBe(400);
        expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain('/body/nonce');
        // Signed as a request without a nonce (never as the nonce it refused).
        verifyResponse(keys, { method: 'POST', path, nonce: undefined }, res);
      }
      const ok = await clientCall(t, path, { ...body, nonce: 'ünïcode 😀 ok' });
      expect(ok.statusCode, `${path} ${ok.body}`).toBeLessThan(500);
      verifyResponse(keys, { method: 'POST', path, nonce: 'ünïcode 😀 ok' }, ok);
    }
  });

  it('signs error answers of signed routes too, and leaves other routes unsigned', async () => {
    const missing = await activate(t, { key: 'NOPE-AAAAA-BBBBB-CCCCC-DDDDD', fingerprint: 'x', nonce: 'e-1' });
    expect(missing.statusCode).toBeGreaterThanOrEqual(400);
    verifyResponse(keys, { method: 'POST', path: '/v1/machines/activate', nonce: 'e-1' }, missing);
    const invalid = await activate(t, { key: 'x', nonce: 'e-2' });
    expect(invalid.statusCode).toBe(400);
    verifyResponse(keys, { method: 'POST', path: '/v1/machines/activate', nonce: 'e-2' }, invalid);
    const deactivate = await clientCall(t, '/v1/machines/deactivate', { key: 'x', fingerprint: 'y' });
    expect(deactivate.headers['keyward-signature']).toBeUndefined();
    const health = await t.request({ method: 'GET', url: '/v1/keys', token: null });
    expect(health.headers['keyward-signature']).toBeUndefined();
  });

  it('answers 500 SIGNING_KEY_UNREADABLE (unsigned, once) when another process rotated with a different secret', async () => {
    const f = await createLicense(t);
    const { db } = t.kw.database;
    const secret = 'another-process-secret-0123456789abcdefgh';
    const store = new SigningKeyStore({ db, clock: t.clock, secret });
    await new SigningService({ db, clock: t.clock, secret, store }).rotate(systemContext('elsewhere'));
    t.clock.advanceSeconds(ACTIVE_KID_TTL_MS / 1000);
    const res = await validate(t, { key: f.key, nonce: 'n' });
    expect(res.statusCode).toBe(500);
    expect(res.json().error).toMatchObject({ code: 'SIGNING_KEY_UNREADABLE' });
    expect(res.headers['keyward-signature']).toBeUndefined();
  });
});
