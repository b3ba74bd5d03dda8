/**
 * What the provider serves from: one flag bundle (compiled into a FlagEngine) and the license's entitlement
 * properties, from the online API or a verified license file. Built once per fetch, read by every resolution.
 */
import { ParseError } from '@openfeature/server-sdk';
import { isRecord } from '../encoding.ts';
import type { EntitlementProperty, FlagBundle } from '../entitlements-types.ts';
import { FlagEngine } from '../flags/engine.ts';

export type SourceKind = 'online' | 'license-file';

export interface Snapshot {
  source: SourceKind;
  engine: FlagEngine;
  /** The license's context (accountId, licenseId, plan, …), laid over every evaluation context. */
  context: Record<string, string>;
  properties: ReadonlyMap<string, EntitlementProperty>;
  /** When the data was fetched (online) or the file verified, in ms, and as ISO-8601 for flagMetadata. */
  loadedAt: number;
  loadedAtIso: string;
  /** Per flag or property key, what decides its value — to tell which keys changed between snapshots. */
  signatures: ReadonlyMap<string, string>;
}

const EMPTY_BUNDLE: FlagBundle = { features: [], segments: [], context: {} };

/** Checks the parts of a bundle the provider relies on; the engine checks the rest of each definition. */
function bundleProblem(bundle: unknown): string | null {
  if (!isRecord(bundle)) return 'the flag bundle is not an object';
  const { features, segments, context } = bundle;
  if (!Array.isArray(features)) return 'features must be an array';
  for (const [i, f] of features.entries()) {
    if (!isRecord(f) || typeof f.name !== 'string' || typeof f.enabled !== 'boolean' || !Array.isArray(f.strategies)) {
      return `features[${i}] needs a name, enabled and strategies`;
    }
  }
  if (!Array.isArray(segments)) return 'segments must be an array';
  for (const [i, s] of segments.entries()) {
    if (!isRecord(s) || typeof s.id !== 'number' || !Array.isArray(s.constraints)) {
      return `segments[${i}] needs an id and constraints`;
    }
  }
  if (context !== undefined && !(isRecord(context) && Object.values(context).every((v) => typeof v === 'string'))) {
    return 'context must map names to strings';
  }
  return null;
}

function propertiesProblem(properties: unknown): string | null {
  if (!Array.isArray(properties)) return 'entitlements.properties must be an array';
  for (const [i, p] of properties.entries()) {
    if (!isRecord(p) || typeof p.key !== 'string' || typeof p.type !== 'string' || !isRecord(p.source)) {
      return `entitlements.properties[${i}] needs a key, type and source`;
    }
  }
  return null;
}

/**
 * Builds a snapshot; a malformed bundle or property list throws ParseError (the provider then keeps what it had, or
 * does not become ready).
 */
export function buildSnapshot(
  source: SourceKind,
  bundle: FlagBundle | undefined,
  properties: EntitlementProperty[] | undefined,
  clock: { now: () => number; engineNow?: (() => Date) | undefined },
): Snapshot {
  const b = bundle ?? EMPTY_BUNDLE;
  const props = properties ?? [];
  const problem = bundleProblem(b) ?? propertiesProblem(props);
  if (problem) throw new ParseError(`Keyward (${source}): ${problem}`);
  let engine: FlagEngine;
  try {
    engine = new FlagEngine(
      { features: b.features, segments: b.segments },
      clock.engineNow ? { now: clock.engineNow } : {},
    );
  } catch (err) {
    throw new ParseError(`Keyward (${source}): the flag definitions do not load: ${(err as Error).message}`);
  }
  const context = b.context ?? {};
  // A change of segments or of the license context may change any flag.
  const shared = JSON.stringify([b.segments, context]);
  const signatures = new Map<string, string>();
  for (const p of props) signatures.set(p.key, JSON.stringify(['property', p.type, p.value]));
  for (const f of b.features) signatures.set(f.name, JSON.stringify(['flag', shared, f]));
  const loadedAt = clock.now();
  return {
    source,
    engine,
    context,
    properties: new Map(props.map((p) => [p.key, p])),
    loadedAt,
    loadedAtIso: new Date(loadedAt).toISOString(),
    signatures,
  };
}

/** Keys (flags and properties) whose definition or value differs between two snapshots, sorted. */
export function changedKeys(before: Snapshot | null, after: Snapshot): string[] {
  if (!before) return [...after.signatures.keys()].sort();
  const keys = new Set([...before.signatures.keys(), ...after.signatures.keys()]);
  return [...keys].filter((k) => before.signatures.get(k) !== after.signatures.get(k)).sort();
}
