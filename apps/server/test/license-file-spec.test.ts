import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activate, createLicense, NO_RATE_LIMIT } from '../src/modules/client/test-fixtures.ts';
import { dbKind, startTestApp, type TestApp } from './harness.ts';
import {
  kidOfPublicKey,
  type PublicKeys,
  Rejected,
  type RejectReason,
  type VerifyOptions,
  verifyLicenseFile,
  verifyResponseSignature,
} from './support/spec-verifier.ts';

/*
 * docs/license-files.md is the real format: files produced by the API are checked by support/spec-verifier.ts,
 * written from the document with node:crypto only (no import from the server's license-files code). Every way a
 * file can be wrong fails, each in its own way.
 */

const BEGIN = '-----BEGIN KEYWARD LICENSE-----';
const END = '-----END KEYWARD LICENSE-----';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

function reasonOf(fn: () => unknown): RejectReason | 'ACCEPTED' {
  try {
    fn();
    return 'ACCEPTED';
  } catch (err) {
    if (err instanceof Rejected) return err.reason;
    throw err;
  }
}

const bodyOf = (file: string) => file.slice(file.indexOf(BEGIN) + BEGIN.length, file.indexOf(END)).replace(/\s/g, '');
const armor = (b64: string) => `${BEGIN}\n${b64.match(/.{1,64}/g)!.join('\n')}\n${END}\n`;
const envelopeOf = (file: string) => JSON.parse(Buffer.from(bodyOf(file), 'base64').toString('utf8'));
const withEnvelope = (envelope: unknown) => armor(Buffer.from(JSON.stringify(envelope)).toString('base64'));

describe(`license files follow docs/license-files.md (${dbKind})`, () => {
  let t: TestApp;
  let keys: PublicKeys;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  async function loadKeys(): Promise<PublicKeys> {
    const res = await t.request({ method: 'GET', url: '/.well-known/keyward-keys.json', token: null });
    expect(res.statusCode).toBe(200);
    const list = res.json().keys as { kid: string; publicKey: string }[];
    for (const k of list) expect(kidOfPublicKey(k.publicKey)).toBe(k.kid);
    return Object.fromEntries(list.map((k) => [k.kid, k.publicKey]));
  }

  async function checkOut(licenseId: string, payload: Record<string, unknown> = {}) {
    const res = await t.request({ method: 'POST', url: `/v1/licenses/${licenseId}/actions/check-out`, payload });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { certificate: string; kid: string; alg: string; expiresAt: string };
  }

  const verify = (file: string, opts: Partial<VerifyOptions> = {}) =>
    verifyLicenseFile(file, keys, { now: t.clock.now(), ...opts });

  it('plain, encrypted and machine-bound files verify, decrypt and state the license', async () => {
    const f = await createLicense(t);
    await activate(t, { key: f.key, fingerprint: 'host-1' });
    keys = await loadKeys();
    const plain = await checkOut(f.licenseId);
    expect(plain.alg).toBe('ed25519');
    expect(Object.keys(keys)).toContain(plain.kid);
    const payload = verify(plain.certificate);
    expect(payload.license).toMatchObject({ id: f.licenseId, key: f.key, status: 'expiring' });
    expect(payload.meta.expiresAt).toBe(plain.expiresAt);

    const encrypted = await checkOut(f.licenseId, { encrypt: true });
    expect(envelopeOf(encrypted.certificate).alg).toBe('aes-256-gcm+ed25519');
    expect(verify(encrypted.certificate, { licenseKey: f.key }).license).toEqual(payload.license);
    const ciphertext = Buffer.from(envelopeOf(encrypted.certificate).enc.split('.')[1], 'base64url');
    expect(ciphertext.toString('latin1')).not.toContain(f.key);

    const bound = await checkOut(f.licenseId, { encrypt: true, fingerprint: 'host-1' });
    expect(verify(bound.certificate, { licenseKey: f.key, fingerprint: 'host-1' }).machine.fingerprint).toBe('host-1');
    const boundPlain = await checkOut(f.licenseId, { fingerprint: 'host-1' });
    expect(verify(boundPlain.certificate, { fingerprint: 'host-1' }).machine.fingerprint).toBe('host-1');
  });

  it('one changed character anywhere in the base64 body, or one flipped bit in the envelope: rejected', async () => {
    const f = await createLicense(t);
    for (const file of [
      (await checkOut(f.licenseId)).certificate,
      (await checkOut(f.licenseId, { encrypt: true })).certificate,
    ]) {
      const body = bodyOf(file);
      const opts = { licenseKey: f.key };
      expect(reasonOf(() => verify(file, opts))).toBe('ACCEPTED');
      const reasons = new Set<string>();
      for (let i = 0; i < body.length; i++) {
        const c = body[i]!;
        const replacement = c === '=' ? 'A' : B64[(B64.indexOf(c) + 1 + (i % 63)) % 64]!;
        const reason = reasonOf(() => verify(armor(body.slice(0, i) + replacement + body.slice(i + 1)), opts));
        expect(reason, `position ${i}`).not.toBe('ACCEPTED');
        reasons.add(reason);
      }
      const bytes = Buffer.from(body, 'base64');
      for (let i = 0; i < bytes.length; i++) {
        const flipped = Buffer.from(bytes);
        flipped[i] = flipped[i]! ^ (1 << (i % 8));
        const reason = reasonOf(() => verify(armor(flipped.toString('base64')), opts));
        expect(reason, `byte ${i}`).not.toBe('ACCEPTED');
        reasons.add(reason);
      }
      // Most changes break the signature; the rest break the envelope (or the kid) before it is checked.
      expect([...reasons].sort()).toEqual(['BAD_SIGNATURE', 'MALFORMED', 'UNKNOWN_KID']);
    }
  });

  it('wrong public key, unknown kid, swapped alg, expired TTL, wrong fingerprint or key: each its own failure', async () => {
    const f = await createLicense(t);
    await activate(t, { key: f.key, fingerprint: 'host-1' });
    const plain = (await checkOut(f.licenseId, { ttlSeconds: 3_600 })).certificate;
    const { kid } = envelopeOf(plain);
    const otherKey = Buffer.alloc(32, 7).toString('base64');
    expect(reasonOf(() => verifyLicenseFile(plain, { [kid]: otherKey }, { now: t.clock.now() }))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => verify(withEnvelope({ ...envelopeOf(plain), kid: 'AAAAAAAAAAAAAAAA' })))).toBe('UNKNOWN_KID');
    expect(reasonOf(() => verify(withEnvelope({ ...envelopeOf(plain), alg: 'aes-256-gcm+ed25519' })))).toBe(
      'BAD_SIGNATURE',
    );
    expect(reasonOf(() => verify(withEnvelope({ ...envelopeOf(plain), v: 3 })))).toBe('MALFORMED');
    // Relabelled as version 1 (no bind in the signed message) or with another bind: the signature breaks.
    expect(reasonOf(() => verify(withEnvelope({ ...envelopeOf(plain), v: 1 })))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => verify(withEnvelope({ ...envelopeOf(plain), bind: 'machine' })))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => verify(plain.replace(BEGIN, '-----BEGIN SOMETHING-----')))).toBe('MALFORMED');
    expect(reasonOf(() => verify(plain, { now: new Date(t.clock.now().getTime() + 3_599_000) }))).toBe('ACCEPTED');
    expect(reasonOf(() => verify(plain, { now: new Date(t.clock.now().getTime() + 3_600_000) }))).toBe('FILE_EXPIRED');

    const boundPlain = (await checkOut(f.licenseId, { fingerprint: 'host-1' })).certificate;
    expect(reasonOf(() => verify(boundPlain, { fingerprint: 'host-2' }))).toBe('FINGERPRINT_MISMATCH');
    expect(reasonOf(() => verify(boundPlain))).toBe('FINGERPRINT_MISMATCH');
    const bound = (await checkOut(f.licenseId, { fingerprint: 'host-1', encrypt: true })).certificate;
    expect(reasonOf(() => verify(bound, { licenseKey: f.key, fingerprint: 'host-2' }))).toBe('DECRYPT_FAILED');
    const encrypted = (await checkOut(f.licenseId, { encrypt: true })).certificate;
    const other = await createLicense(t);
    expect(reasonOf(() => verify(encrypted, { licenseKey: other.key }))).toBe('DECRYPT_FAILED');
    // The key as typed is canonicalised (docs: case, spaces and look-alikes of Keyward keys are forgiven).
    expect(reasonOf(() => verify(encrypted, { licenseKey: ` ${f.key.toLowerCase()} ` }))).toBe('ACCEPTED');
    expect(reasonOf(() => verify(encrypted, { licenseKey: f.key.slice(0, -1) }))).toBe('DECRYPT_FAILED');
    expect(reasonOf(() => verify(encrypted))).toBe('KEY_REQUIRED');
  });

  it('the TTL runs on the server clock: a file checked out now expires with the ManualClock moved past it', async () => {
    const f = await createLicense(t);
    const file = (await checkOut(f.licenseId, { ttlSeconds: 7_200 })).certificate;
    t.clock.advanceSeconds(7_199);
    expect(reasonOf(() => verify(file))).toBe('ACCEPTED');
    t.clock.advanceSeconds(1);
    expect(reasonOf(() => verify(file))).toBe('FILE_EXPIRED');
    const fresh = (await checkOut(f.licenseId, { ttlSeconds: 7_200 })).certificate;
    expect(reasonOf(() => verify(fresh))).toBe('ACCEPTED');
  });

  it('a suspended license gets a file that states it, which a verifier refuses', async () => {
    const f = await createLicense(t, { license: { suspended: true } });
    const file = (await checkOut(f.licenseId)).certificate;
    expect(reasonOf(() => verify(file))).toBe('LICENSE_NOT_USABLE');
  });

  it('rotation: new files name the new key; files signed before keep verifying with the published old key', async () => {
    const f = await createLicense(t);
    const before = (await checkOut(f.licenseId)).certificate;
    const rotated = await t.request({ method: 'POST', url: '/v1/signing-keys/rotate' });
    expect(rotated.statusCode, rotated.body).toBe(201);
    keys = await loadKeys();
    const after = await checkOut(f.licenseId);
    expect(after.kid).toBe(rotated.json().key.kid);
    expect(after.kid).not.toBe(envelopeOf(before).kid);
    expect(reasonOf(() => verify(before))).toBe('ACCEPTED');
    expect(reasonOf(() => verify(after.certificate))).toBe('ACCEPTED');
    const { [envelopeOf(before).kid]: _old, ...onlyNew } = keys;
    expect(reasonOf(() => verifyLicenseFile(before, onlyNew, { now: t.clock.now() }))).toBe('UNKNOWN_KID');
  });

  it('client check-out: the response signature binds method, path, nonce and body', async () => {
    const f = await createLicense(t);
    keys = await loadKeys();
    const nonce = 'nonce-4711';
    const res = await t.request({
      method: 'POST',
      url: '/v1/licenses/check-out?x=1',
      payload: { key: f.key, nonce },
      token: null,
    });
    expect(res.statusCode, res.body).toBe(200);
    const header = String(res.headers['keyward-signature']);
    const request = { method: 'POST', path: '/v1/licenses/check-out', nonce };
    expect(verifyResponseSignature(header, keys, request, res.body).kid).toBe(envelopeOf(res.json().certificate).kid);
    expect(reasonOf(() => verifyResponseSignature(header, keys, { ...request, nonce: 'other' }, res.body))).toBe(
      'BAD_SIGNATURE',
    );
    expect(reasonOf(() => verifyResponseSignature(header, keys, request, `${res.body} `))).toBe('BAD_SIGNATURE');
    expect(reasonOf(() => verify(res.json().certificate))).toBe('ACCEPTED');
  });
});
