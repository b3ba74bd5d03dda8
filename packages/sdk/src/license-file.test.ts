import { describe, expect, it } from 'vitest';
import {
  armor,
  FILE_EXPIRES,
  keysJson,
  LICENSE_KEY,
  licenseFile,
  makeKey,
  NOW,
  payload,
} from '../test/spec-fixtures.ts';
import { ClockGuard } from './clock-guard.ts';
import { type LicenseFileResult, verifyLicenseFile } from './license-file.ts';

const key = makeKey();
const other = makeKey();
const publicKeys = keysJson(key);
const FP = 'host-42';

const verify = (text: string, o: Omit<Parameters<typeof verifyLicenseFile>[1], 'publicKeys'> = {}) =>
  verifyLicenseFile(text, { publicKeys, now: NOW, ...o });
const reasonOf = (r: LicenseFileResult) => (r.valid ? 'VALID' : r.reason);

describe('verifyLicenseFile: round trips', () => {
  it('verifies a plain file and returns its payload, kid and alg', async () => {
    const r = await verify(licenseFile(key, payload()));
    expect(r).toMatchObject({ valid: true, kid: key.kid, alg: 'ed25519', encrypted: false, code: 'VALID' });
    if (r.valid) expect(r.payload.license.key).toBe(LICENSE_KEY);
  });

  it('decrypts an encrypted file with the license key (forgiving case and spaces)', async () => {
    const text = licenseFile(key, payload(), { encrypt: { licenseKey: LICENSE_KEY } });
    expect(await verify(text, { licenseKey: LICENSE_KEY })).toMatchObject({
      valid: true,
      alg: 'aes-256-gcm+ed25519',
      encrypted: true,
    });
    expect(reasonOf(await verify(text, { licenseKey: ` ${LICENSE_KEY.toLowerCase()} ` }))).toBe('VALID');
    // A license file (not machine-bound) still decrypts when the app passes its fingerprint.
    expect(reasonOf(await verify(text, { licenseKey: LICENSE_KEY, fingerprint: FP }))).toBe('VALID');
  });

  it('verifies machine-bound files, plain and encrypted', async () => {
    const bound = payload({ machine: { id: 'm1', fingerprint: FP } });
    expect(reasonOf(await verify(licenseFile(key, bound), { fingerprint: FP }))).toBe('VALID');
    const encrypted = licenseFile(key, bound, { encrypt: { licenseKey: LICENSE_KEY, fingerprint: FP } });
    expect(reasonOf(await verify(encrypted, { licenseKey: LICENSE_KEY, fingerprint: FP }))).toBe('VALID');
  });

  it('accepts the keys as /v1/keys JSON, as an array, and without kids (recomputed)', async () => {
    const text = licenseFile(key, payload());
    for (const keys of [publicKeys, [{ kid: key.kid, publicKey: key.publicKey }], [{ publicKey: key.publicKey }]]) {
      expect(reasonOf(await verifyLicenseFile(text, { publicKeys: keys, now: NOW }))).toBe('VALID');
    }
    await expect(
      verifyLicenseFile(text, { publicKeys: [{ kid: key.kid, publicKey: other.publicKey }] }),
    ).rejects.toThrow(TypeError);
  });
});

describe('verifyLicenseFile: rejections, each with its reason', () => {
  it('rejects every single changed character of the file body', async () => {
    const text = licenseFile(key, payload({ machine: { id: 'm1', fingerprint: FP } }));
    const lines = text.split('\n');
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
    let checked = 0;
    for (let l = 1; l < lines.length - 2; l++) {
      for (let i = 0; i < lines[l]!.length; i++) {
        const line = lines[l]!;
        if (line[i] === '=') continue;
        const flipped = alphabet[(alphabet.indexOf(line[i]!) + 1) % 64];
        const copy = [...lines];
        copy[l] = line.slice(0, i) + flipped + line.slice(i + 1);
        const r = await verify(copy.join('\n'), { fingerprint: FP });
        expect(r.valid, `line ${l} char ${i}`).toBe(false);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('rejects a changed payload as BAD_SIGNATURE', async () => {
    const envelope = JSON.parse(
      Buffer.from(licenseFile(key, payload()).split('\n').slice(1, -2).join(''), 'base64').toString(),
    );
    const changed = payload({ license: { endsAt: '2099-01-01T00:00:00.000Z' } });
    const forged = armor({ ...envelope, enc: Buffer.from(JSON.stringify(changed)).toString('base64url') });
    expect(await verify(forged)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('rejects a file signed by another key naming our kid (BAD_SIGNATURE), and an unknown kid (UNKNOWN_KID)', async () => {
    expect(reasonOf(await verify(licenseFile(other, payload(), { kid: key.kid })))).toBe('BAD_SIGNATURE');
    expect(reasonOf(await verify(licenseFile(other, payload())))).toBe('UNKNOWN_KID');
  });

  it('answers MALFORMED and UNSUPPORTED_VERSION for what it cannot read', async () => {
    expect(reasonOf(await verify('hello'))).toBe('MALFORMED');
    expect(reasonOf(await verify('-----BEGIN KEYWARD LICENSE-----\n%%%\n-----END KEYWARD LICENSE-----'))).toBe(
      'MALFORMED',
    );
    expect(reasonOf(await verify(armor({ v: 1, alg: 'ed25519', kid: key.kid })))).toBe('MALFORMED');
    expect(reasonOf(await verify(licenseFile(key, payload(), { v: 3 })))).toBe('UNSUPPORTED_VERSION');
    expect(reasonOf(await verify(armor({ v: 1, alg: 'rsa', kid: key.kid, enc: 'x', sig: 'y' })))).toBe(
      'UNSUPPORTED_VERSION',
    );
    expect(reasonOf(await verify(licenseFile(key, { ...payload(), format: 'keyward-license/2' })))).toBe(
      'UNSUPPORTED_VERSION',
    );
    expect(reasonOf(await verify(licenseFile(key, { ...payload(), meta: {} })))).toBe('MALFORMED');
  });

  it('never reads an end date that is not a date as "no end" (perpetual): MALFORMED', async () => {
    const withLicense = (fields: Record<string, unknown>) => {
      const p = payload() as { license: Record<string, unknown> };
      return { ...p, license: { ...p.license, ...fields } };
    };
    for (const fields of [{ endsAt: 'next year' }, { graceEndsAt: 42 }, { endsAt: undefined }]) {
      expect(reasonOf(await verify(licenseFile(key, withLicense(fields))))).toBe('MALFORMED');
    }
    const perpetual = await verify(licenseFile(key, withLicense({ endsAt: null, graceEndsAt: null })));
    expect(perpetual.valid).toBe(true);
  });

  it('needs the license key for an encrypted file, and the right one', async () => {
    const text = licenseFile(key, payload(), { encrypt: { licenseKey: LICENSE_KEY } });
    expect(await verify(text)).toMatchObject({ valid: false, reason: 'KEY_REQUIRED' });
    expect(reasonOf(await verify(text, { licenseKey: 'ACME-000000-000000-000000-000000-000000' }))).toBe(
      'DECRYPTION_FAILED',
    );
    // A plain file is compared with the key the app has.
    const plain = licenseFile(key, payload());
    expect(reasonOf(await verify(plain, { licenseKey: 'ACME-000000-000000-000000-000000-000000' }))).toBe(
      'WRONG_LICENSE_KEY',
    );
  });

  it('refuses a machine-bound file on another machine', async () => {
    const bound = payload({ machine: { id: 'm1', fingerprint: FP } });
    expect(reasonOf(await verify(licenseFile(key, bound), { fingerprint: 'host-7' }))).toBe('WRONG_FINGERPRINT');
    expect(reasonOf(await verify(licenseFile(key, bound)))).toBe('WRONG_FINGERPRINT');
    const encrypted = licenseFile(key, bound, { encrypt: { licenseKey: LICENSE_KEY, fingerprint: FP } });
    expect(reasonOf(await verify(encrypted, { licenseKey: LICENSE_KEY, fingerprint: 'host-7' }))).toBe(
      'DECRYPTION_FAILED',
    );
    // The envelope says the file is machine-bound: no fingerprint is answered before anything is decrypted.
    expect(reasonOf(await verify(encrypted, { licenseKey: LICENSE_KEY }))).toBe('WRONG_FINGERPRINT');
    // A version 1 envelope does not say so: the key alone is tried, and fails.
    const v1 = licenseFile(key, bound, { encrypt: { licenseKey: LICENSE_KEY, fingerprint: FP }, v: 1 });
    expect(reasonOf(await verify(v1, { licenseKey: LICENSE_KEY }))).toBe('DECRYPTION_FAILED');
  });

  it('answers FILE_EXPIRED past meta.expiresAt, with the payload', async () => {
    const r = await verify(licenseFile(key, payload()), { now: new Date(FILE_EXPIRES) });
    expect(r).toMatchObject({ valid: false, reason: 'FILE_EXPIRED' });
    if (!r.valid) expect(r.payload?.license.key).toBe(LICENSE_KEY);
  });

  it('checks the license status and dates', async () => {
    const at = async (p: ReturnType<typeof payload>, now = NOW, releasedAt?: string) =>
      verify(licenseFile(key, p), { now, ...(releasedAt ? { releasedAt } : {}) });
    expect(reasonOf(await at(payload({ license: { status: 'suspended' } })))).toBe('LICENSE_SUSPENDED');
    expect(reasonOf(await at(payload({ license: { status: 'revoked' } })))).toBe('LICENSE_REVOKED');
    expect(reasonOf(await at(payload({ license: { startsAt: '2026-12-01T00:00:00.000Z' } })))).toBe('NOT_YET_VALID');
    const ended = { endsAt: '2026-11-01T00:00:00.000Z', graceEndsAt: '2026-11-30T00:00:00.000Z' };
    expect(await at(payload({ license: ended }))).toMatchObject({
      valid: true,
      code: 'IN_GRACE_PERIOD',
      inGracePeriod: true,
    });
    const past = { endsAt: '2026-11-01T00:00:00.000Z', graceEndsAt: '2026-11-15T00:00:00.000Z' };
    expect(reasonOf(await at(payload({ license: past })))).toBe('LICENSE_EXPIRED');
    expect(reasonOf(await at(payload({ license: past, plan: { expirationStrategy: 'revoke' } })))).toBe(
      'LICENSE_EXPIRED',
    );
    expect(await at(payload({ license: past, plan: { expirationStrategy: 'allow' } }))).toMatchObject({
      valid: true,
      code: 'EXPIRED',
      expired: true,
    });
    const maintain = payload({ license: past, plan: { expirationStrategy: 'maintain' } });
    expect(await at(maintain, NOW, '2026-10-01T00:00:00.000Z')).toMatchObject({ valid: true, expired: true });
    expect(reasonOf(await at(maintain, NOW, '2026-11-10T00:00:00.000Z'))).toBe('LICENSE_EXPIRED');
    expect(reasonOf(await at(payload({ license: { endsAt: null, graceEndsAt: null } }), new Date('2026-12-20')))).toBe(
      'VALID',
    );
  });
});

describe('clock rollback', () => {
  it('flags a clock earlier than the file was issued (beyond the tolerance)', async () => {
    const text = licenseFile(key, payload());
    expect(reasonOf(await verify(text, { now: new Date('2026-11-20T00:00:00.000Z') }))).toBe('CLOCK_ROLLBACK');
    expect(reasonOf(await verify(text, { now: new Date('2026-11-22T09:56:00.000Z') }))).toBe('VALID');
    expect(reasonOf(await verify(text, { now: new Date('2026-11-22T09:56:00.000Z'), clockToleranceSeconds: 60 }))).toBe(
      'CLOCK_ROLLBACK',
    );
  });

  it('flags a clock set back behind the last time a ClockGuard saw', async () => {
    const text = licenseFile(key, payload());
    const guard = new ClockGuard();
    const saved = guard.observe(new Date('2026-12-10T00:00:00.000Z'));
    const restored = ClockGuard.restore(saved);
    const now = new Date('2026-12-01T00:00:00.000Z');
    expect(restored.check(now)).toMatchObject({ ok: false, behindBySeconds: 9 * 86400 });
    expect(reasonOf(await verify(text, { now, lastSeenAt: restored.lastSeen }))).toBe('CLOCK_ROLLBACK');
    expect(reasonOf(await verify(text, { now: new Date('2026-12-10T00:01:00.000Z'), lastSeenAt: saved }))).toBe(
      'VALID',
    );
  });
});
