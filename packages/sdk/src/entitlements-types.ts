/**
 * What a license may do, computed by the server: the answer of `GET /v1/licenses/{id}/entitlements`,
 * `POST /v1/client/entitlements` and the `entitlements` member of a license file. One definition of the shape, used
 * by the server (which builds it) and the SDK (which reads it). See docs/entitlements.md.
 */
import type { EvaluationReason, FeatureDefinition, SegmentDefinition, VariantResult } from './flags/types.ts';

export type PropertyType = 'boolean' | 'number' | 'enum' | 'json';
export type Enforcement = 'hard' | 'soft';
export type ResetPeriod = 'none' | 'daily' | 'monthly' | 'yearly';
export type ValueSourceKind = 'license_override' | 'account_override' | 'plan' | 'base_plan' | 'default';
export type UsageStatus = 'ok' | 'warning' | 'exceeded';

export interface ValueSource {
  kind: ValueSourceKind;
  /** Override id, or plan id for plan values; null for the default. */
  id: string | null;
  planName: string | null;
  reason: string | null;
  authorName: string | null;
  /** When the override stops applying (ISO-8601), or null. */
  expiresAt: string | null;
}

export interface UsageState {
  used: number;
  /** The effective limit (the property's value); null when the limit is unset (unlimited). */
  limit: number | null;
  /** limit − used, never below 0; null when unlimited. */
  remaining: number | null;
  enforcement: Enforcement;
  /** Usage at or above this number reports `warning` (from the warning threshold percent), or null. */
  warningAt: number | null;
  status: UsageStatus;
  resetPeriod: ResetPeriod;
  periodStart: string;
  /** When the counter resets (null for reset period none). */
  periodEnd: string | null;
}

export interface EntitlementProperty {
  key: string;
  name: string;
  type: PropertyType;
  /** boolean | number | string (enum) | string[] (enum with multiple) | JSON value; number null = unlimited. */
  value: unknown;
  source: ValueSource;
  /** number properties only: how the limit is enforced. */
  enforcement: Enforcement | null;
  unit: string;
  /** Metered number properties only. */
  usage: UsageState | null;
}

export interface TrialState {
  isTrial: boolean;
  startsAt: string;
  endsAt: string | null;
  /** Whole days until endsAt, rounded up (0 once ended); null when it never ends. */
  daysLeft: number | null;
  graceEndsAt: string | null;
  /** Past endsAt the software keeps working (plan expiration strategy allow or maintain). */
  softExpiry: boolean;
  phase: 'not_started' | 'active' | 'grace' | 'ended';
}

export interface FlagState {
  key: string;
  enabled: boolean;
  reason: EvaluationReason;
  variant: VariantResult;
}

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

/** What the SDK needs to evaluate a license's flags itself (online cache or license file). */
export interface FlagBundle {
  /** The flags of the license's product, per-customer toggles narrowed to this license and its account. */
  features: FeatureDefinition[];
  segments: SegmentDefinition[];
  /** License-aware context properties (accountId, licenseId, plan, planId, product, accountCreatedAt, …). */
  context: Record<string, string>;
}
