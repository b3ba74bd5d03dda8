import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DOC_PATH, testVectorsMarkdown, withVectors } from '../scripts/test-vectors.ts';
import {
  followKeyChain,
  kidOfPublicKey,
  Rejected,
  verifyEd25519,
  verifyLicenseFile,
  verifyResponseSignature,
  verifySignedKey,
} from './support/spec-verifier.ts';

/*
 * The test vectors at the end of docs/license-files.md: exactly what scripts/test-vectors.ts prints (so the document
 * cannot drift from the code), and valid by the document's own steps — read back from the document, verified with
 * node:crypto only (support/spec-verifier.ts imports nothing from the server).
 */

const doc = readFileSync(DOC_PATH, 'utf8');
const section = doc.slice(doc.indexOf('\n## Test vectors\n') + 1);

/** The fenced code blocks under a "### <title>" heading of the section. */
function blocks(titleStart: string): string[] {
  const part = section.split('\n### ').find((p) => p.startsWith(titleStart));
  if (!part) throw new Error(`no section ${titleStart}`);
  return [...part.matchAll(/```[a-z]*\n([\s\S]*?)\n```/g)].map((m) => m[1]!);
}

function input(name: string): string {
  const row = section.split('\n').find((l) => l.startsWith(`| ${name}`));
  const value = row?.match(/`([^`]+)`/)?.[1];
  if (!value) throw new Error(`no input ${name}`);
  return value;
}

describe('test vectors in docs/license-files.md', () => {
  it('are exactly what the script prints, at the end of the document', async () => {
    const vectors = await testVectorsMarkdown();
    expect(section).toBe(vectors);
    expect(withVectors(doc, vectors)).toBe(doc);
    expect(doc.endsWith(vectors)).toBe(true);
  });

  const publicKey = input('Public key (b64');
  const kid = input('kid');
  const keys = { [kid]: publicKey };
  const licenseKey = input('License key');
  const fingerprint = input('Machine fingerprint');
  const issuedAt = new Date(input('Issued at'));
  const now = new Date(issuedAt.getTime() + 60_000);

  it('name the key by its kid, and the RFC 8032 TEST 1 public key', () => {
    expect(kidOfPublicKey(publicKey)).toBe(kid);
    expect(Buffer.from(publicKey, 'base64').toString('hex')).toBe(
      'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a',
    );
  });

  it('plain file: verifies, and its payload is the one printed', () => {
    const [payloadJson, envelopeJson, file] = blocks('1. ');
    const payload = verifyLicenseFile(file!, keys, { now });
    expect(payload).toEqual(JSON.parse(payloadJson!));
    expect(JSON.parse(envelopeJson!)).toMatchObject({ v: 2, alg: 'ed25519', kid, bind: 'license' });
    expect(payload.meta).toEqual({
      issuedAt: issuedAt.toISOString(),
      expiresAt: new Date(issuedAt.getTime() + 2_592_000_000).toISOString(),
      ttlSeconds: 2_592_000,
    });
    expect(payload.machine).toBeNull();
  });

  it('encrypted file: decrypts with SHA-256(license key) to the same payload', () => {
    const [payloadJson] = blocks('1. ');
    const [envelopeJson, file] = blocks('2. ');
    expect(JSON.parse(envelopeJson!)).toMatchObject({ v: 2, alg: 'aes-256-gcm+ed25519', bind: 'license' });
    expect(verifyLicenseFile(file!, keys, { now, licenseKey })).toEqual(JSON.parse(payloadJson!));
    // The key as a user types it: canonicalised as the document says.
    expect(verifyLicenseFile(file!, keys, { now, licenseKey: ` ${licenseKey.toLowerCase()} ` })).toEqual(
      JSON.parse(payloadJson!),
    );
    expect(() => verifyLicenseFile(file!, keys, { now })).toThrow(new Rejected('KEY_REQUIRED'));
  });

  it('machine-bound file: the envelope says so; decrypts only with the fingerprint and states the machine', () => {
    const [payloadJson, envelopeJson, file] = blocks('3. ');
    expect(JSON.parse(envelopeJson!)).toMatchObject({ v: 2, bind: 'machine' });
    const payload = verifyLicenseFile(file!, keys, { now, licenseKey, fingerprint });
    expect(payload).toEqual(JSON.parse(payloadJson!));
    expect(payload.machine.fingerprint).toBe(fingerprint);
    expect(() => verifyLicenseFile(file!, keys, { now, licenseKey, fingerprint: 'other' })).toThrow(
      new Rejected('DECRYPT_FAILED'),
    );
    expect(() => verifyLicenseFile(file!, keys, { now, licenseKey })).toThrow(new Rejected('FINGERPRINT_MISMATCH'));
  });

  it('file of an imported key: PBKDF2 with the printed salt and iterations; the exact key only', () => {
    const [payloadJson, envelopeJson, file] = blocks('4. ');
    const imported = input('Imported license key');
    const envelope = JSON.parse(envelopeJson!);
    expect(envelope).toMatchObject({ v: 2, alg: 'pbkdf2-sha256+aes-256-gcm+ed25519', bind: 'license' });
    const [iterations, salt] = envelope.enc.split('.');
    expect(iterations).toBe(input('PBKDF2 iterations'));
    expect(Buffer.from(salt, 'base64url').toString('hex')).toBe(input('PBKDF2 salt'));
    const payload = verifyLicenseFile(file!, keys, { now, licenseKey: imported });
    expect(payload).toEqual(JSON.parse(payloadJson!));
    expect(payload.license.key).toBe(imported);
    expect(() => verifyLicenseFile(file!, keys, { now, licenseKey: imported.toLowerCase() })).toThrow(
      new Rejected('DECRYPT_FAILED'),
    );
  });

  it('version 1 file: still verifies, to the payload of 3', () => {
    const [payloadJson] = blocks('3. ');
    const [envelopeJson, file] = blocks('5. ');
    expect(JSON.parse(envelopeJson!)).toEqual({
      v: 1,
      alg: 'aes-256-gcm+ed25519',
      kid,
      enc: expect.any(String),
      sig: expect.any(String),
    });
    expect(verifyLicenseFile(file!, keys, { now, licenseKey, fingerprint })).toEqual(JSON.parse(payloadJson!));
  });

  it('signed key: verifies and carries the printed data', () => {
    const [dataJson, key] = blocks('6. ');
    expect(key!.startsWith(`KW1.${kid}.`)).toBe(true);
    expect(verifySignedKey(key!, keys)).toEqual(JSON.parse(dataJson!));
  });

  it('signed responses: v=1 for the string nonce, v=2 for the integer one; each only for its own type', () => {
    const [body, signedBytes, headerLine] = blocks('7. ');
    const nonce = section.match(/"nonce": "([^"]+)"/)![1]!;
    const header = headerLine!.replace(/^Keyward-Signature: /, '');
    const ts = header.match(/ts=([^;]+)/)![1]!;
    const request = { method: 'POST', path: '/v1/licenses/validate-key', nonce };
    expect(verifyResponseSignature(header, keys, request, body!)).toEqual({ kid, ts });
    expect(signedBytes!.split('\n')).toHaveLength(5);
    const sig = header.match(/sig=(\S+)/)![1]!;
    expect(verifyEd25519(publicKey, Buffer.from(signedBytes!, 'utf8'), sig)).toBe(true);
    expect(() => verifyResponseSignature(header, keys, { ...request, nonce: 'replayed' }, body!)).toThrow(
      new Rejected('BAD_SIGNATURE'),
    );

    const [integerBytes, integerHeaderLine] = blocks('8. ');
    const integerNonce = Number(section.match(/"nonce": (\d+)/)![1]);
    const integerHeader = integerHeaderLine!.replace(/^Keyward-Signature: /, '');
    expect(integerHeader.startsWith('v=2;')).toBe(true);
    expect(integerBytes!.split('\n')[3]).toBe(`i:${integerNonce}`);
    const integerRequest = { ...request, nonce: integerNonce };
    expect(verifyResponseSignature(integerHeader, keys, integerRequest, body!)).toEqual({ kid, ts });
    const integerSig = integerHeader.match(/sig=(\S+)/)![1]!;
    expect(verifyEd25519(publicKey, Buffer.from(integerBytes!, 'utf8'), integerSig)).toBe(true);
    expect(() =>
      verifyResponseSignature(integerHeader, keys, { ...request, nonce: String(integerNonce) }, body!),
    ).toThrow(new Rejected('BAD_SIGNATURE'));
  });

  it('key chain: the endorsement verifies with the first key over the printed bytes, and extends a pinned set', () => {
    const [bytes, endorsementJson] = blocks('9. ');
    const nextKey = input('Next key: public key');
    const nextKid = input('Next key: kid');
    expect(kidOfPublicKey(nextKey)).toBe(nextKid);
    expect(bytes).toBe(`keyward-key-endorsement/1/${kid}/${nextKid}/${nextKey}`);
    const endorsement = JSON.parse(endorsementJson!);
    expect(verifyEd25519(publicKey, Buffer.from(bytes!, 'ascii'), endorsement.sig)).toBe(true);
    const published = [
      { kid: nextKid, publicKey: nextKey, endorsement },
      { kid, publicKey, endorsement: null },
    ];
    expect(followKeyChain(keys, published)).toEqual({ [kid]: publicKey, [nextKid]: nextKey });
    const forged = { ...endorsement, sig: endorsement.sig.replace(/^./, (c: string) => (c === 'A' ? 'B' : 'A')) };
    expect(followKeyChain(keys, [{ ...published[0]!, endorsement: forged }])).toEqual(keys);
  });
});
