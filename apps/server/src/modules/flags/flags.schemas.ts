import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';
import {
  ConstraintSchema,
  DependencySchema,
  FlagKey,
  FlagTypeSchema,
  StrategySchema,
  Text,
  VariantSchema,
} from './definition.schemas.ts';

const DateTime = Type.String({ format: 'date-time' });
const ProductRef = Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() });

const definitionFields = {
  description: Text({ maxLength: 2000 }),
  type: FlagTypeSchema,
  enabled: Type.Boolean({ description: 'The kill switch: off means off for everyone, per-customer toggles included' }),
  strategies: Type.Array(StrategySchema, {
    maxItems: 100,
    description:
      'Who gets the flag when it is on (any matching strategy switches it on); none = everyone, as in Unleash',
  }),
  variants: Type.Array(VariantSchema, { maxItems: 100 }),
  dependencies: Type.Array(DependencySchema, {
    maxItems: 20,
    description: 'Parent flags of the same product (one level, like Unleash)',
  }),
  impressionData: Type.Boolean(),
};

export const Flag = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    productId: Type.String({ format: 'uuid' }),
    product: ProductRef,
    key: Type.String(),
    ...definitionFields,
    version: Type.Integer({ description: 'Bumped on every change of the flag or of its per-customer toggles' }),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'Flag' },
);
export type FlagDto = Static<typeof Flag>;

export const CreateFlagBody = Type.Object(
  {
    productId: Type.String({ format: 'uuid' }),
    key: FlagKey,
    description: Type.Optional(definitionFields.description),
    type: Type.Optional(definitionFields.type),
    enabled: Type.Optional(definitionFields.enabled),
    strategies: Type.Optional(definitionFields.strategies),
    variants: Type.Optional(definitionFields.variants),
    dependencies: Type.Optional(definitionFields.dependencies),
    impressionData: Type.Optional(definitionFields.impressionData),
  },
  { additionalProperties: false },
);
export type CreateFlagInput = Static<typeof CreateFlagBody>;

/** The key (the name the SDKs use) never changes: create a new flag instead. */
export const UpdateFlagBody = Type.Object(
  {
    description: Type.Optional(definitionFields.description),
    type: Type.Optional(definitionFields.type),
    enabled: Type.Optional(definitionFields.enabled),
    strategies: Type.Optional(definitionFields.strategies),
    variants: Type.Optional(definitionFields.variants),
    dependencies: Type.Optional(definitionFields.dependencies),
    impressionData: Type.Optional(definitionFields.impressionData),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateFlagInput = Static<typeof UpdateFlagBody>;

export const FlagIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListFlagsQuery = Type.Object(
  {
    ...PageQuery,
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    type: Type.Optional(FlagTypeSchema),
    enabled: Type.Optional(Type.Boolean()),
    q: Type.Optional(Text({ maxLength: 200, description: 'Search the key and description (case-insensitive)' })),
  },
  { additionalProperties: false },
);
export type ListFlagsInput = Static<typeof ListFlagsQuery>;

export const DeleteFlagQuery = Type.Object(
  {
    force: Type.Optional(
      Type.Boolean({
        description: 'Also remove the per-customer toggles of the flag (flags that depend on it always block)',
      }),
    ),
  },
  { additionalProperties: false },
);

// Segments: reusable constraint sets of a product (Unleash segments, integer ids).

export const Segment = Type.Object(
  {
    id: Type.Integer(),
    productId: Type.String({ format: 'uuid' }),
    product: ProductRef,
    name: Type.String(),
    description: Type.String(),
    constraints: Type.Array(ConstraintSchema),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'FlagSegment' },
);
export type SegmentDto = Static<typeof Segment>;

const segmentFields = {
  name: Text({ minLength: 1, maxLength: 200 }),
  description: Text({ maxLength: 2000 }),
  constraints: Type.Array(ConstraintSchema, { maxItems: 100, description: 'All must pass for the segment to match' }),
};

export const CreateSegmentBody = Type.Object(
  {
    productId: Type.String({ format: 'uuid' }),
    name: segmentFields.name,
    description: Type.Optional(segmentFields.description),
    constraints: segmentFields.constraints,
  },
  { additionalProperties: false },
);
export type CreateSegmentInput = Static<typeof CreateSegmentBody>;

export const UpdateSegmentBody = Type.Object(
  {
    name: Type.Optional(segmentFields.name),
    description: Type.Optional(segmentFields.description),
    constraints: Type.Optional(segmentFields.constraints),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateSegmentInput = Static<typeof UpdateSegmentBody>;

/** A string (any other value is simply no segment: 404), so one path shape serves every id the API ever sees. */
export const SegmentIdParams = Type.Object({
  id: Type.String({ minLength: 1, maxLength: 40, description: 'The segment id (a positive integer)' }),
});

export const ListSegmentsQuery = Type.Object(
  {
    ...PageQuery,
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    q: Type.Optional(Text({ maxLength: 200, description: 'Search the name (case-insensitive)' })),
  },
  { additionalProperties: false },
);
export type ListSegmentsInput = Static<typeof ListSegmentsQuery>;
