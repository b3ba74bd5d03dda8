import type { Constraint, StrategyDefinition } from './flags-types.ts';

/*
 * Who a flag's strategies include, as data the list and the editor put into words ("25 % of accounts where plan
 * in Business, Trial"; "everyone"). Free of i18next so it is unit-tested; FlagSummary.tsx renders it.
 */

/** Whose share a rollout is, from its stickiness. */
export type RolloutUnit = 'accounts' | 'licenses' | 'users' | 'sessions' | 'random' | 'contexts' | 'field';

export type StrategyTarget =
  | { kind: 'everyone' }
  | { kind: 'rollout'; percent: number; unit: RolloutUnit; field: string }
  | { kind: 'users'; count: number }
  | { kind: 'addresses'; count: number }
  | { kind: 'other'; name: string };

export interface ConditionSummary {
  field: string;
  operator: string;
  values: string[];
  inverted: boolean;
}

export interface StrategySummary {
  target: StrategyTarget;
  conditions: ConditionSummary[];
  /** Names of the segments it uses (`#id` for an unknown one). */
  segments: string[];
  disabled: boolean;
}

export type FlagAudience =
  /** No strategies: on for everyone (Unleash). */
  | { kind: 'everyone' }
  /** Strategies, all paused: nobody. */
  | { kind: 'nobody' }
  | { kind: 'strategies'; strategies: StrategySummary[] };

const UNITS: Record<string, RolloutUnit> = {
  accountId: 'accounts',
  licenseId: 'licenses',
  userId: 'users',
  sessionId: 'sessions',
  random: 'random',
  default: 'contexts',
};

const list = (v: string | number | undefined) =>
  v === undefined
    ? []
    : String(v)
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean);

function targetOf(s: StrategyDefinition): StrategyTarget {
  const p = s.parameters ?? {};
  switch (s.name) {
    case 'default':
      return { kind: 'everyone' };
    case 'flexibleRollout':
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId':
    case 'gradualRolloutRandom': {
      const percent = Number(s.name === 'flexibleRollout' ? p.rollout : p.percentage);
      const field =
        s.name === 'flexibleRollout'
          ? String(p.stickiness ?? 'default')
          : s.name === 'gradualRolloutUserId'
            ? 'userId'
            : s.name === 'gradualRolloutSessionId'
              ? 'sessionId'
              : 'random';
      if (percent >= 100) return { kind: 'everyone' };
      return { kind: 'rollout', percent: Number.isFinite(percent) ? percent : 0, unit: UNITS[field] ?? 'field', field };
    }
    case 'userWithId':
      return { kind: 'users', count: list(p.userIds).length };
    case 'remoteAddress':
      return { kind: 'addresses', count: list(p.IPs).length };
    default:
      return { kind: 'other', name: s.name };
  }
}

export const conditionOf = (c: Constraint): ConditionSummary => ({
  field: c.contextName,
  operator: c.operator,
  values: c.values ?? (c.value !== undefined ? [c.value] : []),
  inverted: c.inverted === true,
});

export function summarizeStrategy(s: StrategyDefinition, segmentNames: ReadonlyMap<number, string>): StrategySummary {
  return {
    target: targetOf(s),
    conditions: (s.constraints ?? []).map(conditionOf),
    segments: (s.segments ?? []).map((id) => segmentNames.get(id) ?? `#${id}`),
    disabled: s.disabled === true,
  };
}

export function summarizeFlag(
  strategies: readonly StrategyDefinition[],
  segmentNames: ReadonlyMap<number, string> = new Map(),
): FlagAudience {
  if (strategies.length === 0) return { kind: 'everyone' };
  const active = strategies.filter((s) => s.disabled !== true);
  if (active.length === 0) return { kind: 'nobody' };
  return { kind: 'strategies', strategies: active.map((s) => summarizeStrategy(s, segmentNames)) };
}

/** At most `max` values shown, then "+N" (long IN lists stay one line). */
export function shortList(values: readonly string[], max = 3): { shown: string[]; more: number } {
  return { shown: values.slice(0, max), more: Math.max(0, values.length - max) };
}

/** Items with React keys made from their content (a repeated one gets `#2`, `#3`…): for lists without ids. */
export function keyedBy<T>(items: readonly T[], text: (item: T) => string): { key: string; item: T }[] {
  const seen = new Map<string, number>();
  return items.map((item) => {
    const base = text(item);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base}#${n}`, item };
  });
}
