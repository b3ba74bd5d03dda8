import type { Enforcement, PropertyType, ResetPeriod } from '../../platform/db/schema.ts';

/**
 * The effective value of a property for one license: the first active candidate in
 * license override > account override > plan > base plan > property default. Pure; the explain trace lists every
 * candidate and why it did or did not decide. Enforcement (hard/soft, numbers only) resolves through the same chain
 * independently: the first active candidate that sets one, else the property's, else hard.
 */

export interface PropertyDef {
  id: string;
  productId: string;
  key: string;
  name: string;
  description: string;
  type: PropertyType;
  defaultValue: unknown;
  options: string[];
  multiple: boolean;
  enforcement: Enforcement | null;
  warningThresholdPercent: number | null;
  metered: boolean;
  resetPeriod: ResetPeriod;
  unit: string;
}

export type SourceKind = 'license_override' | 'account_override' | 'plan' | 'base_plan' | 'default';

export interface Candidate {
  kind: SourceKind;
  value: unknown;
  enforcement: Enforcement | null;
  /** Override id (overrides), plan id (plan, base_plan). */
  id?: string | undefined;
  planName?: string | undefined;
  reason?: string | undefined;
  authorName?: string | undefined;
  expiresAt?: Date | null | undefined;
  /** A plan value that only sets the enforcement (e.g. a trial softening its base plan's limit): no value of its own. */
  inheritsValue?: boolean | undefined;
}

/** Where the effective value came from (API shape). */
export interface ValueSource {
  kind: SourceKind;
  id: string | null;
  planName: string | null;
  reason: string | null;
  authorName: string | null;
  expiresAt: string | null;
}

export interface CandidateTrace {
  source: ValueSource;
  value: unknown;
  outcome: 'decided' | 'shadowed' | 'expired' | 'absent';
  detail: string;
}

export interface EffectiveProperty {
  property: PropertyDef;
  value: unknown;
  enforcement: Enforcement | null;
  source: ValueSource;
  trace: CandidateTrace[];
}

/** The full chain for one property; absent layers are `undefined`. */
export interface CandidateChain {
  licenseOverride?: Candidate | undefined;
  accountOverride?: Candidate | undefined;
  plan?: Candidate | undefined;
  basePlan?: Candidate | undefined;
}

const LABEL: Record<SourceKind, string> = {
  license_override: 'License override',
  account_override: 'Account override',
  plan: 'Plan value',
  base_plan: 'Base plan value',
  default: 'Property default',
};

export const sourceOf = (c: Candidate): ValueSource => ({
  kind: c.kind,
  id: c.id ?? null,
  planName: c.planName ?? null,
  reason: c.reason ?? null,
  authorName: c.authorName ?? null,
  expiresAt: c.expiresAt ? c.expiresAt.toISOString() : null,
});

const show = (v: unknown) => JSON.stringify(v);
/** `Plan value 100 of plan Trial`, `License override 500 by Ann`. */
const candidateText = (c: Candidate) =>
  `${LABEL[c.kind]} ${show(c.value)}${c.planName ? ` of plan ${c.planName}` : ''}${c.authorName ? ` by ${c.authorName}` : ''}`;

export function effectiveValue(property: PropertyDef, chain: CandidateChain, now: Date): EffectiveProperty {
  const ordered: Array<[SourceKind, Candidate | undefined]> = [
    ['license_override', chain.licenseOverride],
    ['account_override', chain.accountOverride],
    ['plan', chain.plan],
    ['base_plan', chain.basePlan],
  ];
  const fallback: Candidate = {
    kind: 'default',
    value: property.defaultValue,
    enforcement: property.enforcement,
  };
  const trace: CandidateTrace[] = [];
  let decided: Candidate | undefined;
  let enforcement: Enforcement | null = null;
  for (const [kind, candidate] of ordered) {
    if (!candidate) {
      trace.push({
        source: { kind, id: null, planName: null, reason: null, authorName: null, expiresAt: null },
        value: null,
        outcome: 'absent',
        detail: `${LABEL[kind]}: none set`,
      });
      continue;
    }
    if (candidate.expiresAt && candidate.expiresAt <= now) {
      trace.push({
        source: sourceOf(candidate),
        value: candidate.value,
        outcome: 'expired',
        detail: `${candidateText(candidate)} expired on ${candidate.expiresAt.toISOString()}`,
      });
      continue;
    }
    if (enforcement === null && candidate.enforcement) enforcement = candidate.enforcement;
    if (candidate.inheritsValue) {
      const plan = candidate.planName ? ` of plan ${candidate.planName}` : '';
      trace.push({
        source: sourceOf(candidate),
        value: null,
        outcome: 'absent',
        detail: `${LABEL[kind]}${plan}: no value of its own (inherited); it makes the limit ${candidate.enforcement}`,
      });
      continue;
    }
    if (decided) {
      trace.push({
        source: sourceOf(candidate),
        value: candidate.value,
        outcome: 'shadowed',
        detail: `${candidateText(candidate)} is overridden by the ${LABEL[decided.kind].toLowerCase()}`,
      });
      continue;
    }
    decided = candidate;
    const why = candidate.reason ? ` (reason: ${candidate.reason})` : '';
    const until = candidate.expiresAt ? ` until ${candidate.expiresAt.toISOString()}` : '';
    trace.push({
      source: sourceOf(candidate),
      value: candidate.value,
      outcome: 'decided',
      detail: `${candidateText(candidate)} decides${until}${why}`,
    });
  }
  const final = decided ?? fallback;
  trace.push({
    source: sourceOf(fallback),
    value: fallback.value,
    outcome: decided ? 'shadowed' : 'decided',
    detail: decided
      ? `${LABEL.default} ${show(fallback.value)} is overridden by the ${LABEL[decided.kind].toLowerCase()}`
      : `${LABEL.default} ${show(fallback.value)} decides: no plan value or override is set`,
  });
  // Numbers always have one (a limit without a stated enforcement is hard); other types have none.
  if (property.type !== 'number') enforcement = null;
  else enforcement = enforcement ?? property.enforcement ?? 'hard';
  return { property, value: final.value, enforcement, source: sourceOf(final), trace };
}
