/**
 * Variants (feature-level and strategy-level) compiled once: results are frozen objects shared by every evaluation,
 * override values become Sets, the bucket prefix is precomputed. Selection follows Unleash's selectVariant: overrides
 * first (the first variant, in order, with a matching override), then `murmur3("${groupId}:${seed}", 86028157) %
 * totalWeight + 1` walked through the cumulative weights (weight-0 variants skipped). The seed is the stickiness
 * field, or for `default` the first non-empty userId, sessionId, remoteAddress — else a random number.
 */
import { contextGetter, type Getter, show } from './context.ts';
import { bucketOf, VARIANT_SEED } from './murmur.ts';
import type { FlagContext, VariantDefinition, VariantResult } from './types.ts';

export interface CompiledVariants {
  readonly groupId: string;
  readonly prefix: string;
  readonly stickiness: string;
  readonly getter: Getter | null;
  readonly total: number;
  readonly entries: readonly { weight: number; result: VariantResult }[];
  readonly overrides: readonly { field: string; get: Getter; set: ReadonlySet<string>; result: VariantResult }[];
}

export const DISABLED_VARIANT_OFF: VariantResult = Object.freeze({
  name: 'disabled',
  enabled: false,
  featureEnabled: false,
});
export const DISABLED_VARIANT_ON: VariantResult = Object.freeze({
  name: 'disabled',
  enabled: false,
  featureEnabled: true,
});

/** The frozen result for a picked variant (`enabled` and `featureEnabled` true). */
export function variantResult(v: VariantDefinition): VariantResult {
  const r: VariantResult = { name: String(v.name), enabled: true, featureEnabled: true };
  if (v.payload !== undefined && v.payload !== null) r.payload = Object.freeze({ ...v.payload });
  return Object.freeze(r);
}

/** Compiles a variant list; null when there are none. `stickiness` undefined = `default`. */
export function compileVariants(
  variants: readonly VariantDefinition[] | undefined,
  groupId: string,
  stickiness: string | undefined,
): CompiledVariants | null {
  if (!Array.isArray(variants) || variants.length === 0) return null;
  const stick = stickiness || 'default';
  const entries = variants.map((v) => ({ weight: Number(v.weight) || 0, result: variantResult(v) }));
  const overrides: CompiledVariants['overrides'][number][] = [];
  variants.forEach((v, i) => {
    for (const o of v.overrides ?? []) {
      const field = String(o.contextName);
      overrides.push({
        field,
        get: contextGetter(field),
        set: new Set((o.values ?? []).map(String)),
        result: (entries[i] as { result: VariantResult }).result,
      });
    }
  });
  return {
    groupId,
    prefix: `${groupId}:`,
    stickiness: stick,
    getter: stick === 'default' ? null : contextGetter(stick),
    total: entries.reduce((a, e) => a + e.weight, 0),
    entries,
    overrides,
  };
}

const randomSeed = (random: () => number) => String(Math.round(random() * 100000));

function seedOf(cv: CompiledVariants, ctx: FlagContext, random: () => number): string {
  if (cv.getter !== null) return cv.getter(ctx) || randomSeed(random);
  const { userId, sessionId, remoteAddress } = ctx;
  if (typeof userId === 'string' && userId !== '') return userId;
  if (typeof sessionId === 'string' && sessionId !== '') return sessionId;
  if (typeof remoteAddress === 'string' && remoteAddress !== '') return remoteAddress;
  return randomSeed(random);
}

function overrideFor(cv: CompiledVariants, ctx: FlagContext): CompiledVariants['overrides'][number] | undefined {
  const os = cv.overrides;
  for (let i = 0; i < os.length; i++) {
    const o = os[i] as CompiledVariants['overrides'][number];
    const v = o.get(ctx);
    if (v !== undefined && o.set.has(v)) return o;
  }
  return undefined;
}

function byBucket(cv: CompiledVariants, target: number): VariantResult | null {
  let counter = 0;
  const es = cv.entries;
  for (let i = 0; i < es.length; i++) {
    const e = es[i] as { weight: number; result: VariantResult };
    if (e.weight === 0) continue;
    counter += e.weight;
    if (counter >= target) return e.result;
  }
  return null;
}

/** The picked variant, or null when the weights add up to 0 (or nothing is reached). */
export function pickVariant(cv: CompiledVariants, ctx: FlagContext, random: () => number): VariantResult | null {
  if (cv.total <= 0) return null;
  if (cv.overrides.length > 0) {
    const o = overrideFor(cv, ctx);
    if (o !== undefined) return o.result;
  }
  return byBucket(cv, bucketOf(cv.prefix, seedOf(cv, ctx, random), cv.total, VARIANT_SEED));
}

/** Same as pickVariant, with a sentence saying how. */
export function explainVariant(
  cv: CompiledVariants,
  ctx: FlagContext,
  random: () => number,
): { result: VariantResult | null; detail: string } {
  if (cv.total <= 0) return { result: null, detail: 'the variant weights add up to 0: no variant' };
  const o = cv.overrides.length > 0 ? overrideFor(cv, ctx) : undefined;
  if (o !== undefined) {
    return {
      result: o.result,
      detail: `override: ${o.field} ${show(o.get(ctx))} is listed for variant ${o.result.name}`,
    };
  }
  const seed = seedOf(cv, ctx, random);
  const from =
    cv.getter !== null
      ? cv.getter(ctx)
        ? `${cv.stickiness} ${show(seed)}`
        : `${cv.stickiness} not set, random ${seed}`
      : seed === ctx.userId
        ? `userId ${show(seed)}`
        : seed === ctx.sessionId
          ? `sessionId ${show(seed)}`
          : seed === ctx.remoteAddress
            ? `remoteAddress ${show(seed)}`
            : `no userId/sessionId/remoteAddress, random ${seed}`;
  const bucket = bucketOf(cv.prefix, seed, cv.total, VARIANT_SEED);
  const result = byBucket(cv, bucket);
  return {
    result,
    detail: result
      ? `variant ${result.name}: bucket ${bucket} of ${cv.total} (stickiness ${from}, group ${show(cv.groupId)})`
      : `bucket ${bucket} of ${cv.total} reaches no variant`,
  };
}

/**
 * Unleash's weight rule for the client API: variants with `weightType: 'fix'` keep their weight; the others share
 * what is left of `total` (1000) equally, the first ones getting one more when it does not divide evenly. Returns new
 * objects; fixed weights above the total leave nothing to share (variable variants get 0).
 */
export function normalizeVariantWeights<V extends VariantDefinition>(variants: readonly V[], total = 1000): V[] {
  const fixed = variants.filter((v) => v.weightType === 'fix').reduce((a, v) => a + (Number(v.weight) || 0), 0);
  const variable = variants.filter((v) => v.weightType !== 'fix').length;
  if (variable === 0) return variants.map((v) => ({ ...v }));
  const left = Math.max(0, total - fixed);
  const share = Math.floor(left / variable);
  let rest = left % variable;
  return variants.map((v) => {
    if (v.weightType === 'fix') return { ...v };
    const weight = share + (rest > 0 ? 1 : 0);
    if (rest > 0) rest--;
    return { ...v, weight, weightType: 'variable' as const };
  });
}
