/**
 * Response shapes of the entitlement, override and flag endpoints (see /openapi.json, tags Entitlements, Overrides,
 * Properties, Flags; the server's schemas are apps/server/src/modules/{entitlements,properties,flags}/*.schemas.ts).
 * Only what the dashboard reads.
 */

export type PropertyType = 'boolean' | 'number' | 'enum' | 'json';
export type Enforcement = 'hard' | 'soft';
export type ResetPeriod = 'none' | 'daily' | 'monthly' | 'yearly';
export type SourceKind = 'license_override' | 'account_override' | 'plan' | 'base_plan' | 'default';
export type UsageStatus = 'ok' | 'warning' | 'exceeded';

export interface ValueSource {
  kind: SourceKind;
  id: string | null;
  planName: string | null;
  reason: string | null;
  authorName: string | null;
  expiresAt: string | null;
}

export interface UsageState {
  used: number;
  /** null = unlimited */
  limit: number | null;
  remaining: number | null;
  enforcement: Enforcement;
  warningAt: number | null;
  status: UsageStatus;
  resetPeriod: ResetPeriod;
  periodStart: string;
  periodEnd: string | null;
}

export interface EntitlementProperty {
  key: string;
  name: string;
  type: PropertyType;
  value: unknown;
  source: ValueSource;
  enforcement: Enforcement | null;
  unit: string;
  usage: UsageState | null;
}

export interface TrialState {
  isTrial: boolean;
  startsAt: string;
  endsAt: string | null;
  daysLeft: number | null;
  graceEndsAt: string | null;
  softExpiry: boolean;
  phase: 'not_started' | 'active' | 'grace' | 'ended';
}

export type EvaluationReason =
  | 'NOT_FOUND'
  | 'DISABLED'
  | 'PARENT_UNSATISFIED'
  | 'STATIC'
  | 'TARGETING_MATCH'
  | 'SPLIT'
  | 'DEFAULT';

export interface VariantResult {
  name: string;
  enabled: boolean;
  featureEnabled: boolean;
  payload?: { type: string; value: string };
}

export interface FlagState {
  key: string;
  enabled: boolean;
  reason: EvaluationReason;
  variant: VariantResult;
}

/** GET /v1/licenses/:id/entitlements */
export interface EntitlementsState {
  computedAt: string;
  license: {
    id: string;
    status: string;
    type: string;
    plan: { id: string; name: string };
    product: { id: string; code: string };
    account: { id: string; name: string };
  };
  trial: TrialState;
  properties: EntitlementProperty[];
  flags: FlagState[];
}

/** GET /v1/properties (a definition). */
export interface PropertyDef {
  id: string;
  productId: string;
  key: string;
  name: string;
  description: string;
  type: PropertyType;
  defaultValue: unknown;
  options: string[];
  multiple: boolean;
  enforcement: Enforcement | null;
  warningThresholdPercent: number | null;
  metered: boolean;
  resetPeriod: ResetPeriod;
  unit: string;
}

/** GET /v1/overrides */
export interface Override {
  id: string;
  propertyId: string;
  property: { id: string; key: string; name: string; type: PropertyType };
  productId: string;
  target: 'account' | 'license';
  accountId: string | null;
  licenseId: string | null;
  value: unknown;
  enforcement: Enforcement | null;
  reason: string;
  author: { id: string | null; name: string };
  expiresAt: string | null;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export type TraceOutcome = 'decided' | 'shadowed' | 'expired' | 'absent';

export interface TraceEntry {
  source: ValueSource;
  value: unknown;
  outcome: TraceOutcome;
  detail: string;
}

/** GET /v1/properties/:id/explain */
export interface PropertyExplanation {
  property: { id: string; key: string; name: string; type: PropertyType; productId: string; unit: string };
  scope: { licenseId: string | null; accountId: string };
  value: unknown;
  source: ValueSource;
  enforcement: Enforcement | null;
  trace: TraceEntry[];
  usage: UsageState | null;
  note: string | null;
}

export type ToggleScope = 'account' | 'license';

export interface ToggleBrief {
  enabled: boolean;
  reason: string;
  authorName: string;
  authorId: string | null;
  updatedAt: string;
}

/** One flag of GET /v1/licenses/:id/flags or GET /v1/accounts/:id/flags. */
export interface CustomerFlag {
  id: string;
  key: string;
  description: string;
  type: string;
  /** The flag's own switch: off = off for everyone. */
  enabled: boolean;
  version: number;
  toggle: {
    state: 'on' | 'off' | 'none';
    scope: ToggleScope | null;
    reason: string | null;
    authorName: string | null;
    updatedAt: string | null;
  };
  licenseToggle: ToggleBrief | null;
  accountToggle: ToggleBrief | null;
  evaluated: FlagState;
}

export interface CustomerFlags {
  computedAt: string;
  productId: string;
  licenseId: string | null;
  accountId: string;
  flags: CustomerFlag[];
}

export interface FlagTraceStep {
  subject: string;
  outcome: 'pass' | 'fail' | 'skip' | 'decide';
  detail: string;
}

/** POST /v1/flags/:id/explain */
export interface FlagExplainResult {
  flag: { id: string; key: string; productId: string; version: number };
  licenseId: string | null;
  accountId: string | null;
  licenseToggle: ToggleBrief | null;
  accountToggle: ToggleBrief | null;
  explanation: {
    flag: string;
    enabled: boolean;
    reason: EvaluationReason;
    variant: VariantResult;
    strategy?: { index: number; name: string; id?: string; title?: string };
    steps: FlagTraceStep[];
  };
}

export interface UsageEvent {
  id: string;
  at: string;
  op: 'increment' | 'decrement' | 'set' | 'reset';
  amount: number;
  accepted: boolean;
  usedAfter: number;
  limit: number | null;
  code: string;
  source: 'client' | 'admin';
  actorName: string;
}

/** GET /v1/licenses/:id/usage/:propertyKey/history */
export interface UsageHistory {
  usage: UsageState;
  data: UsageEvent[];
  periods: { periodStart: string; periodEnd: string | null; used: number; current: boolean }[];
}

/** Who an override or toggle is for: one license, or an account (all its licenses of the product). */
export type Target = { kind: 'license'; id: string } | { kind: 'account'; id: string };
