/**
 * `@keyward/sdk/flags` — the feature-flag engine (Unleash client-specification conformant, zero dependencies):
 * FlagEngine, definition validation, per-customer toggle projection, delta events, and the flag types.
 * See docs/feature-flags.md.
 */
export { OPERATORS } from './constraints.ts';
export { applyDelta, type DeltaEvent, type DeltaState } from './delta.ts';
export { type FlagDefinitions, FlagEngine, type FlagEngineOptions } from './engine.ts';
export { narrowToggles, TOGGLE_ACCOUNT_ON, TOGGLE_LICENSE_ON, withToggles } from './toggles.ts';
export type {
  Constraint,
  DefinitionIssue,
  Evaluation,
  EvaluationReason,
  Explanation,
  FeatureDefinition,
  FlagContext,
  FlagDependency,
  FlagToggles,
  MatchedStrategy,
  SegmentDefinition,
  StrategyDefinition,
  TraceStep,
  VariantDefinition,
  VariantOverride,
  VariantPayload,
  VariantResult,
} from './types.ts';
export {
  MAX_REGEX_LENGTH,
  type ValidateFeatureOptions,
  validateConstraint,
  validateFeature,
  validateSegment,
} from './validate.ts';
export { normalizeVariantWeights } from './variants.ts';
