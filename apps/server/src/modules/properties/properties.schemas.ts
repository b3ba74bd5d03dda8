import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';
import { JSON_VALUE_MAX_BYTES } from './property-values.ts';

/** Text without NUL characters (PostgreSQL text cannot hold them). */
export const Text = (opts: { minLength?: number; maxLength: number; description?: string; examples?: string[] }) =>
  Type.String({ ...opts, pattern: '^[^\\u0000]*$' });

/** Output schemas: a value or null. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Input schemas: one `type: [x, 'null']` instead of anyOf — with coerceTypes, an anyOf of [integer, null] would
 * turn null into 0 and one of [string, null] null into "". The intersection keeps the literal type for inference.
 */
export const NullableInput = <T extends TSchema & { type: string }>(schema: T) =>
  Type.Unsafe<Static<T> | null>({
    ...schema,
    type: [schema.type, 'null'],
    ...(schema.enum ? { enum: [...schema.enum, null] } : {}),
  }) as TUnsafe<Static<T> | null> & { type: [T['type'], 'null'] } & (T extends { enum: infer E extends unknown[] }
      ? { enum: [...E, null] }
      : unknown);

// The intersections keep literal `type`/`enum` in the TS type: the Fastify type provider infers from them.
const StringEnum = <const T extends string[]>(values: T, description: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, description }) as TUnsafe<T[number]> & {
    type: 'string';
    enum: T;
  };

export const PropertyTypeSchema = StringEnum(
  ['boolean', 'number', 'enum', 'json'],
  'boolean: a feature switch; number: a limit (null = unlimited); enum: one (or with multiple, several) of options; json: a JSON config',
);
export const EnforcementSchema = StringEnum(
  ['hard', 'soft'],
  'number properties: hard = refused beyond the limit, soft = allowed and reported (warn only)',
);
export const ResetPeriodSchema = StringEnum(
  ['none', 'daily', 'monthly', 'yearly'],
  'metered properties: when usage resets, anchored to the license start',
);

/** A property value: its type decides what is valid (docs/entitlements.md, "Values"). */
export const PropertyValue = Type.Unknown({
  description:
    `boolean: true/false; number: ≥ 0 (whole for metered properties) or null = unlimited; enum: an option, or an ` +
    `array of options with multiple; json: any JSON value up to ${JSON_VALUE_MAX_BYTES} bytes`,
});

export const PropertyKey = Type.String({
  pattern: '^[a-z][a-z0-9_.-]{0,63}$',
  description: 'Stable key used by the API, the SDK and license files: a–z first, then a–z 0–9 _ . - (max 64)',
  examples: ['api_calls'],
});

const fields = {
  name: Text({ minLength: 1, maxLength: 200 }),
  description: Text({ maxLength: 2000 }),
  options: Type.Array(Text({ minLength: 1, maxLength: 100 }), {
    maxItems: 200,
    uniqueItems: true,
    description: 'enum properties: the allowed options',
  }),
  multiple: Type.Boolean({ description: 'enum properties: a value is an array (subset) of the options' }),
  warningThresholdPercent: Type.Integer({
    minimum: 1,
    maximum: 100,
    description: 'number properties: usage at or above this percent of the limit reports warning',
  }),
  metered: Type.Boolean({ description: 'number properties: usage is metered against the limit' }),
  unit: Text({ maxLength: 50, description: 'Shown next to numbers, e.g. calls, GB, seats' }),
};

export const Property = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    productId: Type.String({ format: 'uuid' }),
    product: Type.Object({ id: Type.String(), code: Type.String(), name: Type.String() }),
    key: Type.String(),
    name: Type.String(),
    description: Type.String(),
    type: PropertyTypeSchema,
    defaultValue: PropertyValue,
    options: Type.Array(Type.String()),
    multiple: Type.Boolean(),
    enforcement: Nullable(EnforcementSchema),
    warningThresholdPercent: Nullable(Type.Integer()),
    metered: Type.Boolean(),
    resetPeriod: ResetPeriodSchema,
    unit: Type.String(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Property' },
);
export type PropertyDto = Static<typeof Property>;

export const CreatePropertyBody = Type.Object(
  {
    productId: Type.String({ format: 'uuid' }),
    key: PropertyKey,
    name: fields.name,
    description: Type.Optional(fields.description),
    type: PropertyTypeSchema,
    defaultValue: Type.Optional(
      Type.Unknown({
        description: 'Default when neither a plan nor an override sets one: false, 0, the first option / [] or null',
      }),
    ),
    options: Type.Optional(fields.options),
    multiple: Type.Optional(fields.multiple),
    enforcement: Type.Optional(EnforcementSchema),
    warningThresholdPercent: Type.Optional(NullableInput(fields.warningThresholdPercent)),
    metered: Type.Optional(fields.metered),
    resetPeriod: Type.Optional(ResetPeriodSchema),
    unit: Type.Optional(fields.unit),
  },
  { additionalProperties: false },
);
export type CreatePropertyInput = Static<typeof CreatePropertyBody>;

export const UpdatePropertyBody = Type.Object(
  {
    key: Type.Optional(PropertyKey),
    name: Type.Optional(fields.name),
    description: Type.Optional(fields.description),
    type: Type.Optional(PropertyTypeSchema),
    defaultValue: Type.Optional(PropertyValue),
    options: Type.Optional(fields.options),
    multiple: Type.Optional(fields.multiple),
    enforcement: Type.Optional(EnforcementSchema),
    warningThresholdPercent: Type.Optional(NullableInput(fields.warningThresholdPercent)),
    metered: Type.Optional(fields.metered),
    resetPeriod: Type.Optional(ResetPeriodSchema),
    unit: Type.Optional(fields.unit),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdatePropertyInput = Static<typeof UpdatePropertyBody>;

export const PropertyIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListPropertiesQuery = Type.Object(
  {
    ...PageQuery,
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    type: Type.Optional(PropertyTypeSchema),
    q: Type.Optional(Text({ maxLength: 200, description: 'Search the key and name (case-insensitive)' })),
  },
  { additionalProperties: false },
);
export type ListPropertiesInput = Static<typeof ListPropertiesQuery>;

export const DeletePropertyQuery = Type.Object(
  {
    force: Type.Optional(
      Type.Boolean({ description: 'Also remove the plan values, overrides and usage counters that use the property' }),
    ),
  },
  { additionalProperties: false },
);
