import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { Rejected, verifyLicenseFile } from '../../../test/support/spec-verifier.ts';
import { activate, createLicense, NO_RATE_LIMIT } from '../client/test-fixtures.ts';
import { adminCheckOut, certificateOf, clientCheckOut, publishedKeys } from './test-fixtures.ts';

/*
 * The plan's offline limits (docs/license-files.md, "Limits"): how long a file checked out by key may last, how many
 * fingerprint-less files a key holder may hold, and how files of imported keys are encrypted.
 */

const DAY = 86_400;

describe(`license files: the plan's offline limits (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const auditOf = async (licenseId: string) =>
    t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'after'])
      .where('license_id', '=', licenseId)
      .orderBy('id')
      .execute();

  it('plans carry maxOfflineSeconds (30 days), maxUnboundFiles (null) and requireNonce (false); bad values are 400', async () => {
    const f = await createLicense(t);
    const create = (extra: Record<string, unknown>) =>
      t.request({
        method: 'POST',
        url: '/v1/plans',
        payload: { productId: f.product.id, name: `P ${Math.random()}`, licenseType: 'subscription', ...extra },
      });
    const plain = await create({});
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json()).toMatchObject({ maxOfflineSeconds: 2_592_000, maxUnboundFiles: null, requireNonce: false });
    const set = await create({ maxOfflineSeconds: 7 * DAY, maxUnboundFiles: 0, requireNonce: true });
    expect(set.json()).toMatchObject({ maxOfflineSeconds: 7 * DAY, maxUnboundFiles: 0, requireNonce: true });
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${set.json().id}`,
      payload: { maxOfflineSeconds: 3_600, maxUnboundFiles: null, requireNonce: false },
    });
    expect(patched.json()).toMatchObject({ maxOfflineSeconds: 3_600, maxUnboundFiles: null, requireNonce: false });
    for (const [field, value] of [
      ['maxOfflineSeconds', 3_599],
      ['maxOfflineSeconds', 315_360_001],
      ['maxOfflineSeconds', null],
      ['maxUnboundFiles', -1],
      ['maxUnboundFiles', 1.5],
      ['requireNonce', 'sometimes'],
    ] as const) {
      const res = await create({ [field]: value });
      expect(res.statusCode, `${field} ${value}`).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(`/body/${field}`);
    }
  });

  it('by key: the TTL is capped by maxOfflineSeconds (default and explicit); 10 years is 422 OFFLINE_PERIOD_EXCEEDED', async () => {
    const f = await createLicense(t, { plan: { max_offline_seconds: 7 * DAY } });
    const byDefault = await clientCheckOut(t, { key: f.key });
    expect(byDefault.json()).toMatchObject({ ttlSeconds: 7 * DAY });
    expect((await clientCheckOut(t, { key: f.key, ttlSeconds: 7 * DAY })).statusCode).toBe(200);
    for (const ttlSeconds of [7 * DAY + 1, 315_360_000]) {
      const res = await clientCheckOut(t, { key: f.key, ttlSeconds });
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({
        code: 'OFFLINE_PERIOD_EXCEEDED',
        details: [{ field: '/body/ttlSeconds', message: expect.stringContaining(String(7 * DAY)) }],
      });
      expect(res.headers['keyward-signature']).toBeDefined();
    }
    // The default plan (30 days): the ten-year file of the review is refused too.
    const other = await createLicense(t);
    const tenYears = await clientCheckOut(t, { key: other.key, ttlSeconds: 315_360_000 });
    expect(tenYears.json().error.code).toBe('OFFLINE_PERIOD_EXCEEDED');
  });

  it('the admin API may check out longer files; the audit event says it went beyond the plan', async () => {
    const f = await createLicense(t, { plan: { max_offline_seconds: DAY } });
    const byDefault = await adminCheckOut(t, f.licenseId);
    expect(byDefault.json().ttlSeconds).toBe(DAY); // the default respects the plan
    const long = await adminCheckOut(t, f.licenseId, { ttlSeconds: 315_360_000 });
    expect(long.statusCode, long.body).toBe(200);
    const events = await auditOf(f.licenseId);
    expect(events.map((e) => [e.actor_type, e.after])).toEqual([
      ['token:admin', expect.not.objectContaining({ beyondPlanMaxOffline: expect.anything() })],
      [
        'token:admin',
        expect.objectContaining({ ttlSeconds: 315_360_000, beyondPlanMaxOffline: true, planMaxOfflineSeconds: DAY }),
      ],
    ]);
  });

  it('a suspension reaches a file checked out by key within maxOfflineSeconds: it expires and cannot be renewed', async () => {
    const f = await createLicense(t, { plan: { max_offline_seconds: 2 * DAY } });
    const file = certificateOf(await clientCheckOut(t, { key: f.key, ttlSeconds: 2 * DAY }));
    const suspended = await t.request({ method: 'POST', url: `/v1/licenses/${f.licenseId}/actions/suspend` });
    expect(suspended.statusCode, suspended.body).toBe(200);
    const keys = await publishedKeys(t);
    expect(verifyLicenseFile(file, keys, { now: t.clock.now() }).license.status).not.toBe('suspended');
    t.clock.advanceSeconds(2 * DAY);
    expect(() => verifyLicenseFile(file, keys, { now: t.clock.now() })).toThrow(new Rejected('FILE_EXPIRED'));
    expect((await clientCheckOut(t, { key: f.key })).json().error.code).toBe('LICENSE_SUSPENDED');
  });

  it('fingerprint-less files by key count against maxUnboundFiles until they expire; bound and admin files do not', async () => {
    const f = await createLicense(t, { plan: { max_unbound_files: 2, max_offline_seconds: DAY } });
    for (let i = 0; i < 2; i++)
      expect((await clientCheckOut(t, { key: f.key, ttlSeconds: 3_600 })).statusCode).toBe(200);
    const third = await clientCheckOut(t, { key: f.key, ttlSeconds: 3_600 });
    expect(third.statusCode).toBe(409);
    expect(third.json().error).toMatchObject({
      code: 'TOO_MANY_UNBOUND_FILES',
      message: expect.stringContaining('All 2 fingerprint-less license files'),
    });
    expect(third.headers['keyward-signature']).toBeDefined();
    // Machine-bound files (the machine holds a seat) and admin check-outs are not counted.
    expect((await activate(t, { key: f.key, fingerprint: 'fp-1' })).statusCode).toBe(201);
    expect((await clientCheckOut(t, { key: f.key, fingerprint: 'fp-1' })).statusCode).toBe(200);
    expect((await adminCheckOut(t, f.licenseId)).statusCode).toBe(200);
    // Once the files expire, their places are free again.
    t.clock.advanceSeconds(3_600);
    expect((await clientCheckOut(t, { key: f.key, ttlSeconds: 3_600 })).statusCode).toBe(200);
    const rows = await t.kw.database.db
      .selectFrom('unbound_checkouts')
      .select('expires_at')
      .where('license_id', '=', f.licenseId)
      .execute();
    expect(rows).toHaveLength(1); // the expired ones were removed
  });

  it('maxUnboundFiles null = the seats; 0 (or requireFingerprint) = every file by key must be machine-bound', async () => {
    const seats = await createLicense(t, { plan: { max_machines: 3 } });
    for (let i = 0; i < 3; i++) expect((await clientCheckOut(t, { key: seats.key })).statusCode).toBe(200);
    expect((await clientCheckOut(t, { key: seats.key })).json().error.code).toBe('TOO_MANY_UNBOUND_FILES');
    const unlimited = await createLicense(t, { plan: { max_machines: null } });
    for (let i = 0; i < 6; i++) expect((await clientCheckOut(t, { key: unlimited.key })).statusCode).toBe(200);
    const nodeLocked = await createLicense(t, { plan: { floating: false, max_machines: 1 } });
    expect((await clientCheckOut(t, { key: nodeLocked.key })).statusCode).toBe(200);
    expect((await clientCheckOut(t, { key: nodeLocked.key })).statusCode).toBe(409);
    const none = await createLicense(t, { plan: { max_unbound_files: 0 } });
    const refused = await clientCheckOut(t, { key: none.key });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error).toMatchObject({
      code: 'FINGERPRINT_REQUIRED',
      details: [{ field: '/body/fingerprint' }],
    });
    await activate(t, { key: none.key, fingerprint: 'fp-0' });
    expect((await clientCheckOut(t, { key: none.key, fingerprint: 'fp-0' })).statusCode).toBe(200);
  });

  it('the limit holds under concurrent check-outs: 12 at once on a limit of 3 give exactly 3 files', async () => {
    const f = await createLicense(t, { plan: { max_unbound_files: 3 } });
    const results = await Promise.all(Array.from({ length: 12 }, () => clientCheckOut(t, { key: f.key })));
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes).toEqual([...Array(3).fill(200), ...Array(9).fill(409)]);
    const rows = await t.kw.database.db
      .selectFrom('unbound_checkouts')
      .select('id')
      .where('license_id', '=', f.licenseId)
      .execute();
    expect(rows).toHaveLength(3);
  });
});

describe(`license files: encryption under imported keys (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const importKey = async (key: string) => {
    const f = await createLicense(t);
    const res = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: f.planId, accountId: f.accountId, key },
    });
    expect(res.statusCode, res.body).toBe(201);
    return { ...f, licenseId: res.json().id as string, key };
  };

  it('keys Keyward makes: SHA-256 (aes-256-gcm+ed25519); imported keys: PBKDF2; short imported keys: 422', async () => {
    const keys = await publishedKeys(t);
    const random = await createLicense(t);
    const sha = await clientCheckOut(t, { key: random.key, encrypt: true });
    expect(sha.json().alg).toBe('aes-256-gcm+ed25519');

    const imported = await importKey('GLOBEX-legacy-2019-000417');
    const slow = await clientCheckOut(t, { key: imported.key, encrypt: true });
    expect(slow.statusCode, slow.body).toBe(200);
    expect(slow.json().alg).toBe('pbkdf2-sha256+aes-256-gcm+ed25519');
    const payload = verifyLicenseFile(slow.json().certificate, keys, { now: t.clock.now(), licenseKey: imported.key });
    expect(payload.license.key).toBe(imported.key);
    expect(() =>
      verifyLicenseFile(slow.json().certificate, keys, { now: t.clock.now(), licenseKey: imported.key.toUpperCase() }),
    ).toThrow(new Rejected('DECRYPT_FAILED'));
    // Each file has its own salt: two files of one key do not share an AES key.
    const again = await adminCheckOut(t, imported.licenseId, { encrypt: true });
    const saltOf = (certificate: string) =>
      JSON.parse(Buffer.from(certificate.split('\n').slice(1, -2).join(''), 'base64').toString()).enc.split('.')[1];
    expect(saltOf(again.json().certificate)).not.toBe(saltOf(slow.json().certificate));

    const short = await importKey('LEGACY-KEY-0001');
    for (const res of [
      await clientCheckOut(t, { key: short.key, encrypt: true }),
      await adminCheckOut(t, short.licenseId, { encrypt: true }),
    ]) {
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({
        code: 'KEY_TOO_SHORT_TO_ENCRYPT',
        details: [{ field: '/body/encrypt' }],
      });
    }
    expect((await clientCheckOut(t, { key: short.key })).statusCode).toBe(200); // signed, not encrypted: fine
  });

  it('a machine-bound file says so in its signed envelope, for every alg', async () => {
    const keys = await publishedKeys(t);
    const imported = await importKey('INITECH-0000-4711-legacy');
    await activate(t, { key: imported.key, fingerprint: 'fp-imp' });
    for (const encrypt of [false, true]) {
      const res = await clientCheckOut(t, { key: imported.key, fingerprint: 'fp-imp', encrypt });
      expect(res.json()).toMatchObject({ bind: 'machine' });
      const certificate = certificateOf(res);
      const envelope = JSON.parse(Buffer.from(certificate.split('\n').slice(1, -2).join(''), 'base64').toString());
      expect(envelope).toMatchObject({ v: 2, bind: 'machine' });
      const opts = { now: t.clock.now(), licenseKey: imported.key };
      expect(verifyLicenseFile(certificate, keys, { ...opts, fingerprint: 'fp-imp' }).machine.fingerprint).toBe(
        'fp-imp',
      );
      expect(() => verifyLicenseFile(certificate, keys, opts)).toThrow(new Rejected('FINGERPRINT_MISMATCH'));
    }
  });
});
