import { afterEach, describe, expect, it } from 'vitest';
import { fakeFetch, signed } from '../test/fake-server.ts';
import {
  endorse,
  keysJson,
  keysJsonWith,
  LICENSE_KEY,
  licenseFile,
  makeKey,
  NOW,
  payload,
} from '../test/spec-fixtures.ts';
import { KeywardClient } from './client.ts';
import { followKeyChain } from './key-chain.ts';
import { verifyLicenseFile } from './license-file.ts';
import { setNodeFastPaths } from './runtime.ts';

/*
 * The key chain (docs/license-files.md, "Key chain"): each rotation's new key is signed by the key it replaced, and
 * an app that pinned an old key follows the links — each one verified — to trust the new ones.
 */

afterEach(() => setNodeFastPaths(true));

const a = makeKey(); // pinned in the app
const b = makeKey(); // first rotation
const c = makeKey(); // second rotation
const mallory = makeKey();
const pinned = keysJson(a);

describe('followKeyChain', () => {
  it('follows a chain of rotations from a pinned key, on both crypto paths', async () => {
    const published = keysJsonWith({ [b.kid]: endorse(a, b), [c.kid]: endorse(b, c) }, c, b, a);
    for (const fast of [true, false]) {
      setNodeFastPaths(fast);
      const result = await followKeyChain(pinned, published);
      expect(result.added).toEqual([b.kid, c.kid]);
      expect(result.rejected).toEqual([]);
      expect(result.keys.map((k) => k.kid)).toEqual([a.kid, b.kid, c.kid]);
      // The extended set verifies what the newest key signed.
      const file = licenseFile(c, payload());
      expect(await verifyLicenseFile(file, { publicKeys: result.keys, now: NOW })).toMatchObject({ valid: true });
    }
  });

  it('refuses a forged link, and everything after it', async () => {
    // Mallory publishes her key as "endorsed by a", with a signature she made herself.
    const forged = { kid: a.kid, sig: endorse(mallory, mallory).sig };
    const published = keysJsonWith({ [mallory.kid]: forged, [c.kid]: endorse(mallory, c) }, c, mallory, a);
    const result = await followKeyChain(pinned, published);
    expect(result.added).toEqual([]);
    expect(result.rejected).toEqual(
      expect.arrayContaining([
        { kid: mallory.kid, reason: 'BAD_SIGNATURE' },
        { kid: c.kid, reason: 'NOT_CHAINED' },
      ]),
    );
    expect(result.keys.map((k) => k.kid)).toEqual([a.kid]);
    const file = licenseFile(mallory, payload());
    expect(await verifyLicenseFile(file, { publicKeys: result.keys, now: NOW })).toMatchObject({
      valid: false,
      reason: 'UNKNOWN_KID',
    });
  });

  it('a real endorsement moved onto another key, or a key listed under a wrong kid, is not trusted', async () => {
    const moved = keysJsonWith({ [mallory.kid]: endorse(a, b) }, mallory, a);
    expect(await followKeyChain(pinned, moved)).toMatchObject({
      added: [],
      rejected: [{ kid: mallory.kid, reason: 'BAD_SIGNATURE' }],
    });
    const wrongKid = { keys: [{ kid: b.kid, publicKey: mallory.publicKey, endorsement: endorse(a, b) }] };
    expect(await followKeyChain(pinned, wrongKid)).toMatchObject({
      added: [],
      rejected: [{ kid: b.kid, reason: 'MALFORMED' }],
    });
    const unendorsed = keysJson(b, a);
    expect(await followKeyChain(pinned, unendorsed)).toMatchObject({
      added: [],
      rejected: [{ kid: b.kid, reason: 'NOT_CHAINED' }],
    });
  });

  it('needs a pinned key list (TypeError otherwise)', async () => {
    await expect(followKeyChain('nope' as never, keysJson(a))).rejects.toThrow(TypeError);
    await expect(followKeyChain([{ kid: a.kid, publicKey: b.publicKey }], keysJson(a))).rejects.toThrow(TypeError);
  });
});

describe('KeywardClient with pinned keys after a rotation', () => {
  const validation = (nonce: unknown) => ({ valid: true, code: 'VALID', detail: 'ok', license: null, meta: { nonce } });

  function client(signer: typeof a, keys: object) {
    const { fetch, calls } = fakeFetch(signer, (req) => signed(signer, req, 200, validation(req.body.nonce)));
    let keyFetches = 0;
    const served: typeof fetch = async (input, init) => {
      if (new URL(String(input)).pathname !== '/v1/keys') return fetch(input, init);
      keyFetches++;
      return Response.json(keys);
    };
    const kw = new KeywardClient({ baseUrl: 'https://kw.test', fetch: served, publicKeys: pinned });
    return { kw, calls, keyFetches: () => keyFetches };
  }

  it('trusts the new key through the chain, once, and keeps using it', async () => {
    const { kw, calls, keyFetches } = client(b, keysJsonWith({ [b.kid]: endorse(a, b) }, b, a));
    expect(await kw.validateKey(LICENSE_KEY)).toMatchObject({ valid: true });
    expect(await kw.validateKey(LICENSE_KEY)).toMatchObject({ valid: true });
    expect(keyFetches()).toBe(1);
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(2);
  });

  it('refuses a server whose new key is not chained to the pinned one (a forged link)', async () => {
    const forged = { kid: a.kid, sig: endorse(mallory, mallory).sig };
    const { kw } = client(mallory, keysJsonWith({ [mallory.kid]: forged }, mallory, a));
    await expect(kw.validateKey(LICENSE_KEY)).rejects.toMatchObject({ code: 'SIGNATURE_INVALID' });
  });
});
