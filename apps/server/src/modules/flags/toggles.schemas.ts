import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';
import { Fingerprint, LicenseKeyField, Nonce } from '../client/client.schemas.ts';
import {
  EvaluatedFlagSchema,
  ExplanationSchema,
  FeatureSchema,
  FlagContextInputSchema,
  FlagContextSchema,
  FlagTypeSchema,
  Nullable,
  SegmentDefinitionSchema,
  StringEnum,
  Text,
} from './definition.schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const Uuid = Type.String({ format: 'uuid' });

export const ToggleScopeSchema = StringEnum(['account', 'license'], 'A toggle for one account or one license');

export const Toggle = Type.Object(
  {
    flagId: Uuid,
    flagKey: Type.String(),
    scope: ToggleScopeSchema,
    targetId: Uuid,
    targetName: Nullable(Type.String({ description: 'The account name, or the license name and key' })),
    accountId: Nullable(Type.String({ description: 'The account (of the license, for license toggles)' })),
    enabled: Type.Boolean({ description: 'Forced on (true) or off (false) for this customer' }),
    reason: Type.String(),
    authorId: Nullable(Type.String()),
    authorName: Type.String(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'FlagToggle' },
);
export type ToggleDto = Static<typeof Toggle>;

/** `scope` is checked by the service (account or license), so a path naming no toggle is a 404 like any other. */
export const ToggleParams = Type.Object({
  id: Uuid,
  scope: Type.String({ maxLength: 100, description: 'account or license' }),
  targetId: Uuid,
});
export type ToggleParamsInput = Static<typeof ToggleParams> & { scope: 'account' | 'license' };

export const PutToggleBody = Type.Object(
  {
    enabled: Type.Boolean({ description: 'true: on for this customer; false: off for this customer' }),
    reason: Type.Optional(Text({ maxLength: 500, description: 'Why (shown in the dashboard and explain)' })),
  },
  { additionalProperties: false },
);
export type PutToggleInput = Static<typeof PutToggleBody>;

export const ListTogglesQuery = Type.Object(
  { ...PageQuery, scope: Type.Optional(ToggleScopeSchema), enabled: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type ListTogglesInput = Static<typeof ListTogglesQuery>;

/** A toggle as shown next to a customer's flag. */
const ToggleBrief = Type.Object({
  enabled: Type.Boolean(),
  reason: Type.String(),
  authorName: Type.String(),
  authorId: Nullable(Type.String()),
  updatedAt: DateTime,
});

export const CustomerFlag = Type.Object(
  {
    id: Uuid,
    key: Type.String(),
    description: Type.String(),
    type: FlagTypeSchema,
    enabled: Type.Boolean({ description: "The flag's own switch (off = off for everyone)" }),
    version: Type.Integer(),
    toggle: Type.Object({
      state: StringEnum(['on', 'off', 'none'], "This customer's switch: the license toggle, else the account's"),
      scope: Nullable(ToggleScopeSchema),
      reason: Nullable(Type.String()),
      authorName: Nullable(Type.String()),
      updatedAt: Nullable(DateTime),
    }),
    licenseToggle: Nullable(ToggleBrief),
    accountToggle: Nullable(ToggleBrief),
    evaluated: EvaluatedFlagSchema,
  },
  { title: 'CustomerFlag' },
);

export const CustomerFlags = Type.Object(
  {
    computedAt: DateTime,
    productId: Uuid,
    licenseId: Nullable(Uuid),
    accountId: Uuid,
    context: FlagContextSchema,
    flags: Type.Array(CustomerFlag),
  },
  { title: 'CustomerFlags' },
);
export type CustomerFlagsDto = Static<typeof CustomerFlags>;

export const AccountFlagsQuery = Type.Object(
  {
    productId: Type.Optional(
      Type.String({ format: 'uuid', description: 'The product whose flags to list (required)' }),
    ),
  },
  { additionalProperties: false },
);

export const ExplainFlagBody = Type.Object(
  {
    licenseId: Type.Optional(Type.String({ format: 'uuid', description: 'Explain for this license' })),
    accountId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Or for an account (its toggle; no license fields)' }),
    ),
    context: Type.Optional(FlagContextInputSchema),
  },
  { additionalProperties: false },
);
export type ExplainFlagInput = Static<typeof ExplainFlagBody>;

export const FlagExplainResult = Type.Object(
  {
    flag: Type.Object({ id: Uuid, key: Type.String(), productId: Uuid, version: Type.Integer() }),
    licenseId: Nullable(Uuid),
    accountId: Nullable(Uuid),
    context: FlagContextSchema,
    licenseToggle: Nullable(ToggleBrief),
    accountToggle: Nullable(ToggleBrief),
    explanation: ExplanationSchema,
  },
  { title: 'FlagExplainResult' },
);
export type FlagExplainResultDto = Static<typeof FlagExplainResult>;

export const ClientFlagsBody = Type.Object(
  {
    key: LicenseKeyField,
    fingerprint: Type.Optional(Fingerprint),
    context: Type.Optional(FlagContextInputSchema),
    nonce: Type.Optional(Nonce),
  },
  { additionalProperties: false },
);
export type ClientFlagsInput = Static<typeof ClientFlagsBody>;

/** FlagBundle (packages/sdk/src/entitlements-types.ts) plus the flags evaluated for the request's context. */
export const ClientFlagsResult = Type.Object(
  {
    computedAt: DateTime,
    features: Type.Array(FeatureSchema),
    segments: Type.Array(SegmentDefinitionSchema),
    context: Type.Record(Type.String(), Type.String(), { description: 'License-aware context properties' }),
    evaluated: Type.Array(EvaluatedFlagSchema),
  },
  { title: 'ClientFlags' },
);
