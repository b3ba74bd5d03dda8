import {
  type FeatureDefinition,
  FlagEngine,
  type FlagToggles,
  type SegmentDefinition,
  withToggles,
} from '@keyward/sdk/flags';
import type { Db } from '../../platform/db/database.ts';
import { featureOf, segmentOf } from './flags.presenter.ts';
import * as repo from './flags.repository.ts';
import type { TargetToggle } from './toggles.repository.ts';

/**
 * A product's flag definitions and a compiled FlagEngine for them, cached per process and keyed by the product's
 * stamp (flags.repository.ts productStamp: one cheap query per use). Correctness does not depend on the cache: every
 * use compares the stamp in the database, so a change made through any process is seen by the next evaluation.
 */
export interface ProductDefinitions {
  stamp: string;
  /** Every flag in key order, projected without toggles (withToggles: the form Unleash SDKs read safely). */
  features: readonly FeatureDefinition[];
  /** The stored definitions by flag name (before projection), to project a customer's toggles onto. */
  stored: ReadonlyMap<string, FeatureDefinition>;
  segments: readonly SegmentDefinition[];
  /** The engine for customers without toggles (compiled lazily by the engine, kept while the stamp holds). */
  engine: FlagEngine;
}

const MAX_CACHED_PRODUCTS = 500;
const caches = new WeakMap<object, Map<string, ProductDefinitions>>();

export async function productDefinitions(db: Db, productId: string): Promise<ProductDefinitions> {
  // The stamp first: if the flags change between the two reads, the entry is stored under the older stamp and the
  // next use reloads — never the other way round (new stamp, old definitions).
  const stamp = await repo.productStamp(db, productId);
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const hit = cache.get(productId);
  if (hit?.stamp === stamp) return hit;
  const rows = await repo.productFlags(db, productId);
  const segmentRows = await repo.productSegments(db, productId);
  const stored = new Map(rows.map((r) => [r.key, featureOf(r)]));
  const features = [...stored.values()].map((f) => withToggles(f, null));
  const segments = segmentRows.map(segmentOf);
  const entry: ProductDefinitions = {
    stamp,
    features,
    stored,
    segments,
    engine: new FlagEngine({ features, segments }),
  };
  cache.delete(productId);
  if (cache.size >= MAX_CACHED_PRODUCTS) cache.delete(cache.keys().next().value as string);
  cache.set(productId, entry);
  return entry;
}

/** One customer's toggles per flag name (a license's and its account's, or an account's). */
export function togglesByFlag(rows: readonly TargetToggle[]): Map<string, FlagToggles> {
  const byFlag = new Map<string, FlagToggles>();
  for (const t of rows) {
    const toggles = byFlag.get(t.flag_key) ?? {};
    const side = t.scope === 'license' ? 'licenses' : 'accounts';
    toggles[side] = t.enabled ? { on: [t.target_id], off: [] } : { on: [], off: [t.target_id] };
    byFlag.set(t.flag_key, toggles);
  }
  return byFlag;
}

export interface CustomerDefinitions {
  features: readonly FeatureDefinition[];
  segments: readonly SegmentDefinition[];
  engine: FlagEngine;
}

/**
 * The product's definitions with one customer's toggles projected (toggled flags only; narrowed lists of one id).
 * Without toggles, the cached engine; with some, a new engine (compiled lazily, on evaluation).
 */
export function forCustomer(defs: ProductDefinitions, toggles: ReadonlyMap<string, FlagToggles>): CustomerDefinitions {
  if (toggles.size === 0) return { features: defs.features, segments: defs.segments, engine: defs.engine };
  const features = defs.features.map((f) => {
    const own = toggles.get(f.name);
    const stored = defs.stored.get(f.name);
    return own && stored ? withToggles(stored, own) : f;
  });
  return { features, segments: defs.segments, engine: new FlagEngine({ features, segments: defs.segments }) };
}
