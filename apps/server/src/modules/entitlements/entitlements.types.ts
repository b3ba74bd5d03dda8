import type { FlagState, UsageState } from '@keyward/sdk';
import type { EffectiveProperty } from '../properties/effective.ts';
import type { LicenseEntitlementRefs } from '../properties/properties.read.ts';

/** The wire types of the entitlements check: the SDK's one definition (packages/sdk/src/entitlements-types.ts). */
export type {
  EntitlementProperty,
  EntitlementsState,
  FlagState,
  TrialState,
  UsageState,
} from '@keyward/sdk';

/** The evaluation context a caller passes to the check (Unleash's context fields; license fields are the server's). */
export interface CheckContext {
  userId?: string | undefined;
  sessionId?: string | undefined;
  remoteAddress?: string | undefined;
  environment?: string | undefined;
  appName?: string | undefined;
  currentTime?: string | undefined;
  properties?: Record<string, string> | undefined;
}

/**
 * Usage of a license's metered properties (modules/usage/usage.read.ts): one state per metered property id, given
 * the effective values (the limits) just computed. Must run a constant number of queries.
 */
export type UsageReader = (
  refs: LicenseEntitlementRefs,
  effective: readonly EffectiveProperty[],
  now: Date,
) => Promise<Map<string, UsageState>>;

/** The license's flags evaluated for a context (modules/flags/flags.read.ts). */
export type FlagsReader = (refs: LicenseEntitlementRefs, context: CheckContext, now: Date) => Promise<FlagState[]>;

export const noUsage: UsageReader = async () => new Map();
export const noFlags: FlagsReader = async () => [];
