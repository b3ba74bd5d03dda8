import { type Static, Type } from '@sinclair/typebox';
import { FeatureSchema, SegmentDefinitionSchema, Text } from '../flags/definition.schemas.ts';

/*
 * The Unleash client API (what Unleash server SDKs call): https://docs.getunleash.io/reference/api/unleash/client.
 * Request bodies accept fields Keyward does not store (SDKs add new ones over time: platformName, specVersion, …).
 */

export const FeaturesQuery = Type.Object({
  namePrefix: Type.Optional(Text({ maxLength: 100, description: 'Only flags whose name starts with this' })),
  project: Type.Optional(Text({ maxLength: 100, description: 'Accepted for compatibility; Keyward has one project' })),
  tag: Type.Optional(
    Type.Array(Text({ maxLength: 200 }), { maxItems: 50, description: 'Accepted for compatibility; ignored' }),
  ),
});
export type FeaturesQueryInput = Static<typeof FeaturesQuery>;

export const FeaturesResponse = Type.Object(
  {
    version: Type.Literal(2),
    features: Type.Array(FeatureSchema, {
      description: "The token's product's flags, per-customer toggles projected into strategies",
    }),
    segments: Type.Array(SegmentDefinitionSchema),
    query: Type.Object({ namePrefix: Type.Optional(Type.String()) }),
  },
  { title: 'UnleashClientFeatures' },
);

const AppName = Text({ minLength: 1, maxLength: 200 });
const InstanceId = Text({ minLength: 1, maxLength: 200 });

export const RegisterBody = Type.Object({
  appName: AppName,
  instanceId: InstanceId,
  sdkVersion: Type.Optional(Text({ maxLength: 200 })),
  strategies: Type.Optional(Type.Array(Text({ maxLength: 100 }), { maxItems: 100 })),
  started: Type.Optional(Type.String({ format: 'date-time' })),
  interval: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647, description: 'Metrics interval (ms)' })),
  environment: Type.Optional(Text({ maxLength: 100 })),
});
export type RegisterInput = Static<typeof RegisterBody>;

const Count = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000 });

export const MetricsBody = Type.Object({
  appName: AppName,
  instanceId: InstanceId,
  environment: Type.Optional(Text({ maxLength: 100 })),
  bucket: Type.Object({
    start: Type.String({ format: 'date-time' }),
    stop: Type.String({ format: 'date-time' }),
    toggles: Type.Record(
      Type.String({ maxLength: 100 }),
      Type.Object({
        yes: Count,
        no: Count,
        variants: Type.Optional(Type.Record(Type.String({ maxLength: 100 }), Count, { maxProperties: 100 })),
      }),
      { maxProperties: 5000, description: 'Per flag name: evaluations that were on (yes) and off (no), by variant' },
    ),
  }),
});
export type MetricsInput = Static<typeof MetricsBody>;
