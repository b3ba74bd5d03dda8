import { type Static, Type } from '@sinclair/typebox';
import { Machine } from '../machines/machines.schemas.ts';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

export const LicenseKeyField = Type.String({
  minLength: 1,
  maxLength: 512,
  description:
    'The license key. Keyward-format keys are read in their canonical form (case and spaces ignored, I/L read as 1, ' +
    'O as 0); other keys (imported, KW1.) exactly, trimmed. Every spelling shares the key’s rate limit.',
});
export const Fingerprint = Type.String({
  minLength: 1,
  maxLength: 255,
  description: 'Stable id of the machine, computed by the product',
});

export const ValidationScope = Type.Object(
  {
    product: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Product code or id' })),
    fingerprint: Type.Optional(Fingerprint),
    domain: Type.Optional(Type.String({ format: 'hostname', minLength: 1, maxLength: 253 })),
    entitlements: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
    releasedAt: Type.Optional(Type.String({ format: 'date-time', description: 'Release date of the calling build' })),
  },
  { additionalProperties: false },
);
export type ValidationScopeInput = Static<typeof ValidationScope>;

// A type array rather than a union: with coercion on, a union would turn 5 into "5" (or "5" into 5). Integers stay
// within ±(2^53 - 1) so that the decimal the server signs (Keyward-Signature) is the one the client sent. A string
// nonce is 1–128 characters: never empty (that would sign like no nonce), and no lone UTF-16 surrogates (UTF-8
// cannot carry them: "\ud800" and "\ud801" would sign alike). The signature keeps the two types apart
// (docs/license-files.md, "Signed responses").
export const Nonce = Type.Unsafe<string | number>({
  type: ['string', 'integer'],
  minLength: 1,
  maxLength: 128,
  pattern: '^[^\\uD800-\\uDFFF]+$',
  minimum: -Number.MAX_SAFE_INTEGER,
  maximum: Number.MAX_SAFE_INTEGER,
  description:
    'Bound into the Keyward-Signature response header (and echoed in meta.nonce by validate-key): a string of 1 ' +
    'to 128 characters (no lone surrogates), or a safe integer (signed as a different message than the same ' +
    "digits as a string). Required when the license's plan has requireNonce",
});

export const ValidateKeyBody = Type.Object(
  { key: LicenseKeyField, scope: Type.Optional(ValidationScope), nonce: Type.Optional(Nonce) },
  { additionalProperties: false },
);
export type ValidateKeyInput = Static<typeof ValidateKeyBody>;

export const ClientLicense = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    key: Type.String(),
    productId: Type.String({ format: 'uuid' }),
    productCode: Type.String(),
    planName: Type.String(),
    type: Type.String(),
    status: Type.String(),
    startsAt: DateTime,
    expiresAt: Nullable(DateTime),
    graceEndsAt: Nullable(DateTime),
    maintenanceEndsAt: Nullable(DateTime),
    maxMachines: Nullable(Type.Integer({ description: 'Seats (null = unlimited); 1 on node-locked plans' })),
    machineCount: Type.Integer({ description: 'Machines holding a seat (dead heartbeat machines excluded)' }),
    domains: Type.Array(Type.String()),
    entitlements: Type.Array(Type.String(), { description: "The plan's entitlements plus the license's own" }),
    accountId: Type.String({ format: 'uuid' }),
    accountName: Type.String(),
  },
  { title: 'ClientLicense' },
);
export type ClientLicenseDto = Static<typeof ClientLicense>;

export const ValidationResult = Type.Object(
  {
    valid: Type.Boolean(),
    code: Type.String({ description: 'VALID or why not (or why valid with a caveat), e.g. EXPIRED' }),
    detail: Type.String(),
    license: Nullable(ClientLicense),
    meta: Type.Object({
      ts: DateTime,
      nonce: Nullable(Type.Unsafe<string | number>({ type: ['string', 'integer'] })),
      scope: Nullable(ValidationScope),
    }),
  },
  { title: 'ValidationResult' },
);
export type ValidationResultDto = Static<typeof ValidationResult>;

export const ActivateBody = Type.Object(
  {
    key: LicenseKeyField,
    fingerprint: Fingerprint,
    hostname: Type.Optional(Type.String({ maxLength: 255 })),
    platform: Type.Optional(Type.String({ maxLength: 255 })),
    nonce: Type.Optional(Nonce),
  },
  { additionalProperties: false },
);
export type ActivateInput = Static<typeof ActivateBody>;

export const MachineKeyBody = Type.Object(
  { key: LicenseKeyField, fingerprint: Fingerprint },
  { additionalProperties: false },
);
export type MachineKeyInput = Static<typeof MachineKeyBody>;

export const HeartbeatBody = Type.Object(
  { key: LicenseKeyField, fingerprint: Fingerprint, nonce: Type.Optional(Nonce) },
  { additionalProperties: false },
);
export type HeartbeatInput = Static<typeof HeartbeatBody>;

export const ActivationResult = Type.Object(
  { machine: Machine, license: ClientLicense },
  { title: 'ActivationResult' },
);
export type ActivationResultDto = Static<typeof ActivationResult>;

export const HeartbeatResult = Type.Object(
  {
    machine: Machine,
    nextHeartbeatDueAt: Nullable(
      Type.String({ format: 'date-time', description: 'Send the next heartbeat before this (null: not needed)' }),
    ),
  },
  { title: 'HeartbeatResult' },
);
export type HeartbeatResultDto = Static<typeof HeartbeatResult>;
