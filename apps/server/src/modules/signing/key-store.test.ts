import { createPublicKey, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, TEST_SECRET, type TestApp } from '../../../test/harness.ts';
import { buildApp } from '../../app.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { loadConfig } from '../../platform/config.ts';
import { AppError } from '../../platform/errors.ts';
import { decryptPrivateKey, encryptPrivateKey, generateSigningKeyPair, kidOf, rawPublicKey } from './key-crypto.ts';
import { ACTIVE_KID_TTL_MS, SigningKeyStore } from './key-store.ts';
import { listPublicKeys } from './signing.read.ts';

const OTHER_SECRET = 'a-different-secret-0123456789abcdefghijkl';

describe('key crypto', () => {
  it('encrypts private keys per kid (AES-256-GCM under HKDF of the secret) and refuses wrong secrets or kids', () => {
    const a = generateSigningKeyPair();
    const b = generateSigningKeyPair();
    expect(a.kid).toBe(kidOf(a.publicKey));
    expect(a.kid).toMatch(/^[A-Za-z0-9_-]{16}$/);
    const stored = encryptPrivateKey(TEST_SECRET, a.kid, a.privateKey);
    expect(stored).toMatch(/^v1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(stored).not.toBe(encryptPrivateKey(TEST_SECRET, a.kid, a.privateKey)); // fresh IV each time
    const back = decryptPrivateKey(TEST_SECRET, a.kid, stored);
    expect(rawPublicKey(back).equals(a.publicKey)).toBe(true);
    expect(() => decryptPrivateKey(OTHER_SECRET, a.kid, stored)).toThrow();
    expect(() => decryptPrivateKey(TEST_SECRET, b.kid, stored)).toThrow(); // moved to another kid's row
    const [v, iv, ct, tag] = stored.split('.');
    const flipped = Buffer.from(ct!, 'base64url');
    flipped[0] = flipped[0]! ^ 1;
    expect(() =>
      decryptPrivateKey(TEST_SECRET, a.kid, [v, iv, flipped.toString('base64url'), tag].join('.')),
    ).toThrow();
    expect(() => decryptPrivateKey(TEST_SECRET, a.kid, [v, iv, ct, tag!.slice(0, 8)].join('.'))).toThrow();
  });
});

describe(`signing key store (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    // No request is made before the race test: the database has no signing key yet.
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  const storeWith = (secret = TEST_SECRET) => new SigningKeyStore({ db: t.kw.database.db, clock: t.clock, secret });
  const keyRows = () => t.kw.database.db.selectFrom('signing_keys').selectAll().orderBy('created_at').execute();
  const verifies = async (kid: string, message: Buffer, signature: Buffer) => {
    const key = (await listPublicKeys(t.kw.database.db)).find((k) => k.kid === kid);
    if (!key) return false;
    const publicKey = createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: key.jwk.x }, format: 'jwk' });
    return verify(null, message, publicKey, signature);
  };

  it('creates exactly one first key when processes start at once, and audits it', async () => {
    expect(await keyRows()).toEqual([]);
    const stores = [storeWith(), storeWith(), storeWith(), storeWith()];
    const results = await Promise.all(stores.map((s) => s.ensureKey()));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.kid)).size).toBe(1);
    const rows = await keyRows();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ kid: results[0]!.kid, algorithm: 'Ed25519', active: true, retired_at: null });
    expect(rows[0]!.private_key_enc).toMatch(/^v1\./);
    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_name', 'target_id'])
      .where('action', 'like', 'signing_key.%')
      .execute();
    expect(audit).toEqual([{ action: 'signing_key.created', actor_name: 'keyward', target_id: rows[0]!.kid }]);
    // Signing from any of them (and lazily from a fresh one) uses that key; no second key appears.
    const signatures = await Promise.all([...stores, storeWith()].map((s) => s.sign(Buffer.from('hello'))));
    expect(new Set(signatures.map((s) => s.kid))).toEqual(new Set([rows[0]!.kid]));
    for (const s of signatures) expect(await verifies(s.kid, Buffer.from('hello'), s.signature)).toBe(true);
    expect(await keyRows()).toHaveLength(1);
  });

  it('picks up a rotation made by another process within 30 s; the old key keeps verifying', async () => {
    const other = storeWith();
    const before = await other.sign(Buffer.from('m1'));
    const rotation = await t.kw.services.signing.rotate(systemContext('test'));
    expect(rotation.previousKid).toBe(before.kid);
    // This process adopts its own rotation at once; the other one still trusts its cached kid for a while.
    expect((await t.kw.signer.sign(Buffer.from('x'))).kid).toBe(rotation.key.kid);
    t.clock.advanceSeconds(ACTIVE_KID_TTL_MS / 1000 - 1);
    expect((await other.sign(Buffer.from('m2'))).kid).toBe(before.kid);
    t.clock.advanceSeconds(1);
    const after = await other.sign(Buffer.from('m3'));
    expect(after.kid).toBe(rotation.key.kid);
    expect(await verifies(before.kid, Buffer.from('m1'), before.signature)).toBe(true);
    expect(await verifies(after.kid, Buffer.from('m3'), after.signature)).toBe(true);
    expect(await verifies(after.kid, Buffer.from('m1'), before.signature)).toBe(false);
    const rows = await keyRows();
    expect(rows.map((r) => [r.kid, r.active, r.retired_at !== null])).toEqual([
      [before.kid, false, true],
      [rotation.key.kid, true, false],
    ]);
  });

  it('fails clearly when KEYWARD_SECRET cannot decrypt the keys, at start; rotating is the way out', async () => {
    const wrong = storeWith(OTHER_SECRET);
    const err = await wrong.sign(Buffer.from('x')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'SIGNING_KEY_UNREADABLE', status: 500 });
    expect((err as Error).message).toMatch(/cannot be decrypted with this KEYWARD_SECRET: the secret changed/);
    expect((err as Error).message).toContain('keyward keys rotate');

    // A server started with the wrong secret does not come up.
    const config = loadConfig({ LOG_LEVEL: 'silent', KEYWARD_SECRET: OTHER_SECRET }, { database: t.testDb.config });
    const kw = await buildApp(config, { database: t.testDb.database, clock: t.clock, skipMigrations: true });
    try {
      await expect(kw.app.ready()).rejects.toMatchObject({ code: 'SIGNING_KEY_UNREADABLE' });
      // The CLI path (no ready) can still rotate: the new key is encrypted under the new secret.
      const rotation = await kw.services.signing.rotate(systemContext('cli'));
      expect((await kw.signer.sign(Buffer.from('y'))).kid).toBe(rotation.key.kid);
      expect(await storeWith(OTHER_SECRET).ready()).toBe(rotation.key.kid);
      await expect(storeWith(TEST_SECRET).ready()).rejects.toMatchObject({ code: 'SIGNING_KEY_UNREADABLE' });
    } finally {
      await kw.app.close().catch(() => {});
    }
  });
});
