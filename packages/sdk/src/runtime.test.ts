/** The Node fast paths (runtime.ts) and the portable ones give the same answers; detection never throws. */
import { createHash, createPublicKey, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { makeKey } from '../test/spec-fixtures.ts';
import { aesGcmDecrypt, importEd25519, sha256, verifyEd25519, verifyEd25519Sync } from './crypto.ts';
import { type Bytes, fromB64, fromB64url, utf8 } from './encoding.ts';
import { nodeBuffer, nodeCrypto, nodeProcess, setNodeFastPaths } from './runtime.ts';

afterEach(() => setNodeFastPaths(true));

/** `fn` with the Node fast paths, then with WebCrypto and the portable decoders. */
async function both<T>(fn: () => T | Promise<T>): Promise<{ node: T; portable: T }> {
  setNodeFastPaths(true);
  const node = await fn();
  setNodeFastPaths(false);
  try {
    return { node, portable: await fn() };
  } finally {
    setNodeFastPaths(true);
  }
}

const rawOf = (b64: string): Bytes => new Uint8Array(Buffer.from(b64, 'base64'));
const bytes = (b: Buffer | Uint8Array): Bytes => new Uint8Array(b);

describe('runtime detection', () => {
  it('finds Node only through a string process.versions.node, and never throws', () => {
    expect(nodeProcess({})).toBeNull();
    expect(nodeProcess({ process: {} })).toBeNull();
    expect(nodeProcess({ process: { versions: { node: 20 } } })).toBeNull();
    const throwing = Object.defineProperty({}, 'process', {
      get() {
        throw new Error('no process here');
      },
    });
    expect(nodeProcess(throwing)).toBeNull();
    expect(nodeProcess({ process: { versions: { node: '20.19.0' } } })).not.toBeNull();
    expect(nodeProcess()).toBe(process);
  });

  it('loads node:crypto synchronously on this Node (it passed its self-test), and none when switched off', () => {
    const c = nodeCrypto();
    expect(c).not.toBeNull();
    expect(c).not.toBeInstanceOf(Promise);
    expect(nodeBuffer()).toBe(Buffer);
    setNodeFastPaths(false);
    expect(nodeCrypto()).toBeNull();
    expect(nodeBuffer()).toBeNull();
  });
});

describe('Ed25519: node:crypto and WebCrypto agree', () => {
  const key = makeKey();
  const other = makeKey();
  const message = utf8('keyward-license/1/ed25519/kid/payload');
  const sig = bytes(sign(null, message, key.privateKey));
  // S + L (the group order): the same curve equation, but not canonical — both must reject it.
  const L = 2n ** 252n + 27742317777372353535851937790883648493n;
  const s = BigInt(`0x${Buffer.from(sig.slice(32)).reverse().toString('hex')}`) + L;
  const sPlusL = bytes(
    Buffer.concat([sig.slice(0, 32), Buffer.from(s.toString(16).padStart(64, '0'), 'hex').reverse()]),
  );
  const flipped = (b: Bytes, i: number) => bytes(b.map((x, j) => (j === i ? x ^ 1 : x)));

  const cases: [string, string, Bytes, Bytes, boolean | null][] = [
    ['valid', key.publicKey, sig, message, true],
    ['changed message', key.publicKey, sig, flipped(message, 5), false],
    ['changed signature (R)', key.publicKey, flipped(sig, 3), message, false],
    ['changed signature (S)', key.publicKey, flipped(sig, 40), message, false],
    ['another key', other.publicKey, sig, message, false],
    ['non-canonical S + L', key.publicKey, sPlusL, message, false],
    ['63-byte signature', key.publicKey, sig.slice(0, 63), message, false],
    ['65-byte signature', key.publicKey, bytes(Buffer.concat([sig, Buffer.from([0])])), message, false],
    // A small-order key with an all-zero signature: whatever the platform answers, both paths answer the same.
    ['identity key, zero signature', Buffer.alloc(32).toString('base64'), new Uint8Array(64), message, null],
    ['not a curve point', Buffer.alloc(32, 0xff).toString('base64'), sig, message, false],
  ];

  it.each(cases)('%s', async (_name, publicKey, signature, msg, expected) => {
    const cryptoKey = await importEd25519(rawOf(publicKey));
    const r = await both(() => verifyEd25519(cryptoKey, signature, msg));
    expect(r.node).toBe(r.portable);
    if (expected !== null) expect(r.node).toBe(expected);
  });

  it('takes the synchronous path only for an Ed25519 verify key of this runtime', async () => {
    const cryptoKey = await importEd25519(rawOf(key.publicKey));
    expect(verifyEd25519Sync(cryptoKey, sig, message)).toBe(true);
    const signOnly = await crypto.subtle.importKey('raw', rawOf(key.publicKey), { name: 'Ed25519' }, false, []);
    expect(verifyEd25519Sync(signOnly, sig, message)).toBeUndefined();
    expect(await both(() => verifyEd25519(signOnly, sig, message))).toEqual({ node: false, portable: false });
    const hmac = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'verify',
    ]);
    expect(verifyEd25519Sync(hmac, sig, message)).toBeUndefined();
    expect(await verifyEd25519(hmac, sig, message)).toBe(false);
    setNodeFastPaths(false);
    expect(verifyEd25519Sync(cryptoKey, sig, message)).toBeUndefined();
  });

  it('the self-test vector is the RFC 8032 one', () => {
    const k = createPublicKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: 'PUAXw-hDiVqStwqnTRt-vJyYLM8uxJaMwM1V8Sr0Zgw' },
      format: 'jwk',
    });
    expect(k.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex')).toBe(
      '3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c',
    );
  });
});

describe('SHA-256 and AES-256-GCM: node:crypto and WebCrypto agree', () => {
  it('hashes the same', async () => {
    for (const input of ['', 'keyward', 'é'.repeat(1000)]) {
      const r = await both(() => sha256(input));
      expect(Buffer.from(r.node).toString('hex')).toBe(createHash('sha256').update(input, 'utf8').digest('hex'));
      expect(r.portable).toEqual(r.node);
    }
  });

  it('decrypts the same, and refuses the same', async () => {
    const { createCipheriv, randomBytes } = await import('node:crypto');
    const key = bytes(randomBytes(32));
    const iv = bytes(randomBytes(12));
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    const ciphertext = bytes(Buffer.concat([cipher.update('{"format":"keyward-license/1"}'), cipher.final()]));
    const tag = bytes(cipher.getAuthTag());
    const wrong = bytes(randomBytes(32));
    const cases: [Bytes, Bytes, Bytes, Bytes][] = [
      [key, iv, ciphertext, tag],
      [wrong, iv, ciphertext, tag],
      [key, iv, ciphertext, tag.map((b, i) => (i === 0 ? b ^ 1 : b)) as Bytes],
      [key, iv, ciphertext.map((b, i) => (i === 3 ? b ^ 1 : b)) as Bytes, tag],
      [key.slice(0, 16), iv, ciphertext, tag],
      [key, iv.slice(0, 8), ciphertext, tag],
    ];
    const results = [];
    for (const [k, i, c, t] of cases) {
      const r = await both(() => aesGcmDecrypt(k, i, c, t));
      expect(r.portable).toEqual(r.node);
      results.push(r.node === null ? null : Buffer.from(r.node).toString('utf8'));
    }
    expect(results).toEqual(['{"format":"keyward-license/1"}', null, null, null, null, null]);
  });
});

describe('base64 decoding: native and portable accept exactly the same strings', () => {
  const samples = [0, 1, 2, 3, 4, 5, 31, 32, 33, 64, 100].map((n) =>
    Buffer.from(Array.from({ length: n }, (_, i) => (i * 37 + n) & 255)),
  );
  const variants = (good: string, alphabet: 'b64' | 'b64url'): string[] => {
    const odd = alphabet === 'b64' ? '-' : '+';
    const out = [good, `${good}=`, `${good}==`, ` ${good}`, `${good}\n`, `${good}${odd}`, `${good}é`, `${good}A`];
    out.push(good.replace(/=+$/, ''), good.slice(0, -1), good.slice(1), `${good.slice(0, 2)}=${good.slice(2)}`);
    for (let i = 0; i < good.length; i++) {
      const c = good.charCodeAt(i);
      out.push(good.slice(0, i) + String.fromCharCode(c === 65 ? 66 : 65) + good.slice(i + 1));
      out.push(`${good.slice(0, i)}\u00a0${good.slice(i + 1)}`);
    }
    return out;
  };

  it.each([
    ['b64', fromB64],
    ['b64url', fromB64url],
  ] as const)('%s', async (alphabet, decode) => {
    let accepted = 0;
    let checked = 0;
    for (const sample of samples) {
      const good = sample.toString(alphabet === 'b64' ? 'base64' : 'base64url');
      for (const text of variants(good, alphabet)) {
        const r = await both(() => decode(text));
        expect(r.node === null ? null : [...r.node], JSON.stringify(text)).toEqual(
          r.portable === null ? null : [...r.portable],
        );
        checked++;
        if (r.node) accepted++;
      }
      expect([...(decode(good) ?? [])]).toEqual([...sample]);
    }
    // Both canonical and broken strings were among them (non-zero unused bits included: one changed last char).
    expect(accepted).toBeGreaterThan(samples.length);
    expect(checked - accepted).toBeGreaterThan(samples.length * 10);
  });
});
