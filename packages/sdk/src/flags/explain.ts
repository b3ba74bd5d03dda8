/**
 * The decision trace behind FlagEngine.explain(): the flag switch, each dependency, each strategy in order with each
 * constraint / segment / rollout / list and why it passed or failed, the deciding step and the variant pick. It runs
 * the same compiled checks as evaluate() (core.ts) and derives its result from the trace itself, so the two agree.
 * Strategies whose id starts with `keyward:` and constraints marked `origin: 'toggle'` (added by withToggles) are
 * worded as per-customer toggles.
 */
import { type CompiledConstraint, explainConstraint } from './constraints.ts';
import { show } from './context.ts';
import {
  type CompiledFeature,
  type FlagCore,
  NO_MATCH,
  NO_STRATEGIES,
  PARENT_UNSATISFIED,
  reasonOf,
  SWITCHED_OFF,
} from './core.ts';
import { type CompiledStrategy, explainCheck } from './strategies.ts';
import type { Explanation, FlagContext, FlagDependency, TraceStep, VariantResult } from './types.ts';
import { DISABLED_VARIANT_OFF, DISABLED_VARIANT_ON, explainVariant } from './variants.ts';

export const LICENSE_ON = 'keyward:license-on';
export const ACCOUNT_ON = 'keyward:account-on';

export function explainFlag(core: FlagCore, name: string, ctx: FlagContext): Explanation {
  const steps: TraceStep[] = [];
  const f = core.feature(name);
  if (f === undefined) {
    steps.push({ subject: 'flag', outcome: 'decide', detail: `there is no flag named ${show(name)}` });
    return {
      flag: name,
      enabled: false,
      reason: 'NOT_FOUND',
      variant: DISABLED_VARIANT_OFF,
      strategy: undefined,
      steps,
    };
  }
  const done = (code: number, variant: VariantResult): Explanation => ({
    flag: name,
    enabled: code >= 0 || code === NO_STRATEGIES,
    reason: reasonOf(f, code),
    variant,
    strategy: code >= 0 ? f.strategies[code]?.matched : undefined,
    steps,
  });
  if (!f.enabled) {
    steps.push({
      subject: 'flag',
      outcome: 'decide',
      detail: 'the flag is switched off: off for everyone (kill switch)',
    });
    return done(SWITCHED_OFF, DISABLED_VARIANT_OFF);
  }
  steps.push({ subject: 'flag', outcome: 'pass', detail: 'the flag is switched on' });
  for (const dep of f.deps ?? []) {
    const d = explainDependency(core, dep, ctx);
    steps.push({ subject: `dependency:${dep.feature}`, outcome: d.pass ? 'pass' : 'fail', detail: d.detail });
    if (!d.pass) {
      steps.push({ subject: 'dependencies', outcome: 'decide', detail: 'a dependency is not satisfied: off' });
      return done(PARENT_UNSATISFIED, DISABLED_VARIANT_OFF);
    }
  }
  if (f.malformed) {
    steps.push({ subject: 'strategies', outcome: 'decide', detail: 'the strategies are not a list: off' });
    return done(NO_MATCH, DISABLED_VARIANT_OFF);
  }
  if (f.noStrategies) {
    steps.push({ subject: 'strategies', outcome: 'decide', detail: 'the flag has no strategies: on for everyone' });
    return done(NO_STRATEGIES, explainVariantStep(core, f, null, ctx, steps));
  }
  let code = NO_MATCH;
  for (const s of f.strategies) {
    const subject = strategySubject(s);
    if (code !== NO_MATCH) {
      steps.push({ subject, outcome: 'skip', detail: `not evaluated: strategy[${code}] already switched the flag on` });
      continue;
    }
    if (s.disabled) {
      steps.push({ subject, outcome: 'skip', detail: 'the strategy is disabled' });
      continue;
    }
    const header: TraceStep = { subject, outcome: 'fail', detail: '' };
    steps.push(header);
    const failure = explainStrategy(s, ctx, steps);
    if (failure === null) {
      code = s.index;
      header.outcome = 'decide';
      header.detail = matchedDetail(s, ctx);
    } else {
      header.detail = `did not match: ${failure}`;
    }
  }
  if (code === NO_MATCH) {
    steps.push({ subject: 'result', outcome: 'decide', detail: 'no strategy matched: off for this context' });
    return done(NO_MATCH, DISABLED_VARIANT_OFF);
  }
  return done(code, explainVariantStep(core, f, f.strategies[code] ?? null, ctx, steps));
}

function strategySubject(s: CompiledStrategy): string {
  const id = s.def.id;
  if (id === LICENSE_ON) return 'toggle license-on';
  if (id === ACCOUNT_ON) return 'toggle account-on';
  return `strategy[${s.index}] ${s.name}${s.def.title ? ` "${s.def.title}"` : ''}`;
}

function matchedDetail(s: CompiledStrategy, ctx: FlagContext): string {
  const field = (k: string) => show(ctx.properties?.[k] === undefined ? undefined : String(ctx.properties[k]));
  if (s.def.id === LICENSE_ON)
    return `turned on for this license by a per-customer toggle (licenseId ${field('licenseId')})`;
  if (s.def.id === ACCOUNT_ON)
    return `turned on for this account by a per-customer toggle (accountId ${field('accountId')})`;
  return 'matched: the flag is on for this context';
}

/** Pushes the strategy's checks; returns null when it matched, else the first failure's sentence. */
function explainStrategy(s: CompiledStrategy, ctx: FlagContext, steps: TraceStep[]): string | null {
  const toggle = String(s.def.id ?? '').startsWith('keyward:');
  for (const c of s.constraints) {
    const r = constraintStep(c, ctx, toggle ? String(s.def.id) : null, '');
    steps.push(r);
    if (r.outcome === 'fail') return r.detail;
  }
  for (const { id, segment } of s.segments) {
    if (segment === null) {
      const detail = `segment ${id} does not exist, so this strategy cannot match`;
      steps.push({ subject: `segment ${id}`, outcome: 'fail', detail });
      return detail;
    }
    const header: TraceStep = { subject: `segment ${id}`, outcome: 'pass', detail: '' };
    steps.push(header);
    const label = segment.name ? `segment ${id} (${segment.name})` : `segment ${id}`;
    let failed: string | null = null;
    for (const c of segment.constraints) {
      const r = constraintStep(c, ctx, null, `segment ${id}: `);
      steps.push(r);
      if (r.outcome === 'fail') {
        failed = r.detail;
        break;
      }
    }
    header.outcome = failed === null ? 'pass' : 'fail';
    header.detail = failed === null ? `${label}: all its constraints pass` : `${label}: ${failed}`;
    if (failed !== null) return header.detail;
  }
  const r = explainCheck(s, ctx);
  if (r !== null) {
    steps.push({ subject: r.subject, outcome: r.pass ? 'pass' : 'fail', detail: r.detail });
    if (!r.pass) return r.detail;
  }
  return null;
}

function constraintStep(c: CompiledConstraint, ctx: FlagContext, toggleId: string | null, prefix: string): TraceStep {
  const { pass, detail } = explainConstraint(c, ctx);
  const d = c.def;
  const outcome = pass ? 'pass' : 'fail';
  const field = d.contextName;
  const who = field === 'accountId' ? 'account' : field === 'licenseId' ? 'license' : null;
  if (who !== null && (toggleId !== null || d.origin === 'toggle')) {
    const id = `${field} ${show(ctx.properties?.[field] === undefined ? undefined : String(ctx.properties[field]))}`;
    if (d.operator === 'IN') {
      return {
        subject: `toggle ${who} on-list`,
        outcome,
        detail: pass
          ? `turned on for this ${who} by a per-customer toggle (${id})`
          : `no per-customer toggle turns this ${who} on (${id})`,
      };
    }
    if (d.operator === 'NOT_IN') {
      const overrides = toggleId === ACCOUNT_ON ? ', which wins over the account toggle' : '';
      return {
        subject: `toggle ${who} off-list`,
        outcome,
        detail: pass
          ? `no per-customer toggle turns this ${who} off (${id})`
          : `turned off for this ${who} by a per-customer toggle (${id})${overrides}`,
      };
    }
  }
  return { subject: `${prefix}constraint ${field} ${d.operator}`, outcome, detail };
}

function explainDependency(core: FlagCore, dep: FlagDependency, ctx: FlagContext): { pass: boolean; detail: string } {
  const parent = core.feature(dep.feature);
  const p = show(dep.feature);
  if (parent === undefined) return { pass: false, detail: `parent ${p} does not exist` };
  if (parent.deps !== null) {
    return { pass: false, detail: `parent ${p} has dependencies of its own (only one level is allowed)` };
  }
  const code = core.decide(parent, ctx);
  const on = code >= 0 || code === NO_STRATEGIES;
  const state = `parent ${p} is ${on ? 'on' : 'off'} for this context`;
  if (dep.enabled === false) return { pass: !on, detail: `${state} (required: off)` };
  if (!on) return { pass: false, detail: `${state} (required: on)` };
  if (Array.isArray(dep.variants) && dep.variants.length > 0) {
    const v = core.variantFor(parent, code, ctx).name;
    const pass = dep.variants.includes(v);
    return {
      pass,
      detail: `${state} with variant ${show(v)}, ${pass ? '' : 'not '}one of [${dep.variants.join(', ')}]`,
    };
  }
  return { pass: true, detail: `${state} (required: on)` };
}

function explainVariantStep(
  core: FlagCore,
  f: CompiledFeature,
  s: CompiledStrategy | null,
  ctx: FlagContext,
  steps: TraceStep[],
): VariantResult {
  if (s?.variants) {
    const r = explainVariant(s.variants, ctx, core.random);
    if (r.result !== null) {
      steps.push({ subject: 'variant', outcome: 'decide', detail: `strategy variant — ${r.detail}` });
      return r.result;
    }
    steps.push({ subject: 'variant', outcome: 'skip', detail: `strategy variants: ${r.detail}` });
  }
  if (f.variants) {
    const r = explainVariant(f.variants, ctx, core.random);
    if (r.result !== null) {
      steps.push({ subject: 'variant', outcome: 'decide', detail: r.detail });
      return r.result;
    }
    steps.push({ subject: 'variant', outcome: 'skip', detail: r.detail });
    return DISABLED_VARIANT_ON;
  }
  steps.push({ subject: 'variant', outcome: 'skip', detail: 'the flag has no variants: variant "disabled"' });
  return DISABLED_VARIANT_ON;
}
