import { type Static, Type } from '@sinclair/typebox';
import { Fingerprint, LicenseKeyField } from '../client/client.schemas.ts';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from './license-payload.ts';

const TtlSeconds = Type.Integer({
  minimum: MIN_TTL_SECONDS,
  maximum: MAX_TTL_SECONDS,
  description: `How long the file is valid (meta.expiresAt = issuedAt + ttl); default ${DEFAULT_TTL_SECONDS} (30 days)`,
});
const Encrypt = Type.Boolean({
  description:
    'Encrypt the payload (AES-256-GCM) with a key derived from the license key (and the fingerprint, if given)',
});
const FileFingerprint = Type.String({
  minLength: Fingerprint.minLength,
  maxLength: Fingerprint.maxLength,
  description: 'Bind the file to this machine; it must be activated on the license',
});

// A type array rather than a union: with coercion on, a union would turn 5 into "5" (or "5" into 5).
const Nonce = Type.Unsafe<string | number>({
  type: ['string', 'integer'],
  maxLength: 128,
  description: 'Bound into the Keyward-Signature of the response (string of up to 128 characters or integer)',
});

export const CheckOutBody = Type.Object(
  {
    ttlSeconds: Type.Optional(TtlSeconds),
    encrypt: Type.Optional(Encrypt),
    fingerprint: Type.Optional(FileFingerprint),
  },
  { additionalProperties: false },
);
export type CheckOutInput = Static<typeof CheckOutBody>;

export const ClientCheckOutBody = Type.Object(
  {
    key: LicenseKeyField,
    fingerprint: Type.Optional(FileFingerprint),
    ttlSeconds: Type.Optional(TtlSeconds),
    encrypt: Type.Optional(Encrypt),
    nonce: Type.Optional(Nonce),
  },
  { additionalProperties: false },
);
export type ClientCheckOutInput = Static<typeof ClientCheckOutBody>;

export const LicenseFile = Type.Object(
  {
    certificate: Type.String({ description: 'The armored license file (-----BEGIN KEYWARD LICENSE----- …)' }),
    alg: Type.Union([Type.Literal('ed25519'), Type.Literal('aes-256-gcm+ed25519')]),
    kid: Type.String({ description: 'Id of the key that signed the file (GET /v1/keys)' }),
    issuedAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time', description: 'Refresh the file online before this' }),
    ttlSeconds: Type.Integer(),
  },
  { title: 'LicenseFile' },
);
export type LicenseFileDto = Static<typeof LicenseFile>;
