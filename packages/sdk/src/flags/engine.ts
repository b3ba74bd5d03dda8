/**
 * FlagEngine — evaluates Unleash-model feature flags (types.ts) locally: in the SDK (online cache or license file)
 * and on the server (entitlements check, explain). Conforms to the Unleash client specification (see
 * conformance.test.ts); definitions are compiled once, on first use, into closures (Sets for value lists, parsed
 * numbers / dates / versions / address ranges / regular expressions, resolved segments).
 *
 * Reasons (Evaluation.reason), precisely:
 * - NOT_FOUND: no flag of that name.
 * - DISABLED: the flag's `enabled` is false — off for everyone, whatever its strategies or toggles (kill switch).
 * - PARENT_UNSATISFIED: enabled, but a dependency failed (missing parent, parent with dependencies of its own,
 *   parent not in the required state or variant).
 * - STATIC: on for everyone — no strategies at all, or the matching strategy has no constraints or segments and is
 *   `default`, a flexibleRollout of 100 % with default/random stickiness, or gradualRolloutRandom at 100 %.
 * - SPLIT: the matching strategy is a percentage rollout below 100 % (flexibleRollout, gradualRollout*): the bucket
 *   placed this context in; this wins over TARGETING_MATCH when the strategy also has constraints.
 * - TARGETING_MATCH: the matching strategy selected this context by who it is — constraints, segments, a user or
 *   address list, a hostname, a 100 % rollout on a required field (custom stickiness, userId, sessionId), or a
 *   per-customer toggle (`keyward:` strategies, see toggles.ts).
 * - DEFAULT: enabled and dependencies satisfied, but no strategy matched: off for this context.
 * The variant is the matching strategy's variant, else the flag's variants, else `{name: 'disabled', enabled:
 * false}` with `featureEnabled` telling whether the flag was on. Variant results are frozen and shared.
 */
import { FlagCore, type FlagDefinitions, type FlagEngineOptions, NO_STRATEGIES, reasonOf } from './core.ts';
import { explainFlag } from './explain.ts';
import type { Evaluation, Explanation, FeatureDefinition, FlagContext, VariantResult } from './types.ts';
import { DISABLED_VARIANT_OFF } from './variants.ts';

export type { FlagDefinitions, FlagEngineOptions };

const EMPTY: FlagContext = Object.freeze({});

export class FlagEngine {
  readonly #core: FlagCore;

  constructor(state: FlagDefinitions, options: FlagEngineOptions = {}) {
    this.#core = new FlagCore(state, options);
  }

  /** Whether the flag is on for this context (the cheapest call: no variant is picked). */
  isEnabled(name: string, ctx: FlagContext = EMPTY): boolean {
    const f = this.#core.feature(name);
    if (f === undefined) return false;
    const code = this.#core.decide(f, ctx);
    return code >= 0 || code === NO_STRATEGIES;
  }

  /** Unleash's getVariant: the variant for this context (frozen; `featureEnabled` = whether the flag is on). */
  getVariant(name: string, ctx: FlagContext = EMPTY): VariantResult {
    const f = this.#core.feature(name);
    if (f === undefined) return DISABLED_VARIANT_OFF;
    return this.#core.variantFor(f, this.#core.decide(f, ctx), ctx);
  }

  /** Enabled, reason, variant and the matching strategy — no trace (see explain). */
  evaluate(name: string, ctx: FlagContext = EMPTY): Evaluation {
    const core = this.#core;
    const f = core.feature(name);
    if (f === undefined) {
      return { flag: name, enabled: false, reason: 'NOT_FOUND', variant: DISABLED_VARIANT_OFF, strategy: undefined };
    }
    const code = core.decide(f, ctx);
    return {
      flag: name,
      enabled: code >= 0 || code === NO_STRATEGIES,
      reason: reasonOf(f, code),
      variant: core.variantFor(f, code, ctx),
      strategy: code >= 0 ? f.strategies[code]?.matched : undefined,
    };
  }

  /** evaluate() plus the decision trace: every check looked at, why it passed or failed, and what decided. */
  explain(name: string, ctx: FlagContext = EMPTY): Explanation {
    return explainFlag(this.#core, name, ctx);
  }

  has(name: string): boolean {
    return this.#core.defs.has(name);
  }

  names(): string[] {
    return [...this.#core.defs.keys()];
  }

  definition(name: string): FeatureDefinition | undefined {
    return this.#core.defs.get(name);
  }
}
