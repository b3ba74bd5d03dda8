import { normalizeVariantWeights, OPERATORS } from '@keyward/sdk/flags';
import type {
  Constraint,
  Flag,
  FlagDefinitionInput,
  FlagDependency,
  FlagType,
  StrategyDefinition,
  VariantDefinition,
  VariantPayload,
} from './flags-types.ts';

/*
 * The flag editor's form model and its conversion to and from the API's definition (the Unleash model), kept free
 * of React so it is unit-tested. Every list item has a `uid` (React keys; errors are attached to it), numbers the
 * user types stay numbers, and what the editor has no field for (unknown strategy parameters, variant overrides)
 * is carried through unchanged.
 */

/** Every Unleash constraint operator: the engine's own list. */
export { OPERATORS };

/** Operators that take a list of values (`values`); the others take one (`value`). */
const MULTI = new Set<string>(['IN', 'NOT_IN', 'STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'IN_CIDR']);
export const isMultiValue = (operator: string) => MULTI.has(operator);
/** Operators whose comparison can ignore case (IN and NOT_IN ignore it, as in Unleash). */
export const supportsCaseInsensitive = (operator: string) => operator.startsWith('STR_') || operator === 'REGEX';

/** The license-aware context fields the server sets (docs/feature-flags.md "Context"), then Unleash's own. */
export const CONTEXT_FIELDS = [
  'accountId',
  'licenseId',
  'plan',
  'planId',
  'product',
  'accountCreatedAt',
  'licenseType',
  'entitlements',
  'userId',
  'sessionId',
  'remoteAddress',
  'environment',
  'appName',
  'currentTime',
] as const;

/** The strategy types the editor offers (others, e.g. applicationHostname, are kept and shown as they are). */
export const STRATEGY_TYPES = ['default', 'flexibleRollout', 'userWithId', 'remoteAddress'] as const;
export const STICKINESS = ['default', 'accountId', 'licenseId', 'userId', 'sessionId', 'random'] as const;
export const PAYLOAD_TYPES = ['string', 'json', 'csv', 'number'] as const;

/** The flag key rule of the server (definition.schemas.ts FlagKey). */
export const FLAG_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;

let counter = 0;
export const newUid = (prefix: string) => `${prefix}${++counter}`;

export interface ConstraintDraft {
  uid: string;
  contextName: string;
  operator: string;
  values: string[];
  value: string;
  inverted: boolean;
  caseInsensitive: boolean;
}

export interface VariantDraft {
  uid: string;
  name: string;
  /** Per mille (0–1000), as the API stores it; only `fix` weights are typed by the user. */
  weight: number;
  weightType: 'variable' | 'fix';
  stickiness: string;
  /** '' = no payload. */
  payloadType: '' | VariantPayload['type'];
  payloadValue: string;
  /** Overrides are carried through (the editor shows how many). */
  overrides: NonNullable<VariantDefinition['overrides']>;
}

export interface StrategyDraft {
  uid: string;
  name: string;
  id: string | undefined;
  title: string;
  disabled: boolean;
  /** flexibleRollout: 0–100. */
  rollout: number;
  stickiness: string;
  groupId: string;
  /** userWithId */
  userIds: string[];
  /** remoteAddress */
  ips: string[];
  /** Parameters the editor has no field for (kept as they were). */
  otherParameters: Record<string, string | number>;
  constraints: ConstraintDraft[];
  segments: number[];
  variants: VariantDraft[];
}

export interface DependencyDraft {
  uid: string;
  feature: string;
  enabled: boolean;
  variants: string[];
}

export interface FlagDraft {
  description: string;
  type: FlagType;
  strategies: StrategyDraft[];
  variants: VariantDraft[];
  dependencies: DependencyDraft[];
  impressionData: boolean;
}

const splitList = (v: string | number | undefined): string[] =>
  v === undefined
    ? []
    : String(v)
        .split(',')
        .map((x) => x.trim())
        .filter((x) => x !== '');

export function constraintDraft(c?: Partial<Constraint>): ConstraintDraft {
  const operator = c?.operator ?? 'IN';
  return {
    uid: newUid('c'),
    contextName: c?.contextName ?? 'plan',
    operator,
    values: c?.values ? [...c.values] : [],
    value: c?.value ?? '',
    inverted: c?.inverted === true,
    caseInsensitive: c?.caseInsensitive === true,
  };
}

/** A new operator: values move between the list and the single value so nothing typed is lost. */
export function withOperator(c: ConstraintDraft, operator: string): ConstraintDraft {
  const wasMulti = isMultiValue(c.operator);
  const multi = isMultiValue(operator);
  if (wasMulti === multi) return { ...c, operator };
  if (multi) return { ...c, operator, values: c.value.trim() ? [c.value.trim()] : c.values, value: '' };
  return { ...c, operator, value: c.value || (c.values[0] ?? ''), values: [] };
}

export function variantDraft(v?: Partial<VariantDefinition>): VariantDraft {
  return {
    uid: newUid('v'),
    name: v?.name ?? '',
    weight: typeof v?.weight === 'number' ? v.weight : 0,
    weightType: v?.weightType === 'fix' ? 'fix' : 'variable',
    stickiness: v?.stickiness ?? 'default',
    payloadType: v?.payload?.type ?? '',
    payloadValue: v?.payload?.value ?? '',
    overrides: v?.overrides ? v.overrides.map((o) => ({ ...o, values: [...o.values] })) : [],
  };
}

const KNOWN_PARAMS: Record<string, string[]> = {
  flexibleRollout: ['rollout', 'stickiness', 'groupId'],
  userWithId: ['userIds'],
  remoteAddress: ['IPs'],
};

export function strategyDraft(s: Partial<StrategyDefinition> & { name: string }, flagKey = ''): StrategyDraft {
  const params = s.parameters ?? {};
  const known = KNOWN_PARAMS[s.name] ?? [];
  const rollout = Number(params.rollout ?? 100);
  return {
    uid: newUid('s'),
    name: s.name,
    id: s.id,
    title: s.title ?? '',
    disabled: s.disabled === true,
    rollout: Number.isFinite(rollout) ? Math.min(100, Math.max(0, rollout)) : 100,
    stickiness: String(params.stickiness ?? 'default'),
    groupId: params.groupId === undefined ? flagKey : String(params.groupId),
    userIds: splitList(params.userIds),
    ips: splitList(params.IPs),
    otherParameters: Object.fromEntries(Object.entries(params).filter(([k]) => !known.includes(k))),
    constraints: (s.constraints ?? []).map((c) => constraintDraft(c)),
    segments: [...(s.segments ?? [])],
    variants: (s.variants ?? []).map((v) => variantDraft(v)),
  };
}

/** A new strategy of a type; a rollout starts at 100 % of accounts (sticky per customer, docs: "Stickiness"). */
export function newStrategy(name: string, flagKey: string): StrategyDraft {
  const s = strategyDraft({ name }, flagKey);
  return name === 'flexibleRollout' ? { ...s, stickiness: 'accountId' } : s;
}

export function dependencyDraft(d?: Partial<FlagDependency>): DependencyDraft {
  return {
    uid: newUid('d'),
    feature: d?.feature ?? '',
    enabled: d?.enabled !== false,
    variants: [...(d?.variants ?? [])],
  };
}

export function fromFlag(flag: Flag): FlagDraft {
  return {
    description: flag.description,
    type: flag.type,
    strategies: flag.strategies.map((s) => strategyDraft(s, flag.key)),
    variants: flag.variants.map((v) => variantDraft(v)),
    dependencies: flag.dependencies.map((d) => dependencyDraft(d)),
    impressionData: flag.impressionData,
  };
}

export function toConstraint(c: ConstraintDraft): Constraint {
  const out: Constraint = { contextName: c.contextName.trim(), operator: c.operator };
  if (isMultiValue(c.operator)) out.values = c.values.map((v) => v.trim()).filter((v) => v !== '');
  else out.value = c.value.trim();
  if (c.inverted) out.inverted = true;
  if (c.caseInsensitive && supportsCaseInsensitive(c.operator)) out.caseInsensitive = true;
  return out;
}

/**
 * Variants as stored: `fix` weights as typed, the `variable` ones share what is left of 1000 equally (the first ones
 * one more when it does not divide evenly) — Unleash's rule, so the weights saved are the weights served.
 */
export function toVariants(drafts: readonly VariantDraft[]): VariantDefinition[] {
  const variants = drafts.map((v) => {
    const out: VariantDefinition = { name: v.name.trim(), weight: v.weight, weightType: v.weightType };
    if (v.stickiness && v.stickiness !== 'default') out.stickiness = v.stickiness;
    if (v.payloadType) out.payload = { type: v.payloadType, value: v.payloadValue };
    if (v.overrides.length > 0) out.overrides = v.overrides;
    return out;
  });
  return normalizeVariantWeights(variants);
}

export function toStrategy(s: StrategyDraft): StrategyDefinition {
  const parameters: Record<string, string | number> = { ...s.otherParameters };
  if (s.name === 'flexibleRollout') {
    parameters.rollout = String(s.rollout);
    parameters.stickiness = s.stickiness || 'default';
    if (s.groupId.trim()) parameters.groupId = s.groupId.trim();
  } else if (s.name === 'userWithId') {
    parameters.userIds = s.userIds.join(',');
  } else if (s.name === 'remoteAddress') {
    parameters.IPs = s.ips.join(',');
  }
  const out: StrategyDefinition = { name: s.name };
  if (s.id) out.id = s.id;
  if (s.title.trim()) out.title = s.title.trim();
  if (s.disabled) out.disabled = true;
  if (Object.keys(parameters).length > 0) out.parameters = parameters;
  if (s.constraints.length > 0) out.constraints = s.constraints.map(toConstraint);
  if (s.segments.length > 0) out.segments = [...s.segments];
  if (s.variants.length > 0) out.variants = toVariants(s.variants);
  return out;
}

export function toDependency(d: DependencyDraft): FlagDependency {
  const out: FlagDependency = { feature: d.feature };
  if (!d.enabled) out.enabled = false;
  else if (d.variants.length > 0) out.variants = [...d.variants];
  return out;
}

/** The PATCH body for the whole definition (the kill switch is separate: it applies at once). */
export function toDefinition(draft: FlagDraft): FlagDefinitionInput {
  return {
    description: draft.description,
    type: draft.type,
    strategies: draft.strategies.map(toStrategy),
    variants: toVariants(draft.variants),
    dependencies: draft.dependencies.map(toDependency),
    impressionData: draft.impressionData,
  };
}

/** Whether the draft would change the stored definition (compared as the API would receive it). */
export const isDirty = (draft: FlagDraft, baseline: FlagDraft) =>
  JSON.stringify(toDefinition(draft)) !== JSON.stringify(toDefinition(baseline));

/** Moves an item of a list up (-1) or down (+1); out of range leaves it unchanged. */
export function move<T>(list: readonly T[], index: number, by: -1 | 1): T[] {
  const to = index + by;
  if (to < 0 || to >= list.length) return [...list];
  const out = [...list];
  const [item] = out.splice(index, 1);
  out.splice(to, 0, item as T);
  return out;
}

/**
 * Parses "Edit as JSON" text into a draft: the definition fields of a flag as the API shows them. Returns an error
 * message for text that is not a JSON object with list fields (the server validates the rest on save).
 */
export function draftFromJson(text: string, base: Flag): { draft: FlagDraft } | { error: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return { error: 'not an object' };
  const o = parsed as Record<string, unknown>;
  for (const k of ['strategies', 'variants', 'dependencies'] as const) {
    const list = o[k];
    if (list === undefined) continue;
    if (!Array.isArray(list)) return { error: `${k} must be a list` };
    if (list.some((x) => typeof x !== 'object' || x === null || Array.isArray(x))) {
      return { error: `every item of ${k} must be an object` };
    }
  }
  const merged: Flag = {
    ...base,
    description: typeof o.description === 'string' ? o.description : base.description,
    type: typeof o.type === 'string' ? (o.type as FlagType) : base.type,
    strategies: (o.strategies as StrategyDefinition[] | undefined) ?? [],
    variants: (o.variants as VariantDefinition[] | undefined) ?? [],
    dependencies: (o.dependencies as FlagDependency[] | undefined) ?? [],
    impressionData: typeof o.impressionData === 'boolean' ? o.impressionData : base.impressionData,
  };
  return { draft: fromFlag(merged) };
}
