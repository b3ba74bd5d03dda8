import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { KeywardClient, KeywardError, verifyLicenseFile, verifyResponseSignature } from '@keyward/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../src/cli/io.ts';
import { run } from '../src/cli/main.ts';
import { createLicense, type Fixture, NO_RATE_LIMIT } from '../src/modules/client/test-fixtures.ts';
import { ManualClock } from '../src/platform/clock.ts';
import { startTestApp, type TestApp } from './harness.ts';

// The SDK against the real app over HTTP: signed responses, machines, check-out and offline verification, the CLI.
let t: TestApp;
let baseUrl: string;
let lic: Fixture;
const FP = 'sdk-test-host-1';

beforeAll(async () => {
  t = await startTestApp({ clock: new ManualClock(new Date()), configOverrides: NO_RATE_LIMIT });
  await t.kw.app.listen({ port: 0, host: '127.0.0.1' });
  baseUrl = `http://127.0.0.1:${(t.kw.app.server.address() as AddressInfo).port}`;
  lic = await createLicense(t, { plan: { heartbeat_interval_seconds: 600 } });
});
afterAll(() => t.close());

/** A client on the server's (manual) clock, which checks every signature. */
const sdk = (options: Partial<ConstructorParameters<typeof KeywardClient>[0]> = {}) =>
  new KeywardClient({ baseUrl, now: () => t.clock.now().getTime(), ...options });

describe('SDK against the real server', () => {
  it('validates with signature verification, activates, heartbeats, checks out, verifies offline, deactivates', async () => {
    const kw = sdk();
    const valid = await kw.validateKey(lic.key, { product: lic.product.code });
    expect(valid).toMatchObject({ valid: true, code: 'VALID' });

    const activation = await kw.activate({ key: lic.key, fingerprint: FP, hostname: 'build-01' });
    expect(activation.machine).toMatchObject({ fingerprint: FP });
    const beat = await kw.heartbeat({ key: lic.key, fingerprint: FP });
    expect(Date.parse(beat.nextHeartbeatDueAt ?? '')).toBeGreaterThan(t.clock.now().getTime());
    expect(await kw.validateKey(lic.key, { fingerprint: FP })).toMatchObject({ valid: true });

    const out = await kw.checkOut({ key: lic.key, fingerprint: FP, encrypt: true, ttlSeconds: 7 * 86400 });
    expect(out.verification).toMatchObject({ valid: true, encrypted: true, payload: { machine: { fingerprint: FP } } });
    const keys = await kw.getPublicKeys();
    const now = t.clock.now();
    const offline = await verifyLicenseFile(out.certificate, {
      publicKeys: keys,
      licenseKey: lic.key,
      fingerprint: FP,
      now,
    });
    expect(offline).toMatchObject({ valid: true, kid: out.kid, payload: { license: { key: lic.key } } });
    const elsewhere = await verifyLicenseFile(out.certificate, {
      publicKeys: keys,
      licenseKey: lic.key,
      fingerprint: 'x',
      now,
    });
    expect(elsewhere).toMatchObject({ valid: false, reason: 'DECRYPTION_FAILED' });
    const later = new Date(now.getTime() + 8 * 86400_000);
    expect(
      await verifyLicenseFile(out.certificate, { publicKeys: keys, licenseKey: lic.key, fingerprint: FP, now: later }),
    ).toMatchObject({
      valid: false,
      reason: 'FILE_EXPIRED',
    });

    await kw.deactivate({ key: lic.key, fingerprint: FP });
    expect(await kw.validateKey(lic.key, { fingerprint: FP })).toMatchObject({ valid: false, code: 'NO_MACHINE' });
  });

  it('signs the exact bytes: a raw response verifies with the SDK, a changed one does not', async () => {
    const keys = await sdk().getPublicKeys();
    const body = JSON.stringify({ key: lic.key, nonce: 12345 });
    const res = await fetch(`${baseUrl}/v1/licenses/validate-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const bytes = new Uint8Array(await res.arrayBuffer());
    const check = (nonce: number, b: Uint8Array) =>
      verifyResponseSignature({
        publicKeys: keys,
        header: res.headers.get('keyward-signature'),
        method: 'POST',
        path: '/v1/licenses/validate-key',
        nonce,
        body: b,
        now: t.clock.now(),
      });
    expect(await check(12345, bytes)).toMatchObject({ valid: true });
    expect(await check(12346, bytes)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    const changed = new TextEncoder().encode(new TextDecoder().decode(bytes).replace('"valid":true', '"valid":fals'));
    expect(await check(12345, changed)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('throws SIGNATURE_INVALID for a tampered body or a foreign pinned key', async () => {
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const text = (await res.text()).replace('"valid":false', '"valid":true ');
      return new Response(text, { status: res.status, headers: res.headers });
    };
    const err = await sdk({ fetch: tampering })
      .validateKey('ACME-000000-000000-000000-000000-000000')
      .catch((e) => e);
    expect(err).toBeInstanceOf(KeywardError);
    expect(err.code).toBe('SIGNATURE_INVALID');
    const foreign = [{ publicKey: Buffer.alloc(32, 7).toString('base64') }];
    expect(
      (
        await sdk({ publicKeys: foreign })
          .validateKey(lic.key)
          .catch((e) => e)
      ).code,
    ).toBe('SIGNATURE_INVALID');
  });

  it('refusals are KeywardErrors without retries; a heartbeat loop runs and stops', async () => {
    const err = await sdk()
      .heartbeat({ key: lic.key, fingerprint: 'never-activated' })
      .catch((e) => e);
    expect([err.status, err.code, err.retryable]).toEqual([404, 'MACHINE_NOT_FOUND', false]);

    const kw = sdk();
    await kw.activate({ key: lic.key, fingerprint: 'loop-host' });
    const beat = await new Promise((resolve, reject) => {
      const loop = kw.startHeartbeatLoop({
        key: lic.key,
        fingerprint: 'loop-host',
        onBeat: (r) => {
          loop.stop();
          resolve(r);
        },
        onError: reject,
      });
    });
    expect(beat).toMatchObject({ machine: { fingerprint: 'loop-host' } });
  });

  it('follows a key rotation: an unknown kid fetches /v1/keys again', async () => {
    const kw = sdk();
    await kw.validateKey(lic.key);
    const before = (await kw.getPublicKeys()).keys.length;
    const rotated = await t.request({ method: 'POST', url: '/v1/signing-keys/rotate' });
    expect(rotated.statusCode).toBe(201);
    t.clock.advanceSeconds(120);
    expect(await kw.validateKey(lic.key)).toMatchObject({ valid: true });
    expect((await kw.getPublicKeys()).keys.length).toBe(before + 1);
  });
});

describe('keyward verify', () => {
  const cli = async (args: string[]) => {
    const io = memoryIo();
    const code = await run(args, { io, env: { LOG_LEVEL: 'silent' } });
    return { code, stdout: io.stdout(), stderr: io.stderr() };
  };

  it('verifies a checked-out file with --server or --public-key; exit 1 with the reason otherwise', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'kw-verify-'));
    try {
      const kw = sdk();
      await kw.activate({ key: lic.key, fingerprint: FP });
      const out = await kw.checkOut({ key: lic.key, encrypt: true });
      const file = path.join(dir, 'license.lic');
      writeFileSync(file, out.certificate);
      const keysFile = path.join(dir, 'keys.json');
      writeFileSync(keysFile, JSON.stringify(await kw.getPublicKeys()));
      const at = t.clock.now().toISOString();

      const ok = await cli(['verify', file, '--server', baseUrl, '--license-key', lic.key, '--at', at]);
      expect([ok.code, ok.stdout]).toEqual([0, expect.stringContaining(`VALID`)]);
      expect(ok.stdout).toContain(lic.key);
      expect((await cli(['verify', file, '--public-key', keysFile, '--license-key', lic.key, '--at', at])).code).toBe(
        0,
      );

      const noKey = await cli(['verify', file, '--public-key', keysFile, '--at', at]);
      expect([noKey.code, noKey.stderr]).toEqual([1, expect.stringContaining('KEY_REQUIRED')]);
      const wrong = await cli(['verify', file, '--public-key', Buffer.alloc(32, 1).toString('base64')]);
      expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringContaining('UNKNOWN_KID')]);
      const json = await cli([
        'verify',
        file,
        '--public-key',
        keysFile,
        '--license-key',
        'ACME-1',
        '--json',
        '--at',
        at,
      ]);
      expect([json.code, JSON.parse(json.stdout).reason]).toEqual([1, 'DECRYPTION_FAILED']);
      expect((await cli(['verify', path.join(dir, 'missing.lic'), '--public-key', keysFile])).code).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
