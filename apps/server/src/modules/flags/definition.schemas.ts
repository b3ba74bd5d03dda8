import { type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/*
 * Flag definitions in the Unleash client-API model (packages/sdk/src/flags/types.ts): constraints, strategies,
 * variants, dependencies, features and segments. Used for request bodies (shape only: what the values mean —
 * operators, regular expressions, dates, weights — is checked by the engine's validateFeature, answering 422 with
 * the path of each problem) and for responses (the admin API, the client flags bundle, the Unleash client API).
 */

/** Text without NUL characters (PostgreSQL text cannot hold them). */
export const Text = (opts: { minLength?: number; maxLength: number; description?: string; examples?: string[] }) =>
  Type.String({ ...opts, pattern: '^[^\\u0000]*$' });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const StringEnum = <const T extends string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...(description ? { description } : {}) }) as TUnsafe<
    T[number]
  > & { type: 'string'; enum: T };

export const FlagKey = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$',
  description:
    'The flag name the SDKs use (Unleash `name`): a letter or digit, then letters, digits, _ . : - (max 100)',
  examples: ['new-dashboard'],
});

const ContextName = Text({ minLength: 1, maxLength: 100, description: 'userId, plan, accountId, …' });
const Value = Text({ maxLength: 1000 });

const constraintFields = {
  contextName: ContextName,
  operator: Text({
    minLength: 1,
    maxLength: 50,
    description:
      'IN, NOT_IN, STR_CONTAINS, STR_STARTS_WITH, STR_ENDS_WITH, NUM_EQ, NUM_GT, NUM_GTE, NUM_LT, NUM_LTE, ' +
      'DATE_AFTER, DATE_BEFORE, SEMVER_EQ, SEMVER_GT, SEMVER_LT, REGEX, IN_CIDR',
  }),
  values: Type.Optional(Type.Array(Value, { maxItems: 10_000, description: 'Multi-value operators' })),
  value: Type.Optional(Value),
  inverted: Type.Optional(Type.Boolean()),
  caseInsensitive: Type.Optional(Type.Boolean()),
};

export const ConstraintSchema = Type.Object(constraintFields, { additionalProperties: false, title: 'FlagConstraint' });

/** As served: constraints added by per-customer toggles are marked `origin: toggle` (for explanations). */
const ServedConstraintSchema = Type.Object(
  { ...constraintFields, origin: Type.Optional(Type.Literal('toggle')) },
  { additionalProperties: false },
);

const VariantPayloadSchema = Type.Object(
  {
    type: StringEnum(['string', 'json', 'csv', 'number']),
    value: Text({ maxLength: 10_000 }),
  },
  { additionalProperties: false },
);

export const VariantSchema = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 100 }),
    weight: Type.Integer({ minimum: 0, maximum: 1000, description: 'Per mille of the variant buckets (0–1000)' }),
    weightType: Type.Optional(StringEnum(['variable', 'fix'])),
    stickiness: Type.Optional(Text({ minLength: 1, maxLength: 100 })),
    payload: Type.Optional(VariantPayloadSchema),
    overrides: Type.Optional(
      Type.Array(
        Type.Object(
          { contextName: ContextName, values: Type.Array(Value, { maxItems: 10_000 }) },
          { additionalProperties: false },
        ),
        { maxItems: 100 },
      ),
    ),
  },
  { additionalProperties: false, title: 'FlagVariant' },
);

/** A strategy parameter: Unleash sends strings ("50"); numbers are accepted too. A type list, not a union. */
const ParameterValue = Type.Unsafe<string | number>({ type: ['string', 'number'], maxLength: 10_000 });

const strategySchema = (constraint: typeof ConstraintSchema | typeof ServedConstraintSchema, title: string) =>
  Type.Object(
    {
      name: Text({
        minLength: 1,
        maxLength: 100,
        description: 'default, flexibleRollout, userWithId, remoteAddress, applicationHostname, …',
      }),
      id: Type.Optional(
        Text({ minLength: 1, maxLength: 100, description: 'Ids starting with keyward: are reserved for toggles' }),
      ),
      title: Type.Optional(Text({ maxLength: 200 })),
      disabled: Type.Optional(Type.Boolean()),
      parameters: Type.Optional(
        Type.Record(Type.String({ maxLength: 100 }), ParameterValue, {
          maxProperties: 50,
          description: 'e.g. flexibleRollout: { rollout: "50", stickiness: "default", groupId: "my-flag" }',
        }),
      ),
      constraints: Type.Optional(Type.Array(constraint, { maxItems: 100 })),
      segments: Type.Optional(
        Type.Array(Type.Integer({ minimum: 1, maximum: 2_147_483_647 }), { maxItems: 100, description: 'Segment ids' }),
      ),
      variants: Type.Optional(Type.Array(VariantSchema, { maxItems: 100 })),
      sortOrder: Type.Optional(Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 })),
    },
    { additionalProperties: false, title },
  );

export const StrategySchema = strategySchema(ConstraintSchema, 'FlagStrategy');
const ServedStrategySchema = strategySchema(ServedConstraintSchema, 'ServedFlagStrategy');

export const DependencySchema = Type.Object(
  {
    feature: FlagKey,
    enabled: Type.Optional(Type.Boolean({ description: 'Default true: the parent must be on (false: off)' })),
    variants: Type.Optional(Type.Array(Text({ minLength: 1, maxLength: 100 }), { maxItems: 100 })),
  },
  { additionalProperties: false, title: 'FlagDependency' },
);

export const FlagTypeSchema = StringEnum(
  ['release', 'experiment', 'operational', 'kill-switch', 'permission'],
  'Unleash flag type (informational)',
);

/** A flag as the SDKs read it (Unleash client API `features[]`, the client bundle, license files). */
export const FeatureSchema = Type.Object(
  {
    name: Type.String(),
    enabled: Type.Boolean(),
    type: Type.Optional(Type.String()),
    description: Type.Optional(Type.String()),
    project: Type.Optional(Type.String()),
    stale: Type.Optional(Type.Boolean()),
    impressionData: Type.Optional(Type.Boolean()),
    strategies: Type.Array(ServedStrategySchema),
    variants: Type.Optional(Type.Array(VariantSchema)),
    dependencies: Type.Optional(Type.Array(DependencySchema)),
  },
  { title: 'FeatureDefinition' },
);

export const SegmentDefinitionSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.Optional(Type.String()),
    constraints: Type.Array(ServedConstraintSchema),
  },
  { title: 'SegmentDefinition' },
);

const EvaluationReasonSchema = StringEnum(
  ['NOT_FOUND', 'DISABLED', 'PARENT_UNSATISFIED', 'STATIC', 'TARGETING_MATCH', 'SPLIT', 'DEFAULT'],
  'Why the flag evaluated as it did (maps to OpenFeature reasons)',
);

export const VariantResultSchema = Type.Object({
  name: Type.String(),
  enabled: Type.Boolean(),
  featureEnabled: Type.Boolean(),
  payload: Type.Optional(VariantPayloadSchema),
});

/** One flag evaluated for a customer (FlagState of packages/sdk/src/entitlements-types.ts). */
export const EvaluatedFlagSchema = Type.Object(
  { key: Type.String(), enabled: Type.Boolean(), reason: EvaluationReasonSchema, variant: VariantResultSchema },
  { title: 'EvaluatedFlag' },
);

export const TraceStepSchema = Type.Object({
  subject: Type.String(),
  outcome: StringEnum(['pass', 'fail', 'skip', 'decide']),
  detail: Type.String({ description: 'A sentence for people' }),
});

export const ExplanationSchema = Type.Object(
  {
    flag: Type.String(),
    enabled: Type.Boolean(),
    reason: EvaluationReasonSchema,
    variant: VariantResultSchema,
    strategy: Type.Optional(
      Type.Object({
        index: Type.Integer(),
        name: Type.String(),
        id: Type.Optional(Type.String()),
        title: Type.Optional(Type.String()),
      }),
    ),
    steps: Type.Array(TraceStepSchema),
  },
  { title: 'FlagExplanation' },
);

const ContextText = (maxLength: number) => Text({ maxLength });

/** The evaluation context a caller passes (Unleash's fields); the license fields are set by the server. */
export const FlagContextInputSchema = Type.Object(
  {
    userId: Type.Optional(ContextText(256)),
    sessionId: Type.Optional(ContextText(256)),
    remoteAddress: Type.Optional(ContextText(64)),
    environment: Type.Optional(ContextText(100)),
    appName: Type.Optional(ContextText(100)),
    currentTime: Type.Optional(Type.String({ format: 'date-time' })),
    properties: Type.Optional(
      Type.Record(Type.String({ maxLength: 100 }), ContextText(1000), {
        maxProperties: 50,
        description: 'Custom fields; accountId and licenseId always come from the license',
      }),
    ),
  },
  { additionalProperties: false, description: 'Flag evaluation context (Unleash fields)' },
);

/** The context a flag was evaluated with: the caller's fields merged with the license's. */
export const FlagContextSchema = Type.Object(
  {
    userId: Type.Optional(Type.String()),
    sessionId: Type.Optional(Type.String()),
    remoteAddress: Type.Optional(Type.String()),
    environment: Type.Optional(Type.String()),
    appName: Type.Optional(Type.String()),
    currentTime: Type.Optional(Type.String()),
    properties: Type.Record(Type.String(), Type.String()),
  },
  { title: 'FlagContext' },
);
