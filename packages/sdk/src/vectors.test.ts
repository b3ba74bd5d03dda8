import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
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

describe('spec test vectors', () => {
  it('finds the inputs and the three license files', () => {
    expect(publicKeys[0]!.kid).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(licenseKey).not.toBe('');
    expect(files).toHaveLength(3);
  });

  it('verifies 1. plain, 2. encrypted and 3. machine-bound encrypted files', async () => {
    const [plain, encrypted, bound] = files as [string, string, string];
    expect(await verifyLicenseFile(plain, { publicKeys, now })).toMatchObject({ valid: true, alg: 'ed25519' });
    expect(await verifyLicenseFile(encrypted, { publicKeys, now, licenseKey })).toMatchObject({
      valid: true,
      alg: 'aes-256-gcm+ed25519',
      payload: { license: { key: licenseKey }, machine: null },
    });
    expect(await verifyLicenseFile(bound, { publicKeys, now, licenseKey, fingerprint })).toMatchObject({
      valid: true,
      payload: { machine: { fingerprint } },
    });
    expect(await verifyLicenseFile(bound, { publicKeys, now, licenseKey, fingerprint: 'other' })).toMatchObject({
      valid: false,
      reason: 'DECRYPTION_FAILED',
    });
  });

  it('verifies 4. the signed key', async () => {
    const key = /^KW1\.\S+$/m.exec(vectors)?.[0] ?? '';
    expect(await verifySignedKey(key, { publicKeys, now })).toMatchObject({ valid: true, data: { prd: 'ACME' } });
  });

  it('verifies 5. the signed response', async () => {
    const section = vectors.slice(vectors.indexOf('### 5.'));
    const nonce = /"nonce": "([^"]+)"/.exec(section)?.[1];
    const body = /```json\n(.*)\n```/.exec(section)?.[1] ?? '';
    const header = /Keyward-Signature: (.*)/.exec(section)?.[1];
    const ts = /ts=([^;]+);/.exec(header ?? '')?.[1] ?? '';
    const check = (n: string | undefined) =>
      verifyResponseSignature({
        publicKeys,
        header,
        method: 'POST',
        path: '/v1/licenses/validate-key',
        nonce: n,
        body,
        now: new Date(ts),
      });
    expect(await check(nonce)).toMatchObject({ valid: true });
    expect(await check('another-nonce')).toMatchObject({ valid: false, reason: 'BAD_SIGNATURE' });
  });
});
