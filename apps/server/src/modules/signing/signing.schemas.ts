import { type Static, Type } from '@sinclair/typebox';

/** Public keys as published at /v1/keys and /.well-known/keyward-keys.json (docs/license-files.md). */
export const PublicKey = Type.Object(
  {
    kid: Type.String({ description: 'b64url(SHA-256(raw public key)), first 16 characters' }),
    alg: Type.Literal('Ed25519'),
    publicKey: Type.String({ description: 'b64 of the raw 32-byte Ed25519 public key' }),
    jwk: Type.Object({
      kty: Type.Literal('OKP'),
      crv: Type.Literal('Ed25519'),
      x: Type.String({ description: 'b64url of the raw public key' }),
      kid: Type.String(),
      use: Type.Literal('sig'),
    }),
    createdAt: Type.String({ format: 'date-time' }),
    active: Type.Boolean({ description: 'True for the one key that signs now; older keys only verify' }),
  },
  { title: 'PublicKey' },
);
export type PublicKeyDto = Static<typeof PublicKey>;

export const PublicKeySet = Type.Object({ keys: Type.Array(PublicKey) }, { title: 'PublicKeySet' });
export type PublicKeySetDto = Static<typeof PublicKeySet>;

export const RotationResult = Type.Object(
  {
    key: PublicKey,
    previousKid: Type.Union([Type.String(), Type.Null()], { description: 'The key that signed until now' }),
  },
  { title: 'SigningKeyRotation' },
);
export type RotationResultDto = Static<typeof RotationResult>;
