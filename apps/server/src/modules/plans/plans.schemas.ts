import { type Static, type TUnsafe, Type } from '@sinclair/typebox';
import type {
  ExpirationStrategy,
  KeyScheme as KeySchemeValue,
  LicenseType as LicenseTypeValue,
} from '../../platform/db/schema.ts';
import { PageQuery } from '../../platform/http/pagination.ts';

/** Text without NUL characters (PostgreSQL text cannot hold them; they would otherwise surface as a 500). */
const Text = (opts: { minLength?: number; maxLength: number; description?: string }) =>
  Type.String({ ...opts, pattern: '^[^\\u0000]*$' });

/**
 * An integer or null. A JSON-schema type list rather than anyOf: with ajv's type coercion an anyOf would turn
 * `null` into 0 (or 0 into null) before the right branch is tried. The intersection keeps the literal `type` in
 * the TS type, which the Fastify type provider (TypeBox 1, structural inference) reads.
 */
const NullableInt = (opts: { minimum: number; maximum: number; description: string }) =>
  Type.Unsafe<number | null>({ type: ['integer', 'null'], ...opts }) as TUnsafe<number | null> & {
    type: ['integer', 'null'];
  };

type StringEnum<T extends string[]> = TUnsafe<T[number]> & { type: 'string'; enum: T };

export const LicenseType = Type.Unsafe<LicenseTypeValue>({
  type: 'string',
  enum: ['trial', 'subscription', 'perpetual', 'custom'],
}) as StringEnum<['trial', 'subscription', 'perpetual', 'custom']>;
export const ExpirationStrategySchema = Type.Unsafe<ExpirationStrategy>({
  type: 'string',
  enum: ['restrict', 'revoke', 'maintain', 'allow'],
  description:
    'What an expired license may still do: restrict (valid only for versions in maintenance), revoke, ' +
    'maintain (keep working) or allow',
}) as StringEnum<['restrict', 'revoke', 'maintain', 'allow']>;

export const KeySchemeSchema = Type.Unsafe<KeySchemeValue>({
  type: 'string',
  enum: ['random', 'ed25519-signed'],
  description:
    'How license keys are made: random (checked online) or ed25519-signed (KW1.… keys that state the license ' +
    'facts at issue and verify offline; see docs/license-files.md)',
}) as StringEnum<['random', 'ed25519-signed']>;

export const EntitlementCode = Type.String({
  pattern: '^[A-Za-z0-9_.:-]{1,64}$',
  description: 'Entitlement code: 1–64 letters, digits, _ . : -',
  examples: ['export.pdf'],
});

/** A plan's maxOfflineSeconds unless it says otherwise: 30 days (migration 007 gives existing plans the same). */
export const DEFAULT_MAX_OFFLINE_SECONDS = 2_592_000;

const fields = {
  durationDays: NullableInt({ minimum: 1, maximum: 36_500, description: 'License duration; null = never expires' }),
  graceDays: Type.Integer({ minimum: 0, maximum: 3_650, description: 'Days a license keeps working after expiry' }),
  maintenanceDays: NullableInt({ minimum: 1, maximum: 36_500, description: 'Maintenance window; null = none' }),
  maxMachines: NullableInt({ minimum: 1, maximum: 1_000_000, description: 'Seat limit; null = unlimited' }),
  floating: Type.Boolean({ description: 'false = node-locked (exactly one machine)' }),
  heartbeatIntervalSeconds: NullableInt({
    minimum: 60,
    maximum: 31_536_000,
    description: 'Machines must heartbeat this often; null = no heartbeat',
  }),
  expirationStrategy: ExpirationStrategySchema,
  requireFingerprint: Type.Boolean(),
  requireDomain: Type.Boolean(),
  entitlements: Type.Array(EntitlementCode, { maxItems: 200, description: 'Entitlement codes (deduplicated)' }),
  keyScheme: KeySchemeSchema,
  maxOfflineSeconds: Type.Integer({
    minimum: 3_600,
    maximum: 315_360_000,
    description:
      'The longest license file a key holder may check out (POST /v1/licenses/check-out, ttlSeconds): how long a ' +
      'suspension or revocation can take to reach an offline installation. Longer files only through the admin ' +
      'API (audited). Default 2592000 (30 days)',
  }),
  maxUnboundFiles: NullableInt({
    minimum: 0,
    maximum: 1_000_000,
    description:
      'How many fingerprint-less license files checked out by key may be valid at one time per license (each ' +
      'counts until it expires): 0 = none, files must be bound to an activated machine; null (default) = as many ' +
      "as the license's seats (unlimited seats: unlimited)",
  }),
  requireNonce: Type.Boolean({
    description:
      'Signed client calls (validate-key, activate, heartbeat, check-out, usage, entitlements, flags) of this ' +
      "plan's licenses must send a nonce (400 NONCE_REQUIRED otherwise), so no signed answer can be replayed",
  }),
  // A type list, not anyOf: with coercion an anyOf would turn null into "" (see NullableInt).
  basePlanId: Type.Unsafe<string | null>({
    type: ['string', 'null'],
    format: 'uuid',
    description:
      "A plan of the same product this plan is based on (one level): it inherits the base plan's property values " +
      'and sets its own where they differ; null = none',
  }) as TUnsafe<string | null> & { type: ['string', 'null'] },
};

export const Plan = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    productId: Type.String({ format: 'uuid' }),
    product: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
    name: Type.String(),
    licenseType: LicenseType,
    ...fields,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Plan' },
);
export type PlanDto = Static<typeof Plan>;

const PlanName = Text({ minLength: 1, maxLength: 200 });

export const CreatePlanBody = Type.Object(
  {
    productId: Type.String({ format: 'uuid' }),
    name: PlanName,
    licenseType: LicenseType,
    durationDays: Type.Optional(fields.durationDays),
    graceDays: Type.Optional(fields.graceDays),
    maintenanceDays: Type.Optional(fields.maintenanceDays),
    maxMachines: Type.Optional(fields.maxMachines),
    floating: Type.Optional(fields.floating),
    heartbeatIntervalSeconds: Type.Optional(fields.heartbeatIntervalSeconds),
    expirationStrategy: Type.Optional(fields.expirationStrategy),
    requireFingerprint: Type.Optional(fields.requireFingerprint),
    requireDomain: Type.Optional(fields.requireDomain),
    entitlements: Type.Optional(fields.entitlements),
    keyScheme: Type.Optional(fields.keyScheme),
    basePlanId: Type.Optional(fields.basePlanId),
    maxOfflineSeconds: Type.Optional(fields.maxOfflineSeconds),
    maxUnboundFiles: Type.Optional(fields.maxUnboundFiles),
    requireNonce: Type.Optional(fields.requireNonce),
  },
  { additionalProperties: false },
);
export type CreatePlanInput = Static<typeof CreatePlanBody>;

export const UpdatePlanBody = Type.Object(
  {
    name: Type.Optional(PlanName),
    licenseType: Type.Optional(LicenseType),
    durationDays: Type.Optional(fields.durationDays),
    graceDays: Type.Optional(fields.graceDays),
    maintenanceDays: Type.Optional(fields.maintenanceDays),
    maxMachines: Type.Optional(fields.maxMachines),
    floating: Type.Optional(fields.floating),
    heartbeatIntervalSeconds: Type.Optional(fields.heartbeatIntervalSeconds),
    expirationStrategy: Type.Optional(fields.expirationStrategy),
    requireFingerprint: Type.Optional(fields.requireFingerprint),
    requireDomain: Type.Optional(fields.requireDomain),
    entitlements: Type.Optional(fields.entitlements),
    keyScheme: Type.Optional(fields.keyScheme),
    basePlanId: Type.Optional(fields.basePlanId),
    maxOfflineSeconds: Type.Optional(fields.maxOfflineSeconds),
    maxUnboundFiles: Type.Optional(fields.maxUnboundFiles),
    requireNonce: Type.Optional(fields.requireNonce),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePlanInput = Static<typeof UpdatePlanBody>;

export const PlanIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListPlansQuery = Type.Object(
  {
    ...PageQuery,
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    licenseType: Type.Optional(LicenseType),
    q: Type.Optional(Text({ maxLength: 200, description: 'Search the plan name (case-insensitive)' })),
  },
  { additionalProperties: false },
);
export type ListPlansInput = Static<typeof ListPlansQuery>;
