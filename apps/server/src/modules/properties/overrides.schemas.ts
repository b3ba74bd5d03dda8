import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';
import {
  EnforcementSchema,
  Nullable,
  NullableInput,
  PropertyTypeSchema,
  PropertyValue,
  Text,
} from './properties.schemas.ts';

const Reason = Text({
  maxLength: 1000,
  description: 'Why the customer gets this value (required, not blank), e.g. "deal #4711: 300 calls until June"',
});
const ExpiresAt = Type.String({
  format: 'date-time',
  description: 'When the override stops applying (in the future); the next layer decides after it',
});

export const Override = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    propertyId: Type.String({ format: 'uuid' }),
    property: Type.Object({ id: Type.String(), key: Type.String(), name: Type.String(), type: PropertyTypeSchema }),
    productId: Type.String({ format: 'uuid' }),
    target: Type.Union([Type.Literal('account'), Type.Literal('license')]),
    accountId: Nullable(Type.String({ format: 'uuid' })),
    licenseId: Nullable(Type.String({ format: 'uuid' })),
    value: PropertyValue,
    enforcement: Nullable(EnforcementSchema),
    reason: Type.String(),
    author: Type.Object({ id: Nullable(Type.String()), name: Type.String() }),
    expiresAt: Nullable(Type.String({ format: 'date-time' })),
    /** Computed: not expired. */
    active: Type.Boolean({ description: 'false once expiresAt has passed' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Override' },
);
export type OverrideDto = Static<typeof Override>;

export const CreateOverrideBody = Type.Object(
  {
    propertyId: Type.String({ format: 'uuid' }),
    accountId: Type.Optional(Type.String({ format: 'uuid', description: 'Override for an account (or licenseId)' })),
    licenseId: Type.Optional(Type.String({ format: 'uuid', description: 'Override for one license (or accountId)' })),
    value: PropertyValue,
    enforcement: Type.Optional(EnforcementSchema),
    reason: Reason,
    expiresAt: Type.Optional(ExpiresAt),
  },
  { additionalProperties: false },
);
export type CreateOverrideInput = Static<typeof CreateOverrideBody>;

export const UpdateOverrideBody = Type.Object(
  {
    value: Type.Optional(PropertyValue),
    enforcement: Type.Optional(NullableInput(EnforcementSchema)),
    reason: Type.Optional(Reason),
    expiresAt: Type.Optional(NullableInput(ExpiresAt)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateOverrideInput = Static<typeof UpdateOverrideBody>;

export const OverrideIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListOverridesQuery = Type.Object(
  {
    ...PageQuery,
    accountId: Type.Optional(Type.String({ format: 'uuid', description: 'Overrides of this account' })),
    licenseId: Type.Optional(Type.String({ format: 'uuid', description: 'Overrides of this license' })),
    propertyId: Type.Optional(Type.String({ format: 'uuid' })),
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    includeExpired: Type.Optional(Type.Boolean({ description: 'Also list expired overrides (default: active only)' })),
  },
  { additionalProperties: false },
);
export type ListOverridesInput = Static<typeof ListOverridesQuery>;
