import type { FieldIssue } from '../../api/errors.ts';
import type { ConstraintDraft, FlagDraft, StrategyDraft, VariantDraft } from './flag-form.ts';

/*
 * The server's 422 details (`/body/strategies/0/constraints/1/value`) attached to the draft item they are about, so
 * each problem shows at its strategy, condition, variant or dependency — and stays there when items are added,
 * removed or reordered afterwards (they are keyed by the item's uid, not by its index).
 */

export interface PlacedIssue {
  /** The field inside the item: `value`, `values/0`, `parameters/rollout`, `weight`, '' for the item itself. */
  field: string;
  message: string;
  /** Where it is, for the summary list: the chain of items from the flag down. */
  location: IssueLocation[];
}

export type IssueLocation =
  | { kind: 'strategy'; index: number }
  | { kind: 'constraint'; index: number }
  | { kind: 'variant'; index: number }
  | { kind: 'dependency'; index: number }
  | { kind: 'field'; name: string };

/** uid → its issues; `flag` holds issues about the flag itself or that name no item. */
export type IssueMap = Map<string, PlacedIssue[]>;

export const FLAG_ISSUES = 'flag';

function add(map: IssueMap, uid: string, issue: PlacedIssue) {
  const list = map.get(uid) ?? [];
  list.push(issue);
  map.set(uid, list);
}

const index = (part: string | undefined) => (part !== undefined && /^\d+$/.test(part) ? Number(part) : -1);

function placeConstraint(
  map: IssueMap,
  constraints: readonly ConstraintDraft[],
  parts: string[],
  message: string,
  location: IssueLocation[],
  fallback: string,
) {
  const i = index(parts[0]);
  const c = constraints[i];
  if (!c) {
    add(map, fallback, { field: ['constraints', ...parts].join('/'), message, location });
    return;
  }
  add(map, c.uid, {
    field: parts.slice(1).join('/'),
    message,
    location: [...location, { kind: 'constraint', index: i }],
  });
}

function placeVariant(
  map: IssueMap,
  variants: readonly VariantDraft[],
  parts: string[],
  message: string,
  location: IssueLocation[],
  fallback: string,
) {
  const i = index(parts[0]);
  const v = variants[i];
  if (!v) {
    add(map, fallback, {
      field: parts.join('/'),
      message,
      location: [...location, { kind: 'field', name: 'variants' }],
    });
    return;
  }
  add(map, v.uid, { field: parts.slice(1).join('/'), message, location: [...location, { kind: 'variant', index: i }] });
}

function placeStrategy(map: IssueMap, strategies: readonly StrategyDraft[], parts: string[], message: string) {
  const i = index(parts[0]);
  const s = strategies[i];
  if (!s) {
    add(map, FLAG_ISSUES, {
      field: ['strategies', ...parts].join('/'),
      message,
      location: [{ kind: 'field', name: 'strategies' }],
    });
    return;
  }
  const location: IssueLocation[] = [{ kind: 'strategy', index: i }];
  const [section, ...rest] = parts.slice(1);
  if (section === 'constraints' && rest.length > 0) placeConstraint(map, s.constraints, rest, message, location, s.uid);
  else if (section === 'variants' && rest.length > 0) placeVariant(map, s.variants, rest, message, location, s.uid);
  else add(map, s.uid, { field: parts.slice(1).join('/'), message, location });
}

/**
 * Places a flag's 422 details on the draft that was sent. Paths are under `/body` (the request) — a path that names
 * no item of the draft goes to FLAG_ISSUES with its full path.
 */
export function placeFlagIssues(draft: FlagDraft, details: readonly FieldIssue[]): IssueMap {
  const map: IssueMap = new Map();
  for (const d of details) {
    const parts = d.field
      .replace(/^\/body\/?/, '')
      .split('/')
      .filter(Boolean);
    const [root, ...rest] = parts;
    if (root === 'strategies' && rest.length > 0) placeStrategy(map, draft.strategies, rest, d.message);
    else if (root === 'variants' && rest.length > 0)
      placeVariant(map, draft.variants, rest, d.message, [], FLAG_ISSUES);
    else if (root === 'dependencies' && rest.length > 0) {
      const i = index(rest[0]);
      const dep = draft.dependencies[i];
      const location: IssueLocation[] = [{ kind: 'dependency', index: i }];
      if (dep) add(map, dep.uid, { field: rest.slice(1).join('/'), message: d.message, location });
      else add(map, FLAG_ISSUES, { field: parts.join('/'), message: d.message, location: [] });
    } else {
      add(map, FLAG_ISSUES, {
        field: parts.join('/'),
        message: d.message,
        location: root ? [{ kind: 'field', name: root }] : [],
      });
    }
  }
  return map;
}

/** A segment's 422 details (`/body/constraints/0/value`) on its constraint drafts. */
export function placeSegmentIssues(constraints: readonly ConstraintDraft[], details: readonly FieldIssue[]): IssueMap {
  const map: IssueMap = new Map();
  for (const d of details) {
    const parts = d.field
      .replace(/^\/body\/?/, '')
      .split('/')
      .filter(Boolean);
    if (parts[0] === 'constraints' && parts.length > 1) {
      placeConstraint(map, constraints, parts.slice(1), d.message, [], FLAG_ISSUES);
    } else {
      add(map, FLAG_ISSUES, {
        field: parts.join('/'),
        message: d.message,
        location: parts[0] ? [{ kind: 'field', name: parts[0] }] : [],
      });
    }
  }
  return map;
}

/** Every placed issue, in the order the server reported them per item (for the summary above the form). */
export const allIssues = (map: IssueMap): PlacedIssue[] => [...map.values()].flat();
