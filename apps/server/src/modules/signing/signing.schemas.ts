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
    endorsement: Type.Union(
      [
        Type.Object({
          kid: Type.String({ description: 'The key this one replaced, which signed it' }),
          sig: Type.String({
            description:
              'b64url Ed25519 signature by that key over keyward-key-endorsement/1/<its kid>/<this kid>/<publicKey>',
          }),
        }),
        Type.Null(),
      ],
      {
        description:
          'The key chain: a key made by a rotation is signed by the key it replaced, so a verifier that pinned the ' +
          'old key can trust this one (SDK: followKeyChain). null for the first key, or when the old key could not ' +
          'be decrypted at rotation (lost KEYWARD_SECRET)',
      },
    ),
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
