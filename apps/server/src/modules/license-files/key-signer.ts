import { createPrivateKey, createPublicKey, type KeyObject, sign } from 'node:crypto';
import { kidOf, rawPublicKey } from '../signing/key-crypto.ts';
import type { Signer } from '../signing/signer.ts';

/*
 * A Signer over one Ed25519 key held in memory: for the test vectors (fixed seed) and tests. The server signs with
 * the signing module's keys (stored encrypted, rotated); this is the same algorithm without storage.
 */

// PKCS#8 DER prefix of an Ed25519 private key; the 32-byte seed follows (RFC 8410).
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519KeyFromSeed(seed: Buffer): KeyObject {
  if (seed.length !== 32) throw new Error('an Ed25519 seed is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_ED25519_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

export interface KeySigner extends Signer {
  kid: string;
  /** Raw 32-byte public key. */
  publicKey: Buffer;
}

export function keySigner(privateKey: KeyObject): KeySigner {
  const publicKey = rawPublicKey(createPublicKey(privateKey));
  const kid = kidOf(publicKey);
  return {
    kid,
    publicKey,
    async sign(message: Uint8Array) {
      return { kid, signature: sign(null, message, privateKey) };
    },
  };
}
