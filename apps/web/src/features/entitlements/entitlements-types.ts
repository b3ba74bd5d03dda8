/**
 * Response shapes of the entitlement, override and flag endpoints (see /openapi.json, tags Entitlements, Overrides,
 * Properties, Flags; the server's schemas are apps/server/src/modules/{entitlements,properties,flags}/*.schemas.ts).
 * Only what the dashboard reads. The entitlements state itself has ONE definition, the SDK's (the server builds it
 * against the same type); these are type-only imports, nothing of the SDK is bundled.
 */
import type {
  Enforcement,
  EntitlementProperty,
  EntitlementsState,
  EvaluationReason,
  FlagState,
  PropertyType,
  ResetPeriod,
  TrialState,
  UsageState,
  UsageStatus,
  ValueSource,
  ValueSourceKind,
  VariantResult,
} from '@keyward/sdk';

export type {
  Enforcement,
  EntitlementProperty,
  EntitlementsState,
  EvaluationReason,
  FlagState,
  PropertyType,
  ResetPeriod,
  TrialState,
  UsageState,
  UsageStatus,
  ValueSource,
  VariantResult,
};
export type SourceKind = ValueSourceKind;

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
