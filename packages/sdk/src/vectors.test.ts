import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { followKeyChain } from './key-chain.ts';
import { verifyLicenseFile } from './license-file.ts';
import { verifyResponseSignature } from './response-signature.ts';
import { verifySignedKey } from './signed-key.ts';

// The test vectors of the spec (docs/license-files.md, "Test vectors"), verified with the SDK exactly as published.
const spec = readFileSync(new URL('../../../docs/license-files.md', import.meta.url), 'utf8');
const vectors = spec.slice(spec.indexOf('## Test vectors'));
const input = (name: string) => new RegExp(`\\| ${name} \\| \`([^\`]+)\` \\|`).exec(vectors)?.[1] ?? '';
const files = vectors.match(/-----BEGIN KEYWARD LICENSE-----[\s\S]*?-----END KEYWARD LICENSE-----/g) ?? [];
const publicKeys = [{ kid: input('kid'), publicKey: input('Public key \\(b64 of the raw 32 bytes\\)') }];
const licenseKey = input('License key');
const fingerprint = input('Machine fingerprint');
const now = new Date(new Date(input('Issued at \\(server clock\\)')).getTime() + 86400_000);

const section = (n: number) => vectors.slice(vectors.indexOf(`### ${n}.`), vectors.indexOf(`### ${n + 1}.`) >>> 0);

describe('spec test vectors', () => {
  it('finds the inputs and the five license files', () => {
    expect(publicKeys[0]!.kid).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(licenseKey).not.toBe('');
    expect(files).toHaveLength(5);
  });

  it('verifies 1. plain, 2. encrypted and 3. machine-bound encrypted files (envelope version 2)', async () => {
    const [plain, encrypted, bound] = files as [string, string, string];
    expect(await verifyLicenseFile(plain, { publicKeys, now })).toMatchObject({
      valid: true,
      alg: 'ed25519',
      v: 2,
      bind: 'license',
    });
    expect(await verifyLicenseFile(encrypted, { publicKeys, now, licenseKey })).toMatchObject({
      valid: true,
      alg: 'aes-256-gcm+ed25519',
      payload: { license: { key: licenseKey }, machine: null },
    });
    expect(await verifyLicenseFile(bound, { publicKeys, now, licenseKey, fingerprint })).toMatchObject({
      valid: true,
      bind: 'machine',
      payload: { machine: { fingerprint } },
    });
    expect(await verifyLicenseFile(bound, { publicKeys, now, licenseKey, fingerprint: 'other' })).toMatchObject({
      valid: false,
      reason: 'DECRYPTION_FAILED',
    });
  });

  it('verifies 4. the file of an imported key (PBKDF2) and 5. the version 1 file', async () => {
    const imported = input('Imported license key');
    expect(await verifyLicenseFile(files[3]!, { publicKeys, now, licenseKey: imported })).toMatchObject({
      valid: true,
      alg: 'pbkdf2-sha256+aes-256-gcm+ed25519',
      payload: { license: { key: imported } },
    });
    expect(await verifyLicenseFile(files[4]!, { publicKeys, now, licenseKey, fingerprint })).toMatchObject({
      valid: true,
      v: 1,
      bind: 'machine',
    });
  });

  it('verifies 6. the signed key', async () => {
    const key = /^KW1\.\S+$/m.exec(vectors)?.[0] ?? '';
    expect(await verifySignedKey(key, { publicKeys, now })).toMatchObject({ valid: true, data: { prd: 'ACME' } });
  });

  it('verifies 7. and 8. the signed responses, each for its own nonce type only', async () => {
    const body = /```json\n(.*)\n```/.exec(section(7))?.[1] ?? '';
    const check = (n: number, nonce: string | number) => {
      const header = /Keyward-Signature: (.*)/.exec(section(n))?.[1];
      const ts = /ts=([^;]+);/.exec(header ?? '')?.[1] ?? '';
      return verifyResponseSignature({
        publicKeys,
        header,
        method: 'POST',
        path: '/v1/licenses/validate-key',
        nonce,
        body,
        now: new Date(ts),
      });
    };
    const nonce = /"nonce": "([^"]+)"/.exec(section(7))?.[1] ?? '';
    const integer = Number(/"nonce": (\d+)/.exec(section(8))?.[1]);
    expect(await check(7, nonce)).toMatchObject({ valid: true });
    expect(await check(7, 'another-nonce')).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
    expect(await check(8, integer)).toMatchObject({ valid: true });
    expect(await check(8, String(integer))).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
  });

  it('follows 9. the key chain from the first key to the next', async () => {
    const next = { kid: input('Next key: kid'), publicKey: input('Next key: public key \\(b64\\)') };
    const endorsement = JSON.parse(/```json\n(.*)\n```/.exec(section(9))?.[1] ?? 'null');
    const result = await followKeyChain(publicKeys, [{ ...next, endorsement }]);
    expect(result.added).toEqual([next.kid]);
  });
});
