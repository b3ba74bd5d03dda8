import type { SigningKeyRow } from '../../platform/db/schema.ts';
import type { PublicKeyDto } from './signing.schemas.ts';

/** A signing key without its (encrypted) private key. */
export type PublicKeyRow = Omit<SigningKeyRow, 'private_key_enc'>;

export function presentPublicKey(row: PublicKeyRow): PublicKeyDto {
  return {
    kid: row.kid,
    alg: 'Ed25519',
    publicKey: row.public_key,
    jwk: {
      kty: 'OKP',
      crv: 'Ed25519',
      x: Buffer.from(row.public_key, 'base64').toString('base64url'),
      kid: row.kid,
      use: 'sig',
    },
    createdAt: row.created_at.toISOString(),
    active: row.active,
    endorsement:
      row.endorsed_by !== null && row.endorsement !== null ? { kid: row.endorsed_by, sig: row.endorsement } : null,
  };
}
