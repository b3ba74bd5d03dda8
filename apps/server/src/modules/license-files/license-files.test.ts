import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { verifyLicenseFile } from '../../../test/support/spec-verifier.ts';
import { DAY_MS } from '../../platform/clock.ts';
import { activate, createLicense, createToken, NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { adminCheckOut, certificateOf, clientCheckOut, publishedKeys } from './test-fixtures.ts';

describe(`license files: check-out (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const open = async (certificate: string, opts: { licenseKey?: string; fingerprint?: string } = {}) =>
    verifyLicenseFile(certificate, await publishedKeys(t), { now: t.clock.now(), ...opts });

  it('admin: a signed file with the computed license facts, the default TTL, audited without the file', async () => {
    const f = await createLicense(t, { plan: { grace_days: 14, entitlements: ['sso'] } });
    const res = await adminCheckOut(t, f.licenseId);
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    const now = t.clock.now();
    expect(body).toEqual({
      certificate: expect.stringMatching(/^-----BEGIN KEYWARD LICENSE-----\n[\s\S]+\n-----END KEYWARD LICENSE-----\n$/),
      alg: 'ed25519',
      kid: expect.any(String),
      bind: 'license',
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 2_592_000_000).toISOString(),
      ttlSeconds: 2_592_000,
    });
    for (const row of body.certificate.split('\n').slice(1, -2)) expect(row.length).toBeLessThanOrEqual(64);
    const payload = await open(body.certificate);
    const endsAt = new Date(now.getTime() + 30 * DAY_MS);
    expect(payload).toMatchObject({
      format: 'keyward-license/1',
      meta: { issuedAt: body.issuedAt, expiresAt: body.expiresAt, ttlSeconds: 2_592_000 },
      license: {
        id: f.licenseId,
        key: f.key,
        status: 'expiring',
        endsAt: endsAt.toISOString(),
        graceEndsAt: new Date(endsAt.getTime() + 14 * DAY_MS).toISOString(),
        maxMachines: 3,
        entitlements: ['sso'],
      },
      product: { id: f.product.id, code: f.product.code },
      plan: { id: f.planId, expirationStrategy: 'restrict', graceDays: 14, floating: true },
      account: { id: f.accountId },
      machine: null,
    });
    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'after'])
      .where('license_id', '=', f.licenseId)
      .execute();
    expect(audit).toEqual([
      {
        action: 'license.checked_out',
        actor_type: 'token:admin',
        after: expect.objectContaining({
          alg: 'ed25519',
          kid: body.kid,
          bind: 'license',
          ttlSeconds: 2_592_000,
          machine: null,
        }),
      },
    ]);
    expect(JSON.stringify(audit)).not.toContain('BEGIN KEYWARD');
  });

  it('TTL: 3600 to 315360000 seconds; anything else is a 400 with the field', async () => {
    const f = await createLicense(t);
    for (const ttlSeconds of [3_600, 315_360_000]) {
      const res = await adminCheckOut(t, f.licenseId, { ttlSeconds });
      expect(res.json().ttlSeconds).toBe(ttlSeconds);
    }
    for (const ttlSeconds of [3_599, 315_360_001, 0, -1, 86_400.5, 'soon', null]) {
      const res = await adminCheckOut(t, f.licenseId, { ttlSeconds });
      expect(res.statusCode, String(ttlSeconds)).toBe(400);
      expect(res.json().error.details[0].field).toBe('/body/ttlSeconds');
    }
    const extra = await adminCheckOut(t, f.licenseId, { ttl: 3600 });
    expect(extra.statusCode).toBe(400);
    const noBody = await t.request({ method: 'POST', url: `/v1/licenses/${f.licenseId}/actions/check-out` });
    expect(noBody.statusCode, noBody.body).toBe(200);
    expect(noBody.json().ttlSeconds).toBe(2_592_000);
  });

  it('fingerprint: an activated machine makes a machine-bound file; any other is 422 MACHINE_NOT_FOUND', async () => {
    const f = await createLicense(t);
    expect((await activate(t, { key: f.key, fingerprint: 'fp-a' })).statusCode).toBe(201);
    const bound = await adminCheckOut(t, f.licenseId, { fingerprint: 'fp-a', encrypt: true });
    expect(bound.json().alg).toBe('aes-256-gcm+ed25519');
    const payload = await open(certificateOf(bound), { licenseKey: f.key, fingerprint: 'fp-a' });
    expect(payload.machine).toEqual({ id: expect.any(String), fingerprint: 'fp-a' });
    const missing = await adminCheckOut(t, f.licenseId, { fingerprint: 'fp-unknown' });
    expect(missing.statusCode).toBe(422);
    expect(missing.json().error).toMatchObject({
      code: 'MACHINE_NOT_FOUND',
      details: [{ field: '/body/fingerprint' }],
    });
  });

  it('a machine that missed its heartbeat is not found; a plan requiring fingerprints needs one', async () => {
    const hb = await createLicense(t, { plan: { heartbeat_interval_seconds: 600 } });
    await activate(t, { key: hb.key, fingerprint: 'fp-hb' });
    expect((await adminCheckOut(t, hb.licenseId, { fingerprint: 'fp-hb' })).statusCode).toBe(200);
    t.clock.advanceSeconds(601);
    expect((await adminCheckOut(t, hb.licenseId, { fingerprint: 'fp-hb' })).json().error.code).toBe(
      'MACHINE_NOT_FOUND',
    );
    const strict = await createLicense(t, { plan: { require_fingerprint: true } });
    const res = await adminCheckOut(t, strict.licenseId);
    expect(res.statusCode).toBe(422);
    expect(res.json().error.code).toBe('FINGERPRINT_REQUIRED');
  });

  it('tokens: 404 for unknown licenses and for product tokens of another product; read-only cannot', async () => {
    const f = await createLicense(t);
    const other = await createLicense(t);
    expect((await adminCheckOut(t, '00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await adminCheckOut(t, 'not-a-uuid')).statusCode).toBe(400);
    const productToken = await createToken(t, 'product', f.product.id);
    expect((await adminCheckOut(t, f.licenseId, {}, productToken)).statusCode).toBe(200);
    const foreign = await adminCheckOut(t, other.licenseId, {}, productToken);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().error.code).toBe('LICENSE_NOT_FOUND');
    expect((await adminCheckOut(t, f.licenseId, {}, await createToken(t, 'read-only'))).statusCode).toBe(403);
    expect((await adminCheckOut(t, f.licenseId, {}, 'kw_wrong')).statusCode).toBe(401);
  });

  it('client: the license key is the credential; the response is signed; the check-out is audited', async () => {
    const f = await createLicense(t);
    const res = await clientCheckOut(t, { key: f.key.toLowerCase(), ttlSeconds: 86_400, nonce: 'n-1' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['keyward-signature']).toMatch(/^v=1; kid=[\w-]{16}; ts=\S+; sig=[\w-]+$/);
    expect(res.json()).toMatchObject({ alg: 'ed25519', ttlSeconds: 86_400 });
    expect((await open(res.json().certificate)).license.key).toBe(f.key);
    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'actor_id'])
      .where('license_id', '=', f.licenseId)
      .execute();
    expect(audit).toEqual([{ action: 'license.checked_out', actor_type: 'license', actor_id: f.licenseId }]);
  });

  it('client: refused like an activation (403 codes), bad keys and unknown machines answered cleanly', async () => {
    const now = t.clock.now().getTime();
    const ended = (days: number) => ({
      starts_at: new Date(now - 30 * DAY_MS),
      ends_at: new Date(now - days * DAY_MS),
    });
    const cases: [Parameters<typeof createLicense>[1], string][] = [
      [{ license: { revoked: true } }, 'LICENSE_REVOKED'],
      [{ license: { suspended: true } }, 'LICENSE_SUSPENDED'],
      [{ license: { starts_at: new Date(now + DAY_MS) } }, 'LICENSE_NOT_YET_VALID'],
      [{ license: ended(2) }, 'LICENSE_EXPIRED'],
      [{ plan: { expiration_strategy: 'revoke' }, license: ended(1) }, 'LICENSE_EXPIRED'],
    ];
    for (const [opts, code] of cases) {
      const f = await createLicense(t, opts);
      const res = await clientCheckOut(t, { key: f.key });
      expect(res.statusCode, code).toBe(403);
      expect(res.json().error.code).toBe(code);
      expect(res.headers['keyward-signature']).toBeDefined();
    }
    const allowed: Parameters<typeof createLicense>[1][] = [
      { plan: { grace_days: 7 }, license: ended(1) },
      { plan: { expiration_strategy: 'maintain' }, license: ended(1) },
      { plan: { expiration_strategy: 'allow' }, license: ended(1) },
    ];
    for (const opts of allowed) {
      const f = await createLicense(t, opts);
      const res = await clientCheckOut(t, { key: f.key });
      expect(res.statusCode, res.body).toBe(200);
      expect(['in_grace', 'expired']).toContain((await open(res.json().certificate)).license.status);
    }
    const f = await createLicense(t);
    const typo = `${f.key.slice(0, -1)}${f.key.endsWith('0') ? '1' : '0'}`;
    expect((await clientCheckOut(t, { key: typo })).json().error.code).toBe('MALFORMED_KEY');
    expect((await clientCheckOut(t, { key: 'NOPE-123' })).json().error.code).toBe('LICENSE_NOT_FOUND');
    expect((await clientCheckOut(t, { key: f.key, fingerprint: 'fp-x' })).json().error.code).toBe('MACHINE_NOT_FOUND');
    for (const bad of [{}, { key: '' }, { key: f.key, encrypt: 'yes' }, { key: f.key, nonce: { a: 1 } }, [f.key]]) {
      expect((await clientCheckOut(t, bad)).statusCode).toBe(400);
    }
  });

  it('client: rate limited per key and per IP like the rest of the client API', async () => {
    const limited = await startTestApp({
      configOverrides: { rateLimit: { perIp: 100, perKey: 2, windowSeconds: 60 } },
    });
    try {
      const f = await createLicense(limited);
      for (let i = 0; i < 2; i++) expect((await clientCheckOut(limited, { key: f.key })).statusCode).toBe(200);
      const res = await clientCheckOut(limited, { key: f.key });
      expect(res.statusCode).toBe(429);
      expect(res.headers['retry-after']).toBeDefined();
    } finally {
      await limited.close();
    }
  });
});
