/**
 * Constraints compiled once into closures: value lists become Sets, numbers / dates / versions / address ranges /
 * regular expressions are parsed at compile time. `test` is the allocation-free fast path; `explain` re-runs the same
 * compiled check and says why it passed or failed. Semantics follow the Unleash SDKs (see docs/feature-flags.md):
 * values are trimmed and empty ones dropped, `caseInsensitive` applies to the STR_* operators (and REGEX), `inverted`
 * negates the result (also for a missing field), an unknown operator never matches.
 * DATE_AFTER / DATE_BEFORE compare `currentTime` (the context's, else the engine clock) — or, for any other
 * contextName, that field's value parsed as a date (the Node SDK always uses currentTime; the .NET SDK reads the field).
 */
import { contextGetter, type Getter, show, showList } from './context.ts';
import { type IpRange, ipInRange, parseIp, parseIpRange } from './ip.ts';
import { translateRe2 } from './re2.ts';
import { compareSemver, parseContextSemver, parseSemver, type SemVer } from './semver.ts';
import type { Constraint, FlagContext } from './types.ts';

export interface CompiledConstraint {
  readonly def: Constraint;
  readonly field: string;
  readonly op: string;
  readonly inverted: boolean;
  readonly get: Getter;
  /** The fast path, inversion included (one closure per constraint). */
  readonly test: (ctx: FlagContext) => boolean;
  /** Compiled operands, for explain. */
  readonly values: readonly string[];
  readonly set: ReadonlySet<string> | null;
  readonly number: number;
  readonly time: number;
  readonly semver: SemVer | null;
  readonly re: RegExp | null;
  readonly reError: string | null;
  readonly ranges: readonly IpRange[];
  readonly timeIn: ((ctx: FlagContext) => number) | null;
}

export const OPERATORS = [
  'IN',
  'NOT_IN',
  'STR_CONTAINS',
  'STR_STARTS_WITH',
  'STR_ENDS_WITH',
  'NUM_EQ',
  'NUM_GT',
  'NUM_GTE',
  'NUM_LT',
  'NUM_LTE',
  'DATE_AFTER',
  'DATE_BEFORE',
  'SEMVER_EQ',
  'SEMVER_GT',
  'SEMVER_GTE',
  'SEMVER_LT',
  'SEMVER_LTE',
  'REGEX',
  'IN_CIDR',
] as const;

/** Trimmed, non-empty values (what Unleash compares against). */
export function cleanValues(values: readonly unknown[] | undefined): string[] {
  const out: string[] = [];
  if (!Array.isArray(values)) return out;
  for (const v of values) if (v !== undefined && v !== null && v !== '') out.push(String(v).trim());
  return out;
}

const SYMBOL: Record<string, string> = { EQ: '=', GT: '>', GTE: '≥', LT: '<', LTE: '≤' };

function cmp(op: string, c: number): boolean {
  switch (op) {
    case 'EQ':
      return c === 0;
    case 'GT':
      return c > 0;
    case 'GTE':
      return c >= 0;
    case 'LT':
      return c < 0;
    case 'LTE':
      return c <= 0;
    default:
      return false;
  }
}

/**
 * A membership table for IN / NOT_IN: a prototype-less object whose keys are the values. A Set compares a looked-up
 * string with its keys by content, touching every candidate key string — with a 1,000-id list that means cache
 * misses. Object keys are internalized: after its first lookup a context string is compared by pointer, so the cost
 * stays flat with the list's size (the per-customer lists are the long ones). No prototype: `constructor` or
 * `__proto__` are ordinary keys.
 */
function lookupTable(values: readonly string[]): Record<string, true> {
  const table = Object.create(null) as Record<string, true>;
  for (const v of values) table[v] = true;
  return table;
}

/** Time in ms of a context value / Date; NaN when unparseable. */
export function timeOf(v: unknown): number {
  if (v instanceof Date) return v.getTime();
  if (typeof v === 'number') return v;
  if (typeof v === 'string') return Date.parse(v);
  return Number.NaN;
}

type Data = Partial<Omit<CompiledConstraint, 'def' | 'field' | 'op' | 'inverted' | 'get' | 'test'>>;
const NONE: readonly never[] = Object.freeze([]);

export function compileConstraint(c: Constraint, now: () => number): CompiledConstraint {
  const field = String(c.contextName ?? '');
  const get = contextGetter(field);
  const op = String(c.operator ?? '');
  const inv = c.inverted === true;
  let data: Data = {};
  let test: (ctx: FlagContext) => boolean;
  switch (op) {
    case 'IN':
    case 'NOT_IN': {
      const values = cleanValues(c.values);
      const set = new Set(values);
      const index = lookupTable(values);
      data = { values, set };
      test =
        op === 'IN'
          ? (ctx) => {
              const v = get(ctx);
              return (v !== undefined && index[v] === true) !== inv;
            }
          : (ctx) => {
              const v = get(ctx);
              return (v === undefined || index[v] !== true) !== inv;
            };
      break;
    }
    case 'STR_CONTAINS':
    case 'STR_STARTS_WITH':
    case 'STR_ENDS_WITH': {
      const ci = c.caseInsensitive === true;
      const values = cleanValues(c.values).map((v) => (ci ? v.toLocaleLowerCase() : v));
      const kind = op === 'STR_CONTAINS' ? 0 : op === 'STR_STARTS_WITH' ? 1 : 2;
      data = { values };
      test = (ctx) => {
        const raw = get(ctx);
        if (raw === undefined) return inv;
        const v = ci ? raw.toLocaleLowerCase() : raw;
        for (let i = 0; i < values.length; i++) {
          const x = values[i] as string;
          if (kind === 0 ? v.includes(x) : kind === 1 ? v.startsWith(x) : v.endsWith(x)) return !inv;
        }
        return inv;
      };
      break;
    }
    case 'NUM_EQ':
    case 'NUM_GT':
    case 'NUM_GTE':
    case 'NUM_LT':
    case 'NUM_LTE': {
      const kind = op.slice(4);
      const target = Number(c.value);
      data = { number: target };
      test = Number.isNaN(target)
        ? () => inv
        : (ctx) => {
            const v = Number(get(ctx));
            if (Number.isNaN(v)) return inv;
            return cmp(kind, v < target ? -1 : v > target ? 1 : 0) !== inv;
          };
      break;
    }
    case 'DATE_AFTER':
    case 'DATE_BEFORE': {
      const target = timeOf(c.value);
      const after = op === 'DATE_AFTER';
      const timeIn =
        field === 'currentTime'
          ? (ctx: FlagContext) => (ctx.currentTime ? timeOf(ctx.currentTime) : now())
          : (ctx: FlagContext) => timeOf(get(ctx));
      data = { time: target, timeIn };
      test = (ctx) => {
        const t = timeIn(ctx);
        return (after ? t > target : t < target) !== inv;
      };
      break;
    }
    case 'SEMVER_EQ':
    case 'SEMVER_GT':
    case 'SEMVER_GTE':
    case 'SEMVER_LT':
    case 'SEMVER_LTE': {
      const kind = op.slice(7);
      const target = typeof c.value === 'string' ? parseSemver(c.value) : null;
      data = { semver: target };
      test =
        target === null
          ? () => inv
          : (ctx) => {
              const s = get(ctx);
              const v = s ? parseContextSemver(s) : null;
              return (v !== null && cmp(kind, compareSemver(v, target))) !== inv;
            };
      break;
    }
    case 'REGEX': {
      const t = typeof c.value === 'string' ? translateRe2(c.value, c.caseInsensitive === true) : null;
      const re = t?.ok ? new RegExp(t.source, t.flags) : null;
      data = { re, reError: t && !t.ok ? t.error : null };
      test =
        re === null
          ? () => inv
          : (ctx) => {
              const v = get(ctx);
              return (v !== undefined && re.test(v)) !== inv;
            };
      break;
    }
    case 'IN_CIDR': {
      const values = cleanValues(c.values);
      const ranges = values.map(parseIpRange).filter((r): r is IpRange => r !== null);
      data = { values, ranges };
      test = (ctx) => {
        const v = get(ctx);
        const ip = v === undefined ? null : parseIp(v);
        if (ip === null) return inv;
        for (let i = 0; i < ranges.length; i++) if (ipInRange(ip, ranges[i] as IpRange)) return !inv;
        return inv;
      };
      break;
    }
    default:
      test = () => inv;
  }
  // One literal with every field: the same object shape for every operator.
  return {
    def: c,
    field,
    op,
    inverted: inv,
    get,
    test,
    values: data.values ?? NONE,
    set: data.set ?? null,
    number: data.number ?? Number.NaN,
    time: data.time ?? Number.NaN,
    semver: data.semver ?? null,
    re: data.re ?? null,
    reError: data.reError ?? null,
    ranges: data.ranges ?? NONE,
    timeIn: data.timeIn ?? null,
  };
}

/** The same check as `test`, with a sentence saying why it passed or failed. */
export function explainConstraint(c: CompiledConstraint, ctx: FlagContext): { pass: boolean; detail: string } {
  const pass = c.test(ctx);
  const raw = pass !== c.inverted;
  const base = describe(c, ctx, raw);
  return {
    pass,
    detail: c.inverted ? `${base}; the constraint is inverted, so it ${pass ? 'passes' : 'fails'}` : base,
  };
}

function describe(c: CompiledConstraint, ctx: FlagContext, raw: boolean): string {
  const { field, op, def } = c;
  const v = c.get(ctx);
  switch (op) {
    case 'IN':
    case 'NOT_IN': {
      const n = c.values.length;
      const listed = n <= 5 ? `[${showList(c.values)}]` : `the ${n} listed values`;
      if (v === undefined) return `${field} is not set, so it is not among ${listed}`;
      return `${field} ${show(v)} is ${c.set?.has(v) ? '' : 'not '}among ${listed}`;
    }
    case 'STR_CONTAINS':
    case 'STR_STARTS_WITH':
    case 'STR_ENDS_WITH': {
      if (v === undefined) return `${field} is not set`;
      const [yes, no] =
        op === 'STR_CONTAINS'
          ? ['contains', 'does not contain']
          : op === 'STR_STARTS_WITH'
            ? ['starts with', 'does not start with']
            : ['ends with', 'does not end with'];
      const how = `${c.values.length === 1 ? '' : 'one of '}${showList(c.values)}${def.caseInsensitive ? ' (ignoring case)' : ''}`;
      return `${field} ${show(v)} ${raw ? yes : no} ${how}`;
    }
    case 'NUM_EQ':
    case 'NUM_GT':
    case 'NUM_GTE':
    case 'NUM_LT':
    case 'NUM_LTE':
      if (Number.isNaN(c.number))
        return `the constraint value ${show(String(def.value))} is not a number: never matches`;
      if (v === undefined) return `${field} is not set`;
      if (Number.isNaN(Number(v))) return `${field} ${show(v)} is not a number`;
      return `${field} ${show(v)} is ${raw ? '' : 'not '}${SYMBOL[op.slice(4)]} ${def.value}`;
    case 'DATE_AFTER':
    case 'DATE_BEFORE': {
      if (Number.isNaN(c.time)) return `the constraint value ${show(String(def.value))} is not a date: never matches`;
      const t = (c.timeIn as (ctx: FlagContext) => number)(ctx);
      if (Number.isNaN(t)) return `${field} ${show(v)} is not a date`;
      const when = new Date(t).toISOString();
      return `${field} ${when} is ${raw ? '' : 'not '}${op === 'DATE_AFTER' ? 'after' : 'before'} ${new Date(c.time).toISOString()}`;
    }
    case 'SEMVER_EQ':
    case 'SEMVER_GT':
    case 'SEMVER_GTE':
    case 'SEMVER_LT':
    case 'SEMVER_LTE':
      if (c.semver === null) return `the constraint value ${show(def.value)} is not a semantic version: never matches`;
      if (!v) return `${field} is not set`;
      if (parseContextSemver(v) === null) return `${field} ${show(v)} is not a semantic version (x.y.z, no "v")`;
      return `${field} ${show(v)} is ${raw ? '' : 'not '}${SYMBOL[op.slice(7)]} ${def.value}`;
    case 'REGEX':
      if (c.re === null) {
        const why = c.reError ? ` (${c.reError})` : '';
        return `the pattern ${show(def.value)} is not a valid RE2 expression${why}: never matches`;
      }
      if (v === undefined) return `${field} is not set`;
      return `${field} ${show(v)} ${raw ? 'matches' : 'does not match'} /${def.value}/${def.caseInsensitive ? ' (ignoring case)' : ''}`;
    case 'IN_CIDR': {
      if (v === undefined) return `${field} is not set`;
      const ip = parseIp(v);
      if (ip === null) return `${field} ${show(v)} is not an IP address`;
      const hit = c.values.find((x) => {
        const r = parseIpRange(x);
        return r !== null && ipInRange(ip, r);
      });
      if (hit !== undefined) return `${field} ${show(v)} is in ${hit}`;
      const n = c.ranges.length;
      return `${field} ${show(v)} is not in ${n === 1 ? 'the range' : `any of the ${n} ranges`}${n <= 5 ? ` ${showList(c.values)}` : ''}`;
    }
    default:
      return `unknown operator ${show(op)}: never matches`;
  }
}
