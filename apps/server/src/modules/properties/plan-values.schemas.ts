import { type Static, Type } from '@sinclair/typebox';
import { EnforcementSchema, Nullable, NullableInput, PropertyTypeSchema, PropertyValue } from './properties.schemas.ts';

const StoredValue = Type.Object({
  value: PropertyValue,
  enforcement: Nullable(EnforcementSchema),
  inheritsValue: Type.Boolean({
    description: 'true: this plan only sets the enforcement; the value comes from its base plan (or the default)',
  }),
  updatedAt: Type.String({ format: 'date-time' }),
});

export const PlanPropertyValue = Type.Object(
  {
    property: Type.Object({
      id: Type.String({ format: 'uuid' }),
      key: Type.String(),
      name: Type.String(),
      type: PropertyTypeSchema,
      unit: Type.String(),
    }),
    value: PropertyValue,
    enforcement: Nullable(EnforcementSchema),
    source: Type.Union([Type.Literal('plan'), Type.Literal('base_plan'), Type.Literal('default')], {
      description: "Where the plan's value comes from: its own value, its base plan's, or the property default",
    }),
    planValue: Nullable(StoredValue),
    basePlanValue: Nullable(StoredValue),
    defaultValue: PropertyValue,
  },
  { title: 'PlanPropertyValue' },
);
export type PlanPropertyValueDto = Static<typeof PlanPropertyValue>;

export const PlanProperties = Type.Object(
  {
    plan: Type.Object({
      id: Type.String({ format: 'uuid' }),
      name: Type.String(),
      productId: Type.String({ format: 'uuid' }),
      basePlan: Nullable(Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() })),
    }),
    data: Type.Array(PlanPropertyValue),
  },
  { title: 'PlanProperties' },
);
export type PlanPropertiesDto = Static<typeof PlanProperties>;

export const SetPlanValueBody = Type.Object(
  {
    value: Type.Optional(PropertyValue),
    enforcement: Type.Optional(NullableInput(EnforcementSchema)),
  },
  {
    additionalProperties: false,
    description:
      'A value (and optionally its enforcement); or only an enforcement (number properties): the plan keeps the ' +
      "value it inherits and changes how it is enforced — e.g. a trial softening its base plan's limits",
  },
);
export type SetPlanValueInput = Static<typeof SetPlanValueBody>;

export const PlanPropertyParams = Type.Object({
  id: Type.String({ format: 'uuid' }),
  propertyId: Type.String({ format: 'uuid' }),
});
