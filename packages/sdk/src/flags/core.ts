/**
 * The engine's compiled state and decision logic, shared by FlagEngine's fast methods and explain(). Features are
 * compiled on first use (and kept), segments likewise; evaluation itself allocates nothing but its result.
 */
import { type CompiledConstraint, compileConstraint } from './constraints.ts';
import { type CompiledSegment, type CompiledStrategy, compileStrategy, strategyOn } from './strategies.ts';
import type {
  Constraint,
  EvaluationReason,
  FeatureDefinition,
  FlagContext,
  FlagDependency,
  SegmentDefinition,
  VariantResult,
} from './types.ts';
import {
  type CompiledVariants,
  compileVariants,
  DISABLED_VARIANT_OFF,
  DISABLED_VARIANT_ON,
  pickVariant,
} from './variants.ts';

export interface FlagEngineOptions {
  /** Clock for DATE_* constraints when the context has no currentTime (default: the system clock). */
  now?: () => Date;
  /** Random source in [0, 1) for random stickiness and gradualRolloutRandom (default Math.random). */
  random?: () => number;
  /** This host's name for the applicationHostname strategy (default: $HOSTNAME, else "undefined"). */
  hostname?: string;
}

export interface FlagDefinitions {
  features?: readonly FeatureDefinition[] | undefined;
  segments?: readonly SegmentDefinition[] | undefined;
}

export interface CompiledFeature {
  readonly name: string;
  readonly def: FeatureDefinition;
  readonly enabled: boolean;
  readonly deps: readonly FlagDependency[] | null;
  /** `strategies` is not an array: never on (as in the Unleash SDKs). */
  readonly malformed: boolean;
  /** No strategies at all: on for everyone (Unleash semantics). */
  readonly noStrategies: boolean;
  readonly strategies: readonly CompiledStrategy[];
  readonly variants: CompiledVariants | null;
}

/** decide() codes below 0; 0 and above are the index of the strategy that switched the flag on. */
export const NO_STRATEGIES = -1;
export const SWITCHED_OFF = -2;
export const PARENT_UNSATISFIED = -3;
export const NO_MATCH = -4;

export function reasonOf(f: CompiledFeature, code: number): EvaluationReason {
  if (code >= 0) return (f.strategies[code] as CompiledStrategy).reason;
  switch (code) {
    case NO_STRATEGIES:
      return 'STATIC';
    case SWITCHED_OFF:
      return 'DISABLED';
    case PARENT_UNSATISFIED:
      return 'PARENT_UNSATISFIED';
    default:
      return 'DEFAULT';
  }
}

const envHostname = (): string => {
  const proc = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return proc?.env?.HOSTNAME || 'undefined';
};

export class FlagCore {
  readonly defs = new Map<string, FeatureDefinition>();
  readonly segmentDefs = new Map<number, SegmentDefinition>();
  readonly random: () => number;
  readonly hostname: string;
  readonly nowMs: () => number;
  readonly #compiled = new Map<string, CompiledFeature>();
  readonly #segments = new Map<number, CompiledSegment | null>();
  readonly #compileConstraint: (c: Constraint) => CompiledConstraint;

  constructor(state: FlagDefinitions, options: FlagEngineOptions = {}) {
    for (const f of state.features ?? []) if (f && typeof f.name === 'string') this.defs.set(f.name, f);
    for (const s of state.segments ?? []) if (s && s.id !== undefined) this.segmentDefs.set(Number(s.id), s);
    this.random = options.random ?? Math.random;
    this.hostname = options.hostname ?? envHostname();
    const now = options.now;
    this.nowMs = now ? () => now().getTime() : Date.now;
    const nowMs = this.nowMs;
    this.#compileConstraint = (c) => compileConstraint(c, nowMs);
  }

  feature(name: string): CompiledFeature | undefined {
    const hit = this.#compiled.get(name);
    if (hit !== undefined) return hit;
    const def = this.defs.get(name);
    if (def === undefined) return undefined;
    const compiled = this.#compile(def);
    this.#compiled.set(name, compiled);
    return compiled;
  }

  segment(id: number): CompiledSegment | null {
    const key = Number(id);
    const hit = this.#segments.get(key);
    if (hit !== undefined) return hit;
    const def = this.segmentDefs.get(key);
    const compiled: CompiledSegment | null = def
      ? {
          id: key,
          name: def.name,
          constraints: (Array.isArray(def.constraints) ? def.constraints : [])
            .filter((c) => c !== null && typeof c === 'object')
            .map(this.#compileConstraint),
        }
      : null;
    this.#segments.set(key, compiled);
    return compiled;
  }

  #compile(def: FeatureDefinition): CompiledFeature {
    const name = def.name;
    const malformed = !Array.isArray(def.strategies);
    const env = {
      flagName: name,
      random: this.random,
      hostname: this.hostname,
      compileConstraint: this.#compileConstraint,
      segment: (id: number) => this.segment(id),
    };
    const strategies = malformed ? [] : def.strategies.map((s, i) => compileStrategy(s ?? { name: '' }, i, env));
    const deps = Array.isArray(def.dependencies) && def.dependencies.length > 0 ? def.dependencies : null;
    return {
      name,
      def,
      enabled: def.enabled === true,
      deps,
      malformed,
      noStrategies: !malformed && strategies.length === 0,
      strategies,
      variants: compileVariants(def.variants, name, def.variants?.[0]?.stickiness),
    };
  }

  /** The decision (see the codes above), without building anything. */
  decide(f: CompiledFeature, ctx: FlagContext): number {
    if (!f.enabled) return SWITCHED_OFF;
    if (f.deps !== null && !this.depsOk(f.deps, ctx)) return PARENT_UNSATISFIED;
    if (f.malformed) return NO_MATCH;
    if (f.noStrategies) return NO_STRATEGIES;
    const ss = f.strategies;
    for (let i = 0; i < ss.length; i++) {
      const s = ss[i] as CompiledStrategy;
      if (!s.disabled && strategyOn(s, ctx)) return i;
    }
    return NO_MATCH;
  }

  depsOk(deps: readonly FlagDependency[], ctx: FlagContext): boolean {
    for (let i = 0; i < deps.length; i++) if (!this.depOk(deps[i] as FlagDependency, ctx)) return false;
    return true;
  }

  /**
   * One dependency, with Unleash's rules: the parent must exist and have no dependencies of its own (one level);
   * `enabled: false` requires the parent off; otherwise on — and, when `variants` is non-empty, on with one of them.
   */
  depOk(dep: FlagDependency, ctx: FlagContext): boolean {
    const parent = this.feature(dep.feature);
    if (parent === undefined || parent.deps !== null) return false;
    const code = this.decide(parent, ctx);
    const on = code >= 0 || code === NO_STRATEGIES;
    if (dep.enabled === false) return !on;
    if (!on) return false;
    if (Array.isArray(dep.variants) && dep.variants.length > 0) {
      return dep.variants.includes(this.variantFor(parent, code, ctx).name);
    }
    return true;
  }

  /** The variant for a decision: the matched strategy's variants, else the flag's, else `disabled`. */
  variantFor(f: CompiledFeature, code: number, ctx: FlagContext): VariantResult {
    if (code < 0 && code !== NO_STRATEGIES) return DISABLED_VARIANT_OFF;
    if (code >= 0) {
      const sv = (f.strategies[code] as CompiledStrategy).variants;
      if (sv !== null) {
        const v = pickVariant(sv, ctx, this.random);
        if (v !== null) return v;
      }
    }
    if (f.variants !== null) {
      const v = pickVariant(f.variants, ctx, this.random);
      if (v !== null) return v;
    }
    return DISABLED_VARIANT_ON;
  }
}
