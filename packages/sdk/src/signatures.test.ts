import { describe, expect, it } from 'vitest';
import { keysJson, makeKey, signedKey, signResponse } from '../test/spec-fixtures.ts';
import { ClockGuard } from './clock-guard.ts';
import { parseSignatureHeader, signedNonce, verifyResponseSignature } from './response-signature.ts';
import { isSignedKey, verifySignedKey } from './signed-key.ts';

const key = makeKey();
const other = makeKey();
const publicKeys = keysJson(key);
const data = {
  lid: '5b0f6d1e-8a57-4b43-9c11-2f4c4d0b7a10',
  prd: 'ACME',
  iat: '2026-11-22T10:00:00.000Z',
  exp: '2027-11-22T00:00:00.000Z',
  seats: 5,
};
const now = new Date('2026-12-01T00:00:00.000Z');

describe('verifySignedKey', () => {
  it('verifies a signed key and returns its data', async () => {
    const k = signedKey(key, data);
    expect(isSignedKey(k)).toBe(true);
    expect(isSignedKey('ACME-7K3QX2-9D0VNM-TQ4H8P-2WZC6R-JB5E1Y')).toBe(false);
    expect(await verifySignedKey(k, { publicKeys, now })).toEqual({ valid: true, kid: key.kid, data });
    expect(
      await verifySignedKey(signedKey(key, { ...data, exp: null, seats: null }), { publicKeys, now }),
    ).toMatchObject({
      valid: true,
    });
  });

  it('rejects a tampered key, another signer, an unknown kid and garbage', async () => {
    const [v, kid, , sig] = signedKey(key, data).split('.');
    const more = Buffer.from(JSON.stringify({ ...data, seats: 500 })).toString('base64url');
    expect(await verifySignedKey(`${v}.${kid}.${more}.${sig}`, { publicKeys, now })).toMatchObject({
      valid: false,
      reason: 'BAD_SIGNATURE',
    });
    const forged = signedKey(other, data).replace(other.kid, key.kid);
    expect(await verifySignedKey(forged, { publicKeys, now })).toMatchObject({ reason: 'BAD_SIGNATURE' });
    expect(await verifySignedKey(signedKey(other, data), { publicKeys, now })).toMatchObject({ reason: 'UNKNOWN_KID' });
    expect(await verifySignedKey('KW1.a.b', { publicKeys, now })).toMatchObject({ reason: 'MALFORMED' });
    expect(await verifySignedKey(`KW2.${kid}.x.y`, { publicKeys, now })).toMatchObject({
      reason: 'UNSUPPORTED_VERSION',
    });
    const bad = signedKey(key, { lid: 1 });
    expect(await verifySignedKey(bad, { publicKeys, now })).toMatchObject({ reason: 'MALFORMED' });
  });

  it('answers LICENSE_EXPIRED past exp, with the data', async () => {
    const r = await verifySignedKey(signedKey(key, data), { publicKeys, now: new Date('2027-11-22T00:00:00.000Z') });
    expect(r).toEqual({ valid: false, reason: 'LICENSE_EXPIRED', detail: expect.any(String), data });
  });
});

describe('verifyResponseSignature', () => {
  const body = '{"valid":true,"code":"VALID","meta":{"nonce":"c0ffee"}}';
  const ts = '2026-12-01T00:00:00.000Z';
  const path = '/v1/licenses/validate-key';
  const header = signResponse(key, { method: 'POST', path, ts, nonce: 'c0ffee', body });
  const check = (o: Partial<Parameters<typeof verifyResponseSignature>[0]> = {}) =>
    verifyResponseSignature({ publicKeys, header, method: 'post', path, nonce: 'c0ffee', body, now, ...o });

  it('verifies a signed response (body as string or bytes; integer nonces in decimal)', async () => {
    expect(await check()).toEqual({ valid: true, kid: key.kid, ts });
    expect(await check({ body: new TextEncoder().encode(body) })).toMatchObject({ valid: true });
    const h = signResponse(key, { method: 'POST', path, ts, nonce: 42, body });
    expect(await check({ header: h, nonce: 42 })).toMatchObject({ valid: true });
    const none = signResponse(key, { method: 'POST', path, ts, body });
    expect(await check({ header: none, nonce: undefined })).toMatchObject({ valid: true });
  });

  it('fails a replay (another nonce), a changed body, path or method', async () => {
    expect(await check({ nonce: 'other' })).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(await check({ nonce: undefined })).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(await check({ body: body.replace('true', 'fals') })).toMatchObject({ reason: 'BAD_SIGNATURE' });
    expect(await check({ path: '/v1/machines/activate' })).toMatchObject({ reason: 'BAD_SIGNATURE' });
    expect(await check({ method: 'GET' })).toMatchObject({ reason: 'BAD_SIGNATURE' });
  });

  it('keeps a string nonce and an integer nonce apart: "42" and 42 never verify each other\'s answer', async () => {
    const asString = signResponse(key, { method: 'POST', path, ts, nonce: '42', body });
    const asNumber = signResponse(key, { method: 'POST', path, ts, nonce: 42, body });
    expect(asString.startsWith('v=1;')).toBe(true);
    expect(asNumber.startsWith('v=2;')).toBe(true);
    expect(await check({ header: asString, nonce: '42' })).toMatchObject({ valid: true });
    expect(await check({ header: asNumber, nonce: 42 })).toMatchObject({ valid: true });
    expect(await check({ header: asString, nonce: 42 })).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(await check({ header: asNumber, nonce: '42' })).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    // A v=1 signature relabelled v=2 (or back) does not verify either: the version is the first signed line.
    const relabelled = asString.replace('v=1', 'v=2');
    expect(await check({ header: relabelled, nonce: 42 })).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(signedNonce(42)).toEqual({ v: '2', line: 'i:42' });
    expect(signedNonce('42')).toEqual({ v: '1', line: '42' });
    expect(signedNonce(undefined)).toEqual({ v: '1', line: '' });
  });

  it('refuses an empty nonce or a fraction as a nonce (a TypeError: no server accepts them)', async () => {
    await expect(check({ nonce: '' })).rejects.toThrow(TypeError);
    await expect(check({ nonce: 1.5 })).rejects.toThrow(TypeError);
  });

  it('fails a stale or future ts, a missing or malformed header, an unknown kid', async () => {
    expect(await check({ now: new Date('2026-12-01T00:05:01.000Z') })).toMatchObject({ reason: 'STALE' });
    expect(await check({ now: new Date('2026-11-30T23:54:59.000Z') })).toMatchObject({ reason: 'STALE' });
    expect(await check({ now: new Date('2026-12-01T00:04:59.000Z') })).toMatchObject({ valid: true });
    expect(await check({ header: null })).toMatchObject({ reason: 'MISSING' });
    expect(await check({ header: 'v=1; kid=x' })).toMatchObject({ reason: 'MALFORMED' });
    expect(await check({ header: header.replace('v=1', 'v=3') })).toMatchObject({ reason: 'UNSUPPORTED_VERSION' });
    expect(await check({ header: header.replace('v=1', 'v=2') })).toMatchObject({ reason: 'BAD_SIGNATURE' });
    expect(await check({ publicKeys: keysJson(other) })).toMatchObject({ reason: 'UNKNOWN_KID' });
    expect(parseSignatureHeader(header)).toMatchObject({ v: '1', kid: key.kid, ts });
  });
});

describe('ClockGuard', () => {
  it('keeps the latest time seen and flags a clock behind it beyond the tolerance', () => {
    const guard = new ClockGuard({ toleranceSeconds: 60 });
    expect(guard.check(now)).toEqual({ ok: true, lastSeen: null });
    expect(guard.serialize()).toBe('');
    guard.observe(now);
    guard.observe(new Date('2026-11-01T00:00:00.000Z')); // earlier: ignored (monotonic maximum)
    guard.observe('garbage');
    expect(guard.lastSeen).toEqual(now);
    expect(guard.check(new Date(now.getTime() - 59_000)).ok).toBe(true);
    expect(guard.check(new Date(now.getTime() - 120_000))).toEqual({ ok: false, lastSeen: now, behindBySeconds: 120 });
    expect(ClockGuard.restore(guard.serialize()).lastSeen).toEqual(now);
    expect(ClockGuard.restore(null).lastSeen).toBeNull();
  });
});
