import type {
  CustomerFlag,
  PropertyDef,
  PropertyType,
  ToggleScope,
  TraceEntry,
  UsageState,
  UsageStatus,
} from './entitlements-types.ts';

/**
 * The logic behind the "Flags & entitlements" view, kept free of React and i18next so it is unit-tested: how a value
 * of each property type reads, how the override form turns input into a value the API accepts, usage bars, and the
 * plain-words "why" of a flag.
 */

export interface Formatters {
  number(n: number): string;
}

/** A value described for display; components and sentences render it in the user's language. */
export type ValueView =
  | { kind: 'bool'; on: boolean }
  | { kind: 'unlimited' }
  | { kind: 'number'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'json'; preview: string; full: string }
  | { kind: 'none' };

const JSON_PREVIEW = 48;

export function describeValue(type: PropertyType, value: unknown, unit: string, fmt: Formatters): ValueView {
  switch (type) {
    case 'boolean':
      return typeof value === 'boolean' ? { kind: 'bool', on: value } : { kind: 'none' };
    case 'number':
      if (value === null) return { kind: 'unlimited' };
      if (typeof value !== 'number') return { kind: 'none' };
      return { kind: 'number', text: unit ? `${fmt.number(value)} ${unit}` : fmt.number(value) };
    case 'enum':
      if (Array.isArray(value)) return { kind: 'list', items: value.map(String) };
      return typeof value === 'string' ? { kind: 'list', items: [value] } : { kind: 'none' };
    case 'json': {
      if (value === undefined) return { kind: 'none' };
      const compact = JSON.stringify(value);
      const preview = compact.length > JSON_PREVIEW ? `${compact.slice(0, JSON_PREVIEW - 1)}…` : compact;
      return { kind: 'json', preview, full: JSON.stringify(value, null, 2) };
    }
  }
}

/** The override form's state for every type at once (switching nothing: the property's type picks the fields). */
export interface ValueDraft {
  bool: boolean;
  number: string | number;
  unlimited: boolean;
  choice: string | null;
  choices: string[];
  json: string;
}

export type DraftError = 'required' | 'number' | 'negative' | 'whole' | 'tooLarge' | 'choice' | 'json';
export type DraftResult = { ok: true; value: unknown } | { ok: false; error: DraftError };

/** The form prefilled with a value (the current one, or a flipped boolean). */
export function draftOf(def: Pick<PropertyDef, 'type' | 'options' | 'multiple'>, value: unknown): ValueDraft {
  return {
    bool: value === true,
    number: typeof value === 'number' ? value : '',
    unlimited: def.type === 'number' && value === null,
    choice: typeof value === 'string' ? value : (def.options[0] ?? null),
    choices: Array.isArray(value) ? value.map(String) : [],
    json: def.type === 'json' && value !== undefined ? JSON.stringify(value, null, 2) : '',
  };
}

/** What the form would send as `value`, or why it cannot (the API checks again: PROPERTY_VALUE_INVALID). */
export function valueOfDraft(
  def: Pick<PropertyDef, 'type' | 'options' | 'multiple' | 'metered'>,
  draft: ValueDraft,
): DraftResult {
  switch (def.type) {
    case 'boolean':
      return { ok: true, value: draft.bool };
    case 'number': {
      if (draft.unlimited) return { ok: true, value: null };
      const raw = typeof draft.number === 'number' ? draft.number : draft.number.trim();
      if (raw === '') return { ok: false, error: 'required' };
      const n = typeof raw === 'number' ? raw : Number(raw);
      if (!Number.isFinite(n)) return { ok: false, error: 'number' };
      if (n < 0) return { ok: false, error: 'negative' };
      if (n > Number.MAX_SAFE_INTEGER) return { ok: false, error: 'tooLarge' };
      if (def.metered && !Number.isInteger(n)) return { ok: false, error: 'whole' };
      return { ok: true, value: n };
    }
    case 'enum':
      if (def.multiple) {
        if (draft.choices.some((c) => !def.options.includes(c))) return { ok: false, error: 'choice' };
        return { ok: true, value: def.options.filter((o) => draft.choices.includes(o)) };
      }
      if (draft.choice === null || !def.options.includes(draft.choice)) return { ok: false, error: 'choice' };
      return { ok: true, value: draft.choice };
    case 'json':
      if (draft.json.trim() === '') return { ok: false, error: 'required' };
      try {
        return { ok: true, value: JSON.parse(draft.json) as unknown };
      } catch {
        return { ok: false, error: 'json' };
      }
  }
}

export const USAGE_COLORS: Record<UsageStatus, string> = { ok: 'teal', warning: 'yellow', exceeded: 'red' };

/** How full the bar is (0–100), or null when there is no limit to measure against. */
export function usagePercent(usage: Pick<UsageState, 'used' | 'limit'>): number | null {
  if (usage.limit === null) return null;
  if (usage.limit <= 0) return usage.used > 0 ? 100 : 0;
  return Math.min(100, Math.max(0, (usage.used / usage.limit) * 100));
}

/** The per-customer switch of a flag at one scope: on, off, or follow the flag's rules. */
export type ToggleChoice = 'on' | 'off' | 'rules';

export function toggleChoice(flag: Pick<CustomerFlag, 'licenseToggle' | 'accountToggle'>, scope: ToggleScope) {
  const toggle = scope === 'license' ? flag.licenseToggle : flag.accountToggle;
  return (toggle ? (toggle.enabled ? 'on' : 'off') : 'rules') as ToggleChoice;
}

/**
 * Why a flag is on or off for this customer, as a translation key (namespace `entitlements`, under `why.`) with its
 * parameters. Order follows the engine: the kill switch, then dependencies, then per-customer toggles (license before
 * account), then the flag's rules.
 */
export function flagWhy(
  flag: Pick<CustomerFlag, 'enabled' | 'licenseToggle' | 'accountToggle' | 'evaluated'>,
  scope: ToggleScope,
): { key: string; author?: string; reason?: string } {
  if (!flag.enabled) return { key: 'killSwitch' };
  if (flag.evaluated.reason === 'PARENT_UNSATISFIED') return { key: 'rule.PARENT_UNSATISFIED' };
  const toggled = (key: string, t: { enabled: boolean; authorName: string; reason: string }) => ({
    key: `${key}_${t.enabled ? 'on' : 'off'}`,
    author: t.authorName,
    ...(t.reason.trim() ? { reason: t.reason.trim() } : {}),
  });
  if (scope === 'license' && flag.licenseToggle) return toggled('thisLicense', flag.licenseToggle);
  if (flag.accountToggle) return toggled(scope === 'license' ? 'wholeAccount' : 'thisAccount', flag.accountToggle);
  return { key: `rule.${flag.evaluated.reason}` };
}

/** A step of a flag's decision trace, from the engine's `subject` (packages/sdk/src/flags/explain.ts). */
export type StepSubject =
  | { kind: 'flag' }
  | { kind: 'dependency'; name: string }
  | { kind: 'dependencies' }
  | { kind: 'strategies' }
  | { kind: 'strategy'; number: number; name: string; title: string | null }
  | { kind: 'toggle'; who: 'license' | 'account'; list: 'strategy' | 'on' | 'off' }
  /** The server's summary of the customer's toggles, before the engine's steps (null: there are none). */
  | { kind: 'customerToggle'; who: 'license' | 'account' | null }
  | { kind: 'segment'; id: string }
  | { kind: 'constraint'; field: string; operator: string; segment: string | null }
  | { kind: 'variant' }
  | { kind: 'result' }
  | { kind: 'other'; text: string };

export function parseStepSubject(subject: string): StepSubject {
  if (subject === 'flag' || subject === 'dependencies' || subject === 'strategies') return { kind: subject };
  if (subject === 'variant' || subject === 'result') return { kind: subject };
  if (subject === 'toggles') return { kind: 'customerToggle', who: null };
  if (subject === 'toggle license' || subject === 'toggle account') {
    return { kind: 'customerToggle', who: subject === 'toggle license' ? 'license' : 'account' };
  }
  if (subject.startsWith('dependency:')) return { kind: 'dependency', name: subject.slice('dependency:'.length) };
  const strategy = /^strategy\[(\d+)\] (\S+)(?: "(.*)")?$/.exec(subject);
  if (strategy) {
    return { kind: 'strategy', number: Number(strategy[1]) + 1, name: strategy[2] ?? '', title: strategy[3] ?? null };
  }
  const toggle = /^toggle (license|account)(-on| on-list| off-list)$/.exec(subject);
  if (toggle) {
    const list = toggle[2] === '-on' ? 'strategy' : toggle[2] === ' on-list' ? 'on' : 'off';
    return { kind: 'toggle', who: toggle[1] as 'license' | 'account', list };
  }
  const constraint = /^(?:segment (\S+): )?constraint (\S+) (\S+)$/.exec(subject);
  if (constraint) {
    return {
      kind: 'constraint',
      segment: constraint[1] ?? null,
      field: constraint[2] ?? '',
      operator: constraint[3] ?? '',
    };
  }
  const segment = /^segment (\S+)$/.exec(subject);
  if (segment) return { kind: 'segment', id: segment[1] ?? '' };
  return { kind: 'other', text: subject };
}

/**
 * Whether a per-customer toggle step switched the flag on or off for this customer (null: it did not). The engine
 * words toggles as an on-list (IN: pass = on) and an off-list (NOT_IN: fail = off).
 */
export function toggleStepEffect(s: Extract<StepSubject, { kind: 'toggle' }>, outcome: string): 'on' | 'off' | null {
  if (s.list === 'off') return outcome === 'fail' ? 'off' : null;
  return outcome === 'pass' || outcome === 'decide' ? 'on' : null;
}

/** The candidate that decided a property's value (the trace has exactly one). */
export const decidingEntry = (trace: TraceEntry[]) => trace.find((e) => e.outcome === 'decided');

/** An ISO instant for "until the end of this day" from the date picker's `YYYY-MM-DD` (local time). */
export function endOfDay(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1, 23, 59, 59, 0).toISOString();
}

/** The date picker's `YYYY-MM-DD` of an ISO instant (local time). */
export function dateOf(iso: string): string {
  const t = new Date(iso);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}`;
}
