import { describe, expect, it } from 'vitest';
import {
  armor,
  keysJson,
  LICENSE_KEY,
  licenseFile,
  makeKey,
  NOW,
  payload,
  signedEnvelope,
} from '../test/spec-fixtures.ts';
import { type LicenseFileResult, verifyLicenseFile } from './license-file.ts';
import { LICENSE_STATUSES } from './license-payload.ts';

/*
 * Envelope version 2 (docs/license-files.md): the binding (license or machine) is signed in the envelope, imported
 * keys encrypt under PBKDF2, and version 1 files keep verifying.
 */

const key = makeKey();
const publicKeys = keysJson(key);
const FP = 'host-42';
const IMPORTED = 'GLOBEX-legacy-2019-000417';
const SIGNED_KEY = `KW1.${key.kid}.eyJsaWQiOiJsMSJ9.${'A'.repeat(86)}`;
const ITERATIONS = 1_000; // fast in tests; the server uses 600 000 (the file says how many)

const verify = (text: string, o: Omit<Parameters<typeof verifyLicenseFile>[1], 'publicKeys'> = {}) =>
  verifyLicenseFile(text, { publicKeys, now: NOW, ...o });
const reasonOf = (r: LicenseFileResult) => (r.valid ? 'VALID' : r.reason);
const envelopeOf = (text: string) =>
  JSON.parse(Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64').toString('utf8'));
const bound = payload({ machine: { id: 'm1', fingerprint: FP } });

describe('envelope version 2: the binding is signed', () => {
  it('names license or machine, and the result says which', async () => {
    const plain = licenseFile(key, payload());
    expect(envelopeOf(plain)).toMatchObject({ v: 2, bind: 'license' });
    expect(await verify(plain)).toMatchObject({ valid: true, v: 2, bind: 'license' });
    const machine = licenseFile(key, bound);
    expect(envelopeOf(machine)).toMatchObject({ v: 2, bind: 'machine' });
    expect(await verify(machine, { fingerprint: FP })).toMatchObject({ valid: true, v: 2, bind: 'machine' });
  });

  it('a changed bind breaks the signature; a bind the payload contradicts or a missing one is MALFORMED', async () => {
    const plain = licenseFile(key, payload());
    expect(reasonOf(await verify(armor({ ...envelopeOf(plain), bind: 'machine' })))).toBe('BAD_SIGNATURE');
    expect(reasonOf(await verify(licenseFile(key, payload(), { bind: 'machine' })))).toBe('MALFORMED');
    expect(reasonOf(await verify(licenseFile(key, bound, { bind: 'license' }), { fingerprint: FP }))).toBe('MALFORMED');
    expect(reasonOf(await verify(licenseFile(key, payload(), { bind: 'anything' })))).toBe('MALFORMED');
    const { bind: _bind, ...withoutBind } = envelopeOf(plain);
    expect(reasonOf(await verify(armor(withoutBind)))).toBe('MALFORMED');
  });

  it('an encrypted machine-bound file asks for the fingerprint before decrypting, and only tries key + fingerprint', async () => {
    const text = licenseFile(key, bound, { encrypt: { licenseKey: LICENSE_KEY, fingerprint: FP } });
    expect(await verify(text, { licenseKey: LICENSE_KEY })).toMatchObject({
      valid: false,
      reason: 'WRONG_FINGERPRINT',
      detail: expect.stringContaining('pass this machine'),
    });
    expect(reasonOf(await verify(text, { licenseKey: LICENSE_KEY, fingerprint: FP }))).toBe('VALID');
    expect(reasonOf(await verify(text, { licenseKey: LICENSE_KEY, fingerprint: 'other' }))).toBe('DECRYPTION_FAILED');
    // A license (not machine) file is decrypted with the key alone, whatever fingerprint the app passes.
    const license = licenseFile(key, payload(), { encrypt: { licenseKey: LICENSE_KEY } });
    expect(reasonOf(await verify(license, { licenseKey: LICENSE_KEY, fingerprint: FP }))).toBe('VALID');
  });
});

describe('version 1 files keep verifying', () => {
  it('plain, encrypted and machine-bound encrypted', async () => {
    const cases: [string, Record<string, string>][] = [
      [licenseFile(key, payload(), { v: 1 }), {}],
      [licenseFile(key, payload(), { v: 1, encrypt: { licenseKey: LICENSE_KEY } }), { licenseKey: LICENSE_KEY }],
      [
        licenseFile(key, bound, { v: 1, encrypt: { licenseKey: LICENSE_KEY, fingerprint: FP } }),
        { licenseKey: LICENSE_KEY, fingerprint: FP },
      ],
    ];
    for (const [text, options] of cases) {
      expect(envelopeOf(text).bind).toBeUndefined();
      expect(await verify(text, options)).toMatchObject({ valid: true, v: 1 });
    }
    expect((await verify(cases[2]![0], cases[2]![1])) as { bind?: string }).toMatchObject({ bind: 'machine' });
  });

  it('a version 1 envelope cannot use PBKDF2 (it did not exist)', async () => {
    const text = licenseFile(key, payload(), { v: 1, encrypt: { licenseKey: IMPORTED, pbkdf2: ITERATIONS } });
    expect(reasonOf(await verify(text, { licenseKey: IMPORTED }))).toBe('UNSUPPORTED_VERSION');
  });
});

describe('files encrypted under imported keys (PBKDF2)', () => {
  const imported = payload({ license: { key: IMPORTED } });

  it('decrypt with the exact key (case kept), license- or machine-bound', async () => {
    const text = licenseFile(key, imported, { encrypt: { licenseKey: IMPORTED, pbkdf2: ITERATIONS } });
    expect(envelopeOf(text)).toMatchObject({ alg: 'pbkdf2-sha256+aes-256-gcm+ed25519' });
    expect(envelopeOf(text).enc.split('.')).toHaveLength(5);
    expect(await verify(text, { licenseKey: ` ${IMPORTED} ` })).toMatchObject({ valid: true, encrypted: true });
    expect(reasonOf(await verify(text, { licenseKey: IMPORTED.toUpperCase() }))).toBe('DECRYPTION_FAILED');
    const machine = payload({ license: { key: IMPORTED }, machine: { id: 'm1', fingerprint: FP } });
    const boundText = licenseFile(key, machine, {
      encrypt: { licenseKey: IMPORTED, fingerprint: FP, pbkdf2: ITERATIONS },
    });
    expect(reasonOf(await verify(boundText, { licenseKey: IMPORTED, fingerprint: FP }))).toBe('VALID');
    expect(reasonOf(await verify(boundText, { licenseKey: IMPORTED, fingerprint: 'x' }))).toBe('DECRYPTION_FAILED');
  });

  it('refuses KDF parameters it will not run: zero or padded iterations, over 10 million, a short salt', async () => {
    const text = licenseFile(key, imported, { encrypt: { licenseKey: IMPORTED, pbkdf2: ITERATIONS } });
    const [, salt, ...rest] = envelopeOf(text).enc.split('.') as string[];
    const alg = 'pbkdf2-sha256+aes-256-gcm+ed25519';
    const withEnc = (parts: string[]) => signedEnvelope(key, { alg, bind: 'license', enc: parts.join('.') });
    expect(reasonOf(await verify(withEnc([String(ITERATIONS), salt!, ...rest]), { licenseKey: IMPORTED }))).toBe(
      'VALID',
    );
    for (const parts of [
      ['0', salt!, ...rest],
      ['010', salt!, ...rest],
      ['10000001', salt!, ...rest],
      [String(ITERATIONS), 'AAAA', ...rest],
      rest,
    ]) {
      expect(reasonOf(await verify(withEnc(parts), { licenseKey: IMPORTED })), parts[0]).toBe('MALFORMED');
    }
  });
});

describe('the key a file is encrypted for is the license key as issued', () => {
  it('a KW1. signed key is used verbatim: case matters, spaces around are trimmed', async () => {
    const p = payload({ license: { key: SIGNED_KEY } });
    const text = licenseFile(key, p, { encrypt: { licenseKey: SIGNED_KEY } });
    expect(reasonOf(await verify(text, { licenseKey: `  ${SIGNED_KEY}\n` }))).toBe('VALID');
    expect(reasonOf(await verify(text, { licenseKey: SIGNED_KEY.toLowerCase() }))).toBe('DECRYPTION_FAILED');
    expect(reasonOf(await verify(text, { licenseKey: SIGNED_KEY.replace('KW1', 'kw1') }))).toBe('DECRYPTION_FAILED');
  });

  it('a Keyward random key is canonicalised: case, spaces and look-alikes are forgiven', async () => {
    const text = licenseFile(key, payload(), { encrypt: { licenseKey: LICENSE_KEY } });
    const sloppy = ` ${LICENSE_KEY.toLowerCase().replace(/1/g, 'l').replace(/0/g, 'o')} `;
    expect(reasonOf(await verify(text, { licenseKey: sloppy }))).toBe('VALID');
  });
});

describe('license.status', () => {
  it('refuses suspended and revoked, judges the others by the dates, and refuses a status it does not know', async () => {
    const results: Record<string, string> = {};
    for (const status of LICENSE_STATUSES) {
      results[status] = reasonOf(await verify(licenseFile(key, payload({ license: { status } }))));
    }
    expect(results).toEqual({
      pending: 'VALID', // the dates decide: the default payload has started by NOW
      active: 'VALID',
      expiring: 'VALID',
      in_grace: 'VALID',
      expired: 'VALID',
      suspended: 'LICENSE_SUSPENDED',
      revoked: 'LICENSE_REVOKED',
    });
    const future = payload({ license: { status: 'pending', startsAt: '2026-12-24T00:00:00.000Z' } });
    expect(reasonOf(await verify(licenseFile(key, future)))).toBe('NOT_YET_VALID');
    expect(reasonOf(await verify(licenseFile(key, payload({ license: { status: 'frozen' } }))))).toBe('MALFORMED');
  });
});
