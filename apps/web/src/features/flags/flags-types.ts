/**
 * Response shapes of the feature-flag endpoints (apps/server/src/modules/flags/*.schemas.ts, /openapi.json tag
 * "Feature flags"). The definition parts (strategies, constraints, variants, dependencies) have ONE definition, the
 * SDK engine's: type-only imports, nothing of the SDK is bundled.
 */
import type {
  Constraint,
  FlagDependency,
  StrategyDefinition,
  VariantDefinition,
  VariantPayload,
} from '@keyward/sdk/flags';

export type { Constraint, FlagDependency, StrategyDefinition, VariantDefinition, VariantPayload };

export const FLAG_TYPES = ['release', 'experiment', 'operational', 'kill-switch', 'permission'] as const;
export type FlagType = (typeof FLAG_TYPES)[number];

export interface ProductRef {
  id: string;
  code: string;
  name: string;
}

/** GET /v1/flags/:id */
export interface Flag {
  id: string;
  productId: string;
  product: ProductRef;
  key: string;
  description: string;
  type: FlagType;
  /** The kill switch: off = off for everyone, per-customer toggles included. */
  enabled: boolean;
  strategies: StrategyDefinition[];
  variants: VariantDefinition[];
  dependencies: FlagDependency[];
  impressionData: boolean;
  version: number;
  createdAt: string;
  updatedAt: string;
}

/** The definition fields a PATCH /v1/flags/:id may change (the key never changes). */
export type FlagDefinitionInput = Partial<
  Pick<Flag, 'description' | 'type' | 'enabled' | 'strategies' | 'variants' | 'dependencies' | 'impressionData'>
>;

/** GET /v1/flag-segments/:id */
export interface Segment {
  id: number;
  productId: string;
  product: ProductRef;
  name: string;
  description: string;
  constraints: Constraint[];
  createdAt: string;
  updatedAt: string;
}

/** GET /v1/flags/:id/toggles */
export interface FlagToggle {
  flagId: string;
  flagKey: string;
  scope: 'account' | 'license';
  targetId: string;
  /** The account name, or the license name and key. */
  targetName: string | null;
  accountId: string | null;
  enabled: boolean;
  reason: string;
  authorId: string | null;
  authorName: string;
  createdAt: string;
  updatedAt: string;
}
