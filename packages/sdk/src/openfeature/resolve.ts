/**
 * One resolution: a flag key (evaluated by the FlagEngine) or else an entitlement property key, as the OpenFeature
 * type asked for. Errors are answered (value = the caller's default, reason ERROR, an error code), never thrown, so
 * flagMetadata survives. Reasons and codes: README, "OpenFeature provider".
 */
import {
  ErrorCode,
  type EvaluationContext,
  type FlagMetadata,
  type JsonValue,
  type ResolutionDetails,
  StandardResolutionReasons,
} from '@openfeature/server-sdk';
import type { EntitlementProperty } from '../entitlements-types.ts';
import type { Evaluation, EvaluationReason, VariantResult } from '../flags/types.ts';
import { flagContextOf } from './context.ts';
import type { Snapshot } from './snapshot.ts';

export type FlagType = 'boolean' | 'string' | 'number' | 'object';

/** What a resolution reads: the snapshot, and whether it counts as cached (see the provider). */
export interface Served {
  snapshot: Snapshot;
  cached: boolean;
}

/**
 * The engine's reasons as OpenFeature reasons. PARENT_UNSATISFIED → DEFAULT: the flag is on in Keyward, but a
 * flag it depends on is not satisfied for this context, so the context gets the flag's off value — like a context
 * no strategy matched. DISABLED is kept for the kill switch (the flag itself is off).
 */
const REASONS: Record<Exclude<EvaluationReason, 'NOT_FOUND'>, string> = {
  DISABLED: StandardResolutionReasons.DISABLED,
  PARENT_UNSATISFIED: StandardResolutionReasons.DEFAULT,
  STATIC: StandardResolutionReasons.STATIC,
  TARGETING_MATCH: StandardResolutionReasons.TARGETING_MATCH,
  SPLIT: StandardResolutionReasons.SPLIT,
  DEFAULT: StandardResolutionReasons.DEFAULT,
};

type Details = ResolutionDetails<unknown>;

const failure = (value: unknown, errorCode: ErrorCode, errorMessage: string, flagMetadata: FlagMetadata = {}) =>
  ({ value, reason: StandardResolutionReasons.ERROR, errorCode, errorMessage, flagMetadata }) satisfies Details;

type Converted = { value: unknown } | { code: ErrorCode; message: string };

const mismatch = (what: string, type: FlagType): Converted => ({
  code: ErrorCode.TYPE_MISMATCH,
  message: `${what}, not a${type === 'object' ? 'n object' : ` ${type}`}`,
});

/** A variant's payload as the asked type: string ← string/csv (or the variant's name when it has no payload),
 *  number ← number, object ← json (parsed) or csv (an array of strings). */
function variantValue(type: Exclude<FlagType, 'boolean'>, variant: VariantResult): Converted {
  const payload = variant.payload;
  if (!payload) {
    return type === 'string' ? { value: variant.name } : mismatch(`Variant ${variant.name} has no payload`, type);
  }
  const what = `Variant ${variant.name} carries a ${payload.type} payload`;
  if (type === 'string')
    return payload.type === 'string' || payload.type === 'csv' ? { value: payload.value } : mismatch(what, type);
  if (type === 'number') {
    if (payload.type !== 'number') return mismatch(what, type);
    const n = payload.value.trim() === '' ? Number.NaN : Number(payload.value);
    return Number.isFinite(n)
      ? { value: n }
      : { code: ErrorCode.PARSE_ERROR, message: `${what} that is not a number: ${payload.value}` };
  }
  if (payload.type === 'csv') return { value: payload.value.split(',').map((s) => s.trim()) };
  if (payload.type !== 'json') return mismatch(what, type);
  try {
    return { value: JSON.parse(payload.value) as JsonValue };
  } catch {
    return { code: ErrorCode.PARSE_ERROR, message: `${what} that is not valid JSON` };
  }
}

function resolveFlag(served: Served, key: string, type: FlagType, fallback: unknown, ctx: EvaluationContext): Details {
  const { snapshot, cached } = served;
  let ev: Evaluation;
  try {
    ev = snapshot.engine.evaluate(key, flagContextOf(ctx, snapshot.context));
  } catch (err) {
    const meta = { source: snapshot.source, kind: 'flag' };
    return failure(fallback, ErrorCode.GENERAL, `Evaluating ${key} failed: ${(err as Error).message}`, meta);
  }
  const meta: FlagMetadata = {
    source: snapshot.source,
    kind: 'flag',
    evaluationReason: ev.reason,
    enabled: ev.enabled,
    loadedAt: snapshot.loadedAtIso,
  };
  if (ev.strategy) {
    meta.strategy = ev.strategy.name;
    if (ev.strategy.id) meta.strategyId = ev.strategy.id;
  }
  if (ev.reason === 'NOT_FOUND') return failure(fallback, ErrorCode.FLAG_NOT_FOUND, `No flag named ${key}`, meta);
  const reason = (r: string) => (cached ? StandardResolutionReasons.CACHED : r);
  const picked = ev.variant.enabled ? ev.variant.name : undefined;
  if (type === 'boolean') {
    return {
      value: ev.enabled,
      reason: reason(REASONS[ev.reason]),
      variant: picked ?? (ev.enabled ? 'on' : 'off'),
      flagMetadata: meta,
    };
  }
  // Off (kill switch, no match, parent unsatisfied): the caller's default, with the reason why.
  if (!ev.enabled) return { value: fallback, reason: reason(REASONS[ev.reason]), flagMetadata: meta };
  // On, but no variant for this context: nothing to return but the default.
  if (!picked) return { value: fallback, reason: reason(StandardResolutionReasons.DEFAULT), flagMetadata: meta };
  const converted = variantValue(type, ev.variant);
  if ('code' in converted)
    return failure(fallback, converted.code, `${key}: ${converted.message}`, { ...meta, variant: picked });
  return { value: converted.value, reason: reason(REASONS[ev.reason]), variant: picked, flagMetadata: meta };
}

function propertyFits(p: EntitlementProperty, type: FlagType): boolean {
  const v = p.value;
  if (type === 'object') return p.type === 'json' ? v !== undefined : typeof v === 'object' && v !== null;
  return typeof v === type;
}

/**
 * An entitlement property: its effective value, reason TARGETING_MATCH (a plan value or an override decided it for
 * this license) or DEFAULT (the property's default). An unlimited number (null) answers the caller's default with
 * reason DEFAULT and flagMetadata.unlimited.
 */
function resolveProperty(served: Served, p: EntitlementProperty, type: FlagType, fallback: unknown): Details {
  const { snapshot, cached } = served;
  const meta: FlagMetadata = {
    source: snapshot.source,
    kind: 'property',
    propertyType: p.type,
    valueSource: p.source.kind,
    loadedAt: snapshot.loadedAtIso,
  };
  if (p.unit) meta.unit = p.unit;
  if (p.enforcement) meta.enforcement = p.enforcement;
  if (p.usage) {
    meta.used = p.usage.used;
    meta.usageStatus = p.usage.status;
    if (p.usage.remaining !== null) meta.remaining = p.usage.remaining;
  }
  const reason = (r: string) => (cached ? StandardResolutionReasons.CACHED : r);
  if (type === 'number' && p.type === 'number' && p.value === null) {
    return {
      value: fallback,
      reason: reason(StandardResolutionReasons.DEFAULT),
      flagMetadata: { ...meta, unlimited: true },
    };
  }
  if (!propertyFits(p, type)) {
    const message = `Property ${p.key} is a ${p.type} property (value ${JSON.stringify(p.value)}), not a${type === 'object' ? 'n object' : ` ${type}`}`;
    return failure(fallback, ErrorCode.TYPE_MISMATCH, message, meta);
  }
  const decided =
    p.source.kind === 'default' ? StandardResolutionReasons.DEFAULT : StandardResolutionReasons.TARGETING_MATCH;
  return { value: p.value, reason: reason(decided), flagMetadata: meta };
}

/** Resolves `key` as `type`; `served` null: the provider has nothing to serve (PROVIDER_NOT_READY). */
export function resolve(
  served: Served | null,
  notReady: string,
  key: string,
  type: FlagType,
  fallback: unknown,
  ctx: EvaluationContext,
): Details {
  if (!served) return failure(fallback, ErrorCode.PROVIDER_NOT_READY, notReady);
  if (served.snapshot.engine.has(key)) return resolveFlag(served, key, type, fallback, ctx);
  const property = served.snapshot.properties.get(key);
  if (property) return resolveProperty(served, property, type, fallback);
  const meta = { source: served.snapshot.source };
  return failure(fallback, ErrorCode.FLAG_NOT_FOUND, `No flag or entitlement property named ${key}`, meta);
}
