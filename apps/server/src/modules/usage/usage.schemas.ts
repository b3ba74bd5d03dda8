import { type Static, type TUnsafe, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';
import { LicenseKeyField, Nonce } from '../client/client.schemas.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends import('@sinclair/typebox').TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
// A plain `enum` (not a union of literals): the type provider infers the literal type from it.
const StringEnum = <const T extends string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, description }) as TUnsafe<T[number]> & {
    type: 'string';
    enum: T;
  };

/** The largest amount one call may add or set (far below 2^53, so sums stay exact). */
export const MAX_AMOUNT = 1_000_000_000_000;

export const PropertyKey = Type.String({
  pattern: '^[a-z][a-z0-9_.-]{0,63}$',
  maxLength: 64,
  description: "The property's key, e.g. api_calls",
  examples: ['api_calls'],
});

const Op = StringEnum(
  ['increment', 'decrement', 'set'],
  'increment (default) or decrement the counter by amount, or set it to amount',
);
const Amount = Type.Integer({
  minimum: 0,
  maximum: MAX_AMOUNT,
  default: 1,
  description: 'A whole number from 0 to 10^12 (default 1)',
});
const IdempotencyKey = Type.String({
  minLength: 1,
  maxLength: 200,
  description:
    'Makes a retried call safe: a call with a key already used on this license answers the recorded outcome ' +
    'and counts nothing again',
});

const meterFields = {
  property: PropertyKey,
  op: Type.Optional(Op),
  amount: Type.Optional(Amount),
  idempotencyKey: Type.Optional(IdempotencyKey),
};

export const ClientUsageBody = Type.Object(
  { key: LicenseKeyField, ...meterFields, nonce: Type.Optional(Nonce) },
  { additionalProperties: false },
);
export type ClientUsageInput = Static<typeof ClientUsageBody>;

const { property: _property, ...adminFields } = meterFields;
export const AdminUsageBody = Type.Object(adminFields, { additionalProperties: false });
export type AdminUsageInput = Static<typeof AdminUsageBody>;

export interface MeterInput {
  op?: 'increment' | 'decrement' | 'set' | undefined;
  amount?: number | undefined;
  idempotencyKey?: string | undefined;
}

export const UsageIdParams = Type.Object({ id: Uuid });
// Any key in the path: one that no property has (whatever its shape) is a 404 PROPERTY_NOT_FOUND.
export const UsagePropertyParams = Type.Object({
  id: Uuid,
  propertyKey: Type.String({ minLength: 1, maxLength: 64, description: "The property's key, e.g. api_calls" }),
});

export const UsageStateSchema = Type.Object(
  {
    used: Type.Integer(),
    limit: Nullable(Type.Integer({ description: 'The effective limit; null = unlimited' })),
    remaining: Nullable(Type.Integer()),
    enforcement: StringEnum(['hard', 'soft'], 'hard: refused beyond the limit; soft: allowed and reported'),
    warningAt: Nullable(Type.Integer({ description: 'Usage at or above this reports warning' })),
    status: StringEnum(['ok', 'warning', 'exceeded'], 'See docs/usage-metering.md'),
    resetPeriod: StringEnum(['none', 'daily', 'monthly', 'yearly'], 'Anchored to the license start, UTC'),
    periodStart: DateTime,
    periodEnd: Nullable(DateTime),
  },
  { title: 'UsageState' },
);

export const UsageResult = Type.Object({
  accepted: Type.Literal(true),
  property: Type.String({ description: "The property's key" }),
  usage: UsageStateSchema,
});
export type UsageResultDto = Static<typeof UsageResult>;

const PropertyRef = Type.Object({
  id: Uuid,
  key: Type.String(),
  name: Type.String(),
  unit: Type.String(),
});

export const LicenseUsage = Type.Object({
  licenseId: Uuid,
  data: Type.Array(Type.Object({ property: PropertyRef, usage: UsageStateSchema })),
});
export type LicenseUsageDto = Static<typeof LicenseUsage>;

export const UsageEvent = Type.Object({
  id: Type.String({ description: 'Increasing with time' }),
  at: DateTime,
  op: StringEnum(['increment', 'decrement', 'set', 'reset'], 'What the call did'),
  amount: Type.Integer(),
  accepted: Type.Boolean(),
  usedAfter: Type.Integer({ description: 'The counter after the call (unchanged when refused)' }),
  limit: Nullable(Type.Integer({ description: 'The limit the call was metered against; null = unlimited' })),
  enforcement: StringEnum(['hard', 'soft'], 'The enforcement the call was metered against'),
  code: Type.String({ description: 'OK, or why it was refused (USAGE_LIMIT_EXCEEDED, …)' }),
  idempotencyKey: Nullable(Type.String()),
  source: StringEnum(['client', 'admin'], 'The client API (license key) or the admin API'),
  actorName: Type.String(),
  periodStart: DateTime,
});
export type UsageEventDto = Static<typeof UsageEvent>;

export const UsagePeriodTotal = Type.Object({
  periodStart: DateTime,
  periodEnd: Nullable(DateTime),
  used: Type.Integer({ description: 'The counter of that period (its final total once the period has ended)' }),
  current: Type.Boolean(),
});

export const UsageHistoryQuery = Type.Object(PageQuery, { additionalProperties: false });
export type UsageHistoryInput = Static<typeof UsageHistoryQuery>;

export const UsageHistory = Type.Object({
  property: PropertyRef,
  usage: UsageStateSchema,
  /** Events, newest first. */
  data: Type.Array(UsageEvent),
  nextCursor: Nullable(Type.String()),
  periods: Type.Array(UsagePeriodTotal, {
    description: 'The counter of every period that has one, newest first (at most 100)',
  }),
});
export type UsageHistoryDto = Static<typeof UsageHistory>;
