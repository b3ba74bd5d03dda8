/**
 * The verifiers give identical results on the Node fast path (node:crypto, cached KeyObjects, native base64) and on
 * the portable one (WebCrypto, the SDK's decoders), and cached keys never cross kids.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  armor,
  keysJson,
  LICENSE_KEY,
  licenseFile,
  makeKey,
  NOW,
  payload,
  signedKey,
  signResponse,
} from '../test/spec-fixtures.ts';
import { verifyLicenseFile } from './license-file.ts';
import { importPublicKeys } from './public-keys.ts';
import { verifyResponseSignature } from './response-signature.ts';
import { setNodeFastPaths } from './runtime.ts';
import { verifySignedKey } from './signed-key.ts';

afterEach(() => setNodeFastPaths(true));

async function both<T>(fn: () => Promise<T>): Promise<{ node: T; portable: T }> {
  setNodeFastPaths(true);
  const node = await fn();
  setNodeFastPaths(false);
  try {
    return { node, portable: await fn() };
  } finally {
    setNodeFastPaths(true);
  }
}

const key = makeKey();
const other = makeKey();
const FP = 'host-42';

/** The envelope of an armoured file, changed by `edit`, armoured again. */
function reArmor(text: string, edit: (env: Record<string, unknown>) => Record<string, unknown>): string {
  const env = JSON.parse(Buffer.from(text.split('\n').slice(1, -2).join(''), 'base64').toString('utf8'));
  return armor(edit(env));
}
const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);

describe('verifyLicenseFile: the same result on both paths', () => {
  const plain = licenseFile(key, payload());
  const encrypted = licenseFile(key, payload(), { encrypt: { licenseKey: LICENSE_KEY } });
  const bound = licenseFile(key, payload({ machine: { id: 'm1', fingerprint: FP } }), {
    encrypt: { licenseKey: LICENSE_KEY, fingerprint: FP },
  });
  const imported = 'GLOBEX-LEGACY-2019-000417';
  const pbkdf2 = licenseFile(key, payload({ license: { key: imported } }), {
    encrypt: { licenseKey: imported, pbkdf2: 1_000 },
  });
  const legacy = licenseFile(key, payload({ machine: { id: 'm1', fingerprint: FP } }), {
    v: 1,
    encrypt: { licenseKey: LICENSE_KEY, fingerprint: FP },
  });
  const body = plain.split('\n').slice(1, -2);
  const files: [string, string, Record<string, unknown>, string][] = [
    ['plain', plain, {}, 'VALID'],
    ['plain, with the license key', plain, { licenseKey: LICENSE_KEY }, 'VALID'],
    ['encrypted', encrypted, { licenseKey: LICENSE_KEY }, 'VALID'],
    ['machine-bound, encrypted', bound, { licenseKey: LICENSE_KEY, fingerprint: FP }, 'VALID'],
    ['machine-bound, no fingerprint', bound, { licenseKey: LICENSE_KEY }, 'WRONG_FINGERPRINT'],
    ['imported key, PBKDF2', pbkdf2, { licenseKey: imported }, 'VALID'],
    ['imported key, PBKDF2, wrong key', pbkdf2, { licenseKey: imported.toLowerCase() }, 'DECRYPTION_FAILED'],
    ['version 1, machine-bound, encrypted', legacy, { licenseKey: LICENSE_KEY, fingerprint: FP }, 'VALID'],
    ['CRLF line ends', plain.replaceAll('\n', '\r\n'), {}, 'VALID'],
    ['one long line, spaces around', plain.replace(body.join('\n'), ` ${body.join('')} `), {}, 'VALID'],
    ['tampered payload', reArmor(plain, (e) => ({ ...e, enc: flip(e.enc as string, 40) })), {}, 'BAD_SIGNATURE'],
    ['tampered signature', reArmor(plain, (e) => ({ ...e, sig: flip(e.sig as string, 10) })), {}, 'BAD_SIGNATURE'],
    [
      'signature cut short',
      reArmor(plain, (e) => ({ ...e, sig: (e.sig as string).slice(0, 80) })),
      {},
      'BAD_SIGNATURE',
    ],
    ['another signer naming our kid', licenseFile(other, payload(), { kid: key.kid }), {}, 'BAD_SIGNATURE'],
    ['unknown kid', licenseFile(other, payload()), {}, 'UNKNOWN_KID'],
    ['body not canonical base64', plain.replace(/([A-Za-z0-9+/])(=*\n-----END)/, 'é$2'), {}, 'MALFORMED'],
    ['encrypted, no key', encrypted, {}, 'KEY_REQUIRED'],
    ['encrypted, wrong key', encrypted, { licenseKey: 'ACME-000000-000000-000000-000000-000000' }, 'DECRYPTION_FAILED'],
    ['machine-bound, another machine', bound, { licenseKey: LICENSE_KEY, fingerprint: 'x' }, 'DECRYPTION_FAILED'],
    ['wrong license key', plain, { licenseKey: 'ACME-000000-000000-000000-000000-000000' }, 'WRONG_LICENSE_KEY'],
    ['expired file', plain, { now: new Date('2027-02-01T00:00:00.000Z') }, 'FILE_EXPIRED'],
    ['clock rolled back', plain, { now: new Date('2026-01-01T00:00:00.000Z') }, 'CLOCK_ROLLBACK'],
  ];

  it.each(files)('%s', async (_name, text, options, expected) => {
    const r = await both(() => verifyLicenseFile(text, { publicKeys: keysJson(key), now: NOW, ...options }));
    expect(r.node).toEqual(r.portable);
    expect(r.node.valid ? 'VALID' : r.node.reason).toBe(expected);
  });

  it('rejects every single changed character of the body the same way', async () => {
    const publicKeys = keysJson(key);
    const lines = plain.split('\n');
    for (let i = 3; i < lines[1]!.length; i += 7) {
      const text = [lines[0], flip(lines[1]!, i), ...lines.slice(2)].join('\n');
      const r = await both(() => verifyLicenseFile(text, { publicKeys, now: NOW }));
      expect(r.node).toEqual(r.portable);
      expect(r.node.valid).toBe(false);
    }
  });
});

describe('signed keys and signed responses: the same result on both paths', () => {
  const data = { lid: 'l1', prd: 'ACME', iat: '2026-11-22T10:00:00.000Z', exp: null, seats: 5 };

  it('verifySignedKey', async () => {
    const good = signedKey(key, data);
    const [v, kid, segment, sig] = good.split('.') as [string, string, string, string];
    for (const [k, expected] of [
      [good, true],
      [`${v}.${kid}.${flip(segment, 5)}.${sig}`, false],
      [`${v}.${kid}.${segment}.${flip(sig, 5)}`, false],
      [signedKey(other, data).replace(other.kid, key.kid), false],
    ] as const) {
      const r = await both(() => verifySignedKey(k, { publicKeys: keysJson(key), now: NOW }));
      expect(r.node).toEqual(r.portable);
      expect(r.node.valid).toBe(expected);
    }
  });

  it('verifyResponseSignature', async () => {
    const res = { method: 'POST', path: '/v1/licenses/validate-key', ts: NOW.toISOString(), nonce: 7, body: '{"a":1}' };
    const header = signResponse(key, res);
    for (const [o, expected] of [
      [{ header, body: res.body }, true],
      [{ header, body: '{"a":2}' }, false],
      [{ header: signResponse(other, res).replace(other.kid, key.kid), body: res.body }, false],
    ] as const) {
      const r = await both(() => verifyResponseSignature({ publicKeys: keysJson(key), ...res, ...o, now: NOW }));
      expect(r.node).toEqual(r.portable);
      expect(r.node.valid).toBe(expected);
    }
  });
});

describe('cached keys and kid rotation', () => {
  it('a cached key never verifies a file signed by another key', async () => {
    const oldKey = makeKey();
    const newKey = makeKey();
    const oldFile = licenseFile(oldKey, payload());
    const newFile = licenseFile(newKey, payload());
    const forged = licenseFile(newKey, payload(), { kid: oldKey.kid }); // new key's signature, old key's kid
    const verify = (text: string, keys: object) =>
      verifyLicenseFile(text, { publicKeys: keys as ReturnType<typeof keysJson>, now: NOW });

    // Before the rotation: only the old key (its KeyObject is now cached).
    expect(await verify(oldFile, keysJson(oldKey))).toMatchObject({ valid: true, kid: oldKey.kid });
    expect(await verify(forged, keysJson(oldKey))).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    // During it: both keys; each file verifies with its own key only.
    const both = keysJson(newKey, oldKey);
    expect(await verify(newFile, both)).toMatchObject({ valid: true, kid: newKey.kid });
    expect(await verify(oldFile, both)).toMatchObject({ valid: true, kid: oldKey.kid });
    expect(await verify(forged, both)).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    // After it: the old key is gone from the set — its cached import does not bring it back.
    expect(await verify(oldFile, keysJson(newKey))).toMatchObject({ valid: false, reason: 'UNKNOWN_KID' });
    expect(await verify(forged, keysJson(newKey))).toMatchObject({ valid: false, reason: 'UNKNOWN_KID' });
    // A kid that does not match its key is still refused, though both keys are cached.
    await expect(importPublicKeys([{ kid: oldKey.kid, publicKey: newKey.publicKey }])).rejects.toThrow(TypeError);
  });

  it('imports a key once for every input that lists it, under its own kid only', async () => {
    const a = await importPublicKeys(keysJson(key));
    const b = await importPublicKeys([{ publicKey: key.publicKey }]);
    const c = await importPublicKeys(keysJson(other, key));
    expect(b.get(key.kid)).toBe(a.get(key.kid));
    expect(c.get(key.kid)).toBe(a.get(key.kid));
    expect(c.get(other.kid)).not.toBe(a.get(key.kid));
    expect(a.get(other.kid)).toBeUndefined();
    expect(c.kids.sort()).toEqual([key.kid, other.kid].sort());
  });
});
