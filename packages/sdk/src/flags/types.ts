/**
 * Feature flag definitions in the Unleash client-API model (what `GET /api/client/features` serves), the evaluation
 * context, and what an evaluation returns. One engine (engine.ts) evaluates them: in the SDK (online cache or
 * license file, offline) and on the server (entitlements check, explain). See docs/feature-flags.md.
 */

/** Unleash constraint: `contextName operator values` (or `value` for single-value operators). */
export interface Constraint {
  contextName: string;
  /** IN, NOT_IN, STR_CONTAINS, STR_STARTS_WITH, STR_ENDS_WITH, NUM_EQ/GT/GTE/LT/LTE, DATE_AFTER/BEFORE,
   *  SEMVER_EQ/GT/LT(/GTE/LTE), REGEX, IN_CIDR. An unknown operator never matches. */
  operator: string;
  values?: string[];
  value?: string;
  inverted?: boolean;
  caseInsensitive?: boolean;
  /** Set by withToggles (toggles.ts) on the `accountId` / `licenseId NOT_IN` constraints it adds to every strategy,
   *  so explain() words them as per-customer toggles. Unleash SDKs ignore it. */
  origin?: 'toggle';
}

export interface VariantPayload {
  type: 'string' | 'json' | 'csv' | 'number';
  value: string;
}

export interface VariantOverride {
  contextName: string;
  values: string[];
}

export interface VariantDefinition {
  name: string;
  weight: number;
  weightType?: 'variable' | 'fix';
  /** Context field the variant bucket hashes; `default` = userId, sessionId, then random. */
  stickiness?: string;
  payload?: VariantPayload;
  overrides?: VariantOverride[];
}

export interface StrategyDefinition {
  name: string;
  /** Keyward adds per-customer toggle strategies with ids starting `keyward:` (see toggles.ts). */
  id?: string;
  title?: string;
  disabled?: boolean;
  parameters?: Record<string, string | number>;
  constraints?: Constraint[];
  /** Ids of segments whose constraints must all pass too. */
  segments?: number[];
  variants?: VariantDefinition[];
  sortOrder?: number;
}

export interface FlagDependency {
  feature: string;
  /** Default true: the parent must be enabled (false: must be disabled). */
  enabled?: boolean;
  /** The parent must be enabled with one of these variants. */
  variants?: string[];
}

export interface FeatureDefinition {
  name: string;
  enabled: boolean;
  type?: string;
  description?: string;
  project?: string;
  stale?: boolean;
  impressionData?: boolean;
  strategies: StrategyDefinition[];
  variants?: VariantDefinition[];
  dependencies?: FlagDependency[];
}

export interface SegmentDefinition {
  id: number;
  name?: string;
  constraints: Constraint[];
}

/**
 * Evaluation context (Unleash's). Standard fields are top level; anything else is looked up in `properties`.
 * Keyward's license-aware fields (accountId, licenseId, plan, planId, product, accountCreatedAt, licenseType,
 * entitlements) are set in `properties` by the server or from a license file.
 */
export interface FlagContext {
  userId?: string | undefined;
  sessionId?: string | undefined;
  remoteAddress?: string | undefined;
  environment?: string | undefined;
  appName?: string | undefined;
  /** Defaults to the engine's clock; DATE_* operators compare against it. */
  currentTime?: string | Date | undefined;
  properties?: Record<string, string | number | boolean | undefined> | undefined;
}

/** Unleash's variant result; `{ name: 'disabled', enabled: false }` when there is none. */
export interface VariantResult {
  name: string;
  enabled: boolean;
  /** Whether the flag itself was enabled (Unleash `feature_enabled`). */
  featureEnabled: boolean;
  payload?: VariantPayload | undefined;
}

/**
 * Why a flag evaluated as it did (maps to OpenFeature reasons):
 * - NOT_FOUND: no such flag. DISABLED: the flag is off (kill switch). PARENT_UNSATISFIED: a dependency failed.
 * - STATIC: on for everyone (an enabled strategy without constraints, segments or a rollout below 100 %).
 * - TARGETING_MATCH: a strategy with constraints, segments, user ids, addresses or a per-customer toggle matched.
 * - SPLIT: a percentage rollout (below 100 %) placed the context in.
 * - DEFAULT: no strategy matched; the flag is off for this context.
 */
export type EvaluationReason =
  | 'NOT_FOUND'
  | 'DISABLED'
  | 'PARENT_UNSATISFIED'
  | 'STATIC'
  | 'TARGETING_MATCH'
  | 'SPLIT'
  | 'DEFAULT';

export interface MatchedStrategy {
  index: number;
  name: string;
  id?: string | undefined;
  title?: string | undefined;
}

export interface Evaluation {
  flag: string;
  enabled: boolean;
  reason: EvaluationReason;
  variant: VariantResult;
  /** The strategy that switched the flag on (enabled only). */
  strategy?: MatchedStrategy | undefined;
}

/** One step of a decision trace: a candidate looked at and why it did or did not decide. */
export interface TraceStep {
  /** e.g. `flag`, `dependency:parent`, `strategy[1] flexibleRollout`, `constraint plan IN`, `segment 3`, `variant`. */
  subject: string;
  outcome: 'pass' | 'fail' | 'skip' | 'decide';
  /** A sentence for humans: "accountId a1 is not in the 1000 listed values". */
  detail: string;
}

export interface Explanation extends Evaluation {
  steps: TraceStep[];
}

/** A problem with a definition, for 4xx responses: JSON-pointer-like path under the definition, and a message. */
export interface DefinitionIssue {
  path: string;
  message: string;
}

/** Per-customer toggles of one flag: ids forced on or off. Precedence: license > account > the flag's strategies. */
export interface FlagToggles {
  accounts?: { on?: readonly string[]; off?: readonly string[] };
  licenses?: { on?: readonly string[]; off?: readonly string[] };
}
