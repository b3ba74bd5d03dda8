import { type Static, Type } from '@sinclair/typebox';
import { Fingerprint, LicenseKeyField, Nonce } from '../client/client.schemas.ts';
import { DEFAULT_TTL_SECONDS, MAX_TTL_SECONDS, MIN_TTL_SECONDS } from './license-payload.ts';

const TtlSeconds = Type.Integer({
  minimum: MIN_TTL_SECONDS,
  maximum: MAX_TTL_SECONDS,
  description:
    `How long the file is valid (meta.expiresAt = issuedAt + ttl); default ${DEFAULT_TTL_SECONDS} (30 days) or the ` +
    "plan's maxOfflineSeconds if lower. Checked out by key: at most the plan's maxOfflineSeconds",
});
const Encrypt = Type.Boolean({
  description:
    'Encrypt the payload (AES-256-GCM) with a key derived from the license key (and the fingerprint, if given): ' +
    'SHA-256 for keys Keyward made, PBKDF2 for imported keys; imported keys under 16 characters cannot encrypt',
});
const FileFingerprint = Type.String({
  minLength: Fingerprint.minLength,
  maxLength: Fingerprint.maxLength,
  description: 'Bind the file to this machine; it must be activated on the license',
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
    alg: Type.Union(
      [Type.Literal('ed25519'), Type.Literal('aes-256-gcm+ed25519'), Type.Literal('pbkdf2-sha256+aes-256-gcm+ed25519')],
      {
        description:
          'ed25519: signed; aes-256-gcm+ed25519: also encrypted under SHA-256 of the key (keys Keyward made); ' +
          'pbkdf2-sha256+aes-256-gcm+ed25519: encrypted under PBKDF2 of an imported key',
      },
    ),
    bind: Type.Union([Type.Literal('license'), Type.Literal('machine')], {
      description: 'machine: the file names one activated machine and is valid only there (signed in the envelope)',
    }),
    kid: Type.String({ description: 'Id of the key that signed the file (GET /v1/keys)' }),
    issuedAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.String({ format: 'date-time', description: 'Refresh the file online before this' }),
    ttlSeconds: Type.Integer(),
  },
  { title: 'LicenseFile' },
);
export type LicenseFileDto = Static<typeof LicenseFile>;
