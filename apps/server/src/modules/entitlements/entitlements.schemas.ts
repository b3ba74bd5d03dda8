import { type Static, type TLiteral, Type } from '@sinclair/typebox';
import { Fingerprint, LicenseKeyField, Nonce } from '../client/client.schemas.ts';
import {
  EnforcementSchema,
  Nullable,
  PropertyTypeSchema,
  PropertyValue,
  ResetPeriodSchema,
} from '../properties/properties.schemas.ts';
import type { EntitlementsState as EntitlementsStateType, FlagState } from './entitlements.types.ts';

type EvaluationReason = FlagState['reason'];

const DateTime = Type.String({ format: 'date-time' });
const SourceKind = Type.Union([
  Type.Literal('license_override'),
  Type.Literal('account_override'),
  Type.Literal('plan'),
  Type.Literal('base_plan'),
  Type.Literal('default'),
]);

export const ValueSource = Type.Object(
  {
    kind: SourceKind,
    id: Nullable(Type.String({ description: 'Override id, or plan id for plan values; null for the default' })),
    planName: Nullable(Type.String()),
    reason: Nullable(Type.String()),
    authorName: Nullable(Type.String()),
    expiresAt: Nullable(DateTime),
  },
  { title: 'ValueSource' },
);

export const UsageStateSchema = Type.Object(
  {
    used: Type.Number(),
    limit: Nullable(Type.Number({ description: 'null = unlimited' })),
    remaining: Nullable(Type.Number()),
    enforcement: EnforcementSchema,
    warningAt: Nullable(Type.Number()),
    status: Type.Union([Type.Literal('ok'), Type.Literal('warning'), Type.Literal('exceeded')]),
    resetPeriod: ResetPeriodSchema,
    periodStart: DateTime,
    periodEnd: Nullable(DateTime),
  },
  { title: 'UsageState' },
);

export const TrialStateSchema = Type.Object(
  {
    isTrial: Type.Boolean(),
    startsAt: DateTime,
    endsAt: Nullable(DateTime),
    daysLeft: Nullable(Type.Integer({ description: 'Whole days until endsAt, rounded up; 0 once ended' })),
    graceEndsAt: Nullable(DateTime),
    softExpiry: Type.Boolean({ description: 'Past endsAt the software keeps working (strategy allow or maintain)' }),
    phase: Type.Union([
      Type.Literal('not_started'),
      Type.Literal('active'),
      Type.Literal('grace'),
      Type.Literal('ended'),
    ]),
  },
  { title: 'TrialState' },
);

export const FlagStateSchema = Type.Object(
  {
    key: Type.String(),
    enabled: Type.Boolean(),
    reason: Type.Union(
      ['NOT_FOUND', 'DISABLED', 'PARENT_UNSATISFIED', 'STATIC', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT'].map((r) =>
        Type.Literal(r),
      ) as [TLiteral<EvaluationReason>, ...TLiteral<EvaluationReason>[]],
      { description: 'Why the flag evaluated as it did (maps to OpenFeature reasons)' },
    ),
    variant: Type.Object({
      name: Type.String(),
      enabled: Type.Boolean(),
      featureEnabled: Type.Boolean(),
      payload: Type.Optional(
        Type.Object({
          type: Type.Union([Type.Literal('string'), Type.Literal('json'), Type.Literal('csv'), Type.Literal('number')]),
          value: Type.String(),
        }),
      ),
    }),
  },
  { title: 'FlagState' },
);

export const EntitlementPropertySchema = Type.Object(
  {
    key: Type.String(),
    name: Type.String(),
    type: PropertyTypeSchema,
    value: PropertyValue,
    source: ValueSource,
    enforcement: Nullable(EnforcementSchema),
    unit: Type.String(),
    usage: Nullable(UsageStateSchema),
  },
  { title: 'EntitlementProperty' },
);

export const EntitlementsStateSchema = Type.Object(
  {
    computedAt: DateTime,
    license: Type.Object({
      id: Type.String({ format: 'uuid' }),
      status: Type.String(),
      type: Type.String(),
      plan: Type.Object({ id: Type.String(), name: Type.String() }),
      product: Type.Object({ id: Type.String(), code: Type.String() }),
      account: Type.Object({ id: Type.String(), name: Type.String() }),
    }),
    trial: TrialStateSchema,
    properties: Type.Array(EntitlementPropertySchema),
    flags: Type.Array(FlagStateSchema),
  },
  { title: 'EntitlementsState' },
);
// The response schema and the SDK's type describe the same shape (checked both ways at compile time).
export const toSchemaShape = (s: EntitlementsStateType): Static<typeof EntitlementsStateSchema> => s;
export const toSdkShape = (s: Static<typeof EntitlementsStateSchema>): EntitlementsStateType => s;

const Text = (maxLength: number) => Type.String({ maxLength, pattern: '^[^\\u0000]*$' });

/** Unleash's context fields; the license fields (accountId, licenseId, plan, …) are set by the server. */
export const CheckContextSchema = Type.Object(
  {
    userId: Type.Optional(Text(256)),
    sessionId: Type.Optional(Text(256)),
    remoteAddress: Type.Optional(Text(64)),
    environment: Type.Optional(Text(100)),
    appName: Type.Optional(Text(100)),
    currentTime: Type.Optional(Type.String({ format: 'date-time' })),
    properties: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Text(1000), { maxProperties: 50 })),
  },
  { additionalProperties: false, description: 'Flag evaluation context (Unleash fields)' },
);

export const ClientEntitlementsBody = Type.Object(
  {
    key: LicenseKeyField,
    fingerprint: Type.Optional(Fingerprint),
    context: Type.Optional(CheckContextSchema),
    nonce: Type.Optional(Nonce),
  },
  { additionalProperties: false },
);
export type ClientEntitlementsInput = Static<typeof ClientEntitlementsBody>;

export const ExplainQuery = Type.Object(
  {
    licenseId: Type.Optional(Type.String({ format: 'uuid', description: 'Explain for this license (every layer)' })),
    accountId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Or for an account: account override > default only' }),
    ),
  },
  { additionalProperties: false },
);
export type ExplainInput = Static<typeof ExplainQuery>;

export const TraceEntry = Type.Object({
  source: ValueSource,
  value: PropertyValue,
  outcome: Type.Union([
    Type.Literal('decided'),
    Type.Literal('shadowed'),
    Type.Literal('expired'),
    Type.Literal('absent'),
  ]),
  detail: Type.String({ description: 'A sentence for people' }),
});

export const PropertyExplanation = Type.Object(
  {
    property: Type.Object({
      id: Type.String({ format: 'uuid' }),
      key: Type.String(),
      name: Type.String(),
      type: PropertyTypeSchema,
      productId: Type.String({ format: 'uuid' }),
      unit: Type.String(),
    }),
    scope: Type.Object({
      licenseId: Nullable(Type.String({ format: 'uuid' })),
      accountId: Type.String({ format: 'uuid' }),
    }),
    value: PropertyValue,
    source: ValueSource,
    enforcement: Nullable(EnforcementSchema),
    trace: Type.Array(TraceEntry, { description: 'Every candidate, highest precedence first, and why' }),
    usage: Nullable(UsageStateSchema),
    note: Nullable(Type.String()),
  },
  { title: 'PropertyExplanation' },
);
export type PropertyExplanationDto = Static<typeof PropertyExplanation>;
