import type { Constraint, FeatureDefinition, SegmentDefinition } from '@keyward/sdk/flags';
import type { FlagRow, FlagWithProduct, SegmentRow, SegmentWithProduct } from './flags.repository.ts';
import type { FlagDto, SegmentDto } from './flags.schemas.ts';
import type { ToggleWithTarget } from './toggles.repository.ts';
import type { ToggleDto } from './toggles.schemas.ts';

type Definition = Pick<FlagDto, 'strategies' | 'variants' | 'dependencies'>;

/** The stored JSON columns, as written by the service (validated before they were stored). */
function definitionOf(row: FlagRow): Definition {
  return {
    strategies: row.strategies as FlagDto['strategies'],
    variants: row.variants as FlagDto['variants'],
    dependencies: row.dependencies as FlagDto['dependencies'],
  };
}

export function presentFlag(row: FlagWithProduct): FlagDto {
  return {
    id: row.id,
    productId: row.product_id,
    product: { id: row.product_id, code: row.product_code, name: row.product_name },
    key: row.key,
    description: row.description,
    type: row.type,
    enabled: row.enabled,
    ...definitionOf(row),
    impressionData: row.impression_data,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A flag row as the engine and the SDKs read it (Unleash `features[]` entry). */
export function featureOf(row: FlagRow): FeatureDefinition {
  const def = definitionOf(row);
  return {
    name: row.key,
    enabled: row.enabled,
    type: row.type,
    description: row.description,
    project: 'default',
    stale: false,
    impressionData: row.impression_data,
    strategies: def.strategies as FeatureDefinition['strategies'],
    variants: def.variants as FeatureDefinition['variants'],
    dependencies: def.dependencies,
  };
}

export function presentSegment(row: SegmentWithProduct): SegmentDto {
  return {
    id: row.id,
    productId: row.product_id,
    product: { id: row.product_id, code: row.product_code, name: row.product_name },
    name: row.name,
    description: row.description,
    constraints: row.constraints as SegmentDto['constraints'],
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function segmentOf(row: SegmentRow): SegmentDefinition {
  return { id: row.id, name: row.name, constraints: row.constraints as Constraint[] };
}

export function presentToggle(row: ToggleWithTarget, flagKey: string): ToggleDto {
  return {
    flagId: row.flag_id,
    flagKey,
    scope: row.scope,
    targetId: row.target_id,
    targetName: row.target_name,
    accountId: row.account_id,
    enabled: row.enabled,
    reason: row.reason,
    authorId: row.author_id,
    authorName: row.author_name,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
