/**
 * Validation of flag and segment definitions before they are stored (the server turns the issues into 422s).
 * Every issue has a JSON pointer under the definition (`/strategies/0/constraints/1/values/0`) and a sentence.
 * It checks what the engine would silently treat as "never matches" (unknown operator or strategy, bad number, date,
 * version, address or pattern), what Unleash SDKs would read differently (variant stickiness, reserved ids), and
 * references (segments, parent flags). Inputs are untrusted JSON (`unknown`).
 */
import { OPERATORS } from './constraints.ts';
import { parseIpRange } from './ip.ts';
import { translateRe2 } from './re2.ts';
import { parseSemver } from './semver.ts';
import type { DefinitionIssue } from './types.ts';

export interface ValidateFeatureOptions {
  /** Ids of the segments that exist (a strategy may only reference these). */
  segmentIds: Iterable<number>;
  /** Names of the flags that exist, for dependencies (unchecked when omitted). */
  knownFlags?: Iterable<string>;
}

/** Longest REGEX pattern accepted (JavaScript regular expressions backtrack; keep patterns small). */
export const MAX_REGEX_LENGTH = 512;
export const MAX_CONSTRAINT_VALUES = 10_000;
const MAX_NAME = 100;
const KNOWN_STRATEGIES = [
  'default',
  'flexibleRollout',
  'userWithId',
  'remoteAddress',
  'applicationHostname',
  'gradualRolloutUserId',
  'gradualRolloutSessionId',
  'gradualRolloutRandom',
];
const MULTI = new Set(['IN', 'NOT_IN', 'STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'IN_CIDR']);
const NAME = /^[^\s\p{C}]+$/u;
const FIELD = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;
const PAYLOAD_TYPES = ['string', 'json', 'csv', 'number'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const esc = (key: string | number) => String(key).replace(/~/g, '~0').replace(/\//g, '~1');

class Issues {
  readonly list: DefinitionIssue[] = [];
  add(path: string, message: string) {
    this.list.push({ path, message });
  }
  optionalType(o: Obj, key: string, type: 'string' | 'boolean' | 'number', path: string) {
    if (o[key] !== undefined && o[key] !== null && typeof o[key] !== type)
      this.add(`${path}/${key}`, `must be a ${type}`);
  }
  name(v: unknown, path: string, what: string) {
    if (typeof v !== 'string' || v === '') this.add(path, `${what} is required (a non-empty string)`);
    else if (v.length > MAX_NAME) this.add(path, `${what} is longer than ${MAX_NAME} characters`);
    else if (!NAME.test(v)) this.add(path, `${what} must not contain spaces or control characters`);
  }
}

function percentage(issues: Issues, params: Obj, key: string, path: string) {
  const v = params[key];
  if (v === undefined || v === null || v === '') {
    issues.add(`${path}/parameters/${key}`, `${key} is required (0–100)`);
    return;
  }
  const n = Number(v);
  if ((typeof v !== 'string' && typeof v !== 'number') || !Number.isFinite(n) || n < 0 || n > 100) {
    issues.add(`${path}/parameters/${key}`, `${key} must be a number from 0 to 100, not ${JSON.stringify(v)}`);
  }
}

function stickiness(issues: Issues, v: unknown, path: string) {
  if (v === undefined || v === null) return;
  if (typeof v !== 'string' || (v !== 'default' && v !== 'random' && !FIELD.test(v))) {
    issues.add(path, `stickiness must be "default", "random" or a context field name, not ${JSON.stringify(v)}`);
  }
}

export function validateConstraint(c: unknown, path = ''): DefinitionIssue[] {
  const issues = new Issues();
  checkConstraint(issues, c, path);
  return issues.list;
}

function checkConstraint(issues: Issues, c: unknown, path: string) {
  if (!isObj(c)) {
    issues.add(path, 'a constraint must be an object');
    return;
  }
  const field = c.contextName;
  if (typeof field !== 'string' || field === '') issues.add(`${path}/contextName`, 'contextName is required');
  else if (!FIELD.test(field) || field.length > MAX_NAME) {
    issues.add(`${path}/contextName`, `contextName ${JSON.stringify(field)} is not a valid context field name`);
  }
  issues.optionalType(c, 'inverted', 'boolean', path);
  issues.optionalType(c, 'caseInsensitive', 'boolean', path);
  const op = c.operator;
  if (typeof op !== 'string' || !(OPERATORS as readonly string[]).includes(op)) {
    issues.add(`${path}/operator`, `unknown operator ${JSON.stringify(op)} (one of ${OPERATORS.join(', ')})`);
    return;
  }
  if (MULTI.has(op)) {
    const values = c.values;
    if (!Array.isArray(values) || values.length === 0) {
      issues.add(`${path}/values`, `${op} needs at least one value in values`);
      return;
    }
    if (values.length > MAX_CONSTRAINT_VALUES) {
      issues.add(`${path}/values`, `at most ${MAX_CONSTRAINT_VALUES} values (got ${values.length})`);
    }
    values.forEach((v, i) => {
      const p = `${path}/values/${i}`;
      if (typeof v !== 'string') issues.add(p, 'values must be strings');
      else if (v.trim() === '') issues.add(p, 'empty value');
      else if (op === 'IN_CIDR' && parseIpRange(v.trim()) === null) {
        issues.add(p, `${JSON.stringify(v)} is not an IP address or CIDR range`);
      }
    });
    return;
  }
  const value = c.value;
  const p = `${path}/value`;
  if (value === undefined || value === null || value === '') {
    issues.add(p, `${op} needs a single value in value`);
    return;
  }
  if (op.startsWith('NUM_')) {
    if ((typeof value !== 'string' && typeof value !== 'number') || !Number.isFinite(Number(value))) {
      issues.add(p, `${JSON.stringify(value)} is not a number`);
    }
  } else if (typeof value !== 'string') {
    issues.add(p, 'value must be a string');
  } else if (op.startsWith('DATE_')) {
    if (!ISO_DATE.test(value) || Number.isNaN(Date.parse(value))) {
      issues.add(p, `${JSON.stringify(value)} is not an ISO-8601 date-time with a time zone (2025-01-31T12:00:00Z)`);
    }
  } else if (op.startsWith('SEMVER_')) {
    if (value.startsWith('v') || parseSemver(value) === null) {
      issues.add(p, `${JSON.stringify(value)} is not a semantic version (1.2.3 or 2.0.0-beta.1, without "v")`);
    }
  } else if (op === 'REGEX') {
    if (value.length > MAX_REGEX_LENGTH) {
      issues.add(p, `the pattern is longer than ${MAX_REGEX_LENGTH} characters`);
      return;
    }
    const t = translateRe2(value, c.caseInsensitive === true);
    if (!t.ok) issues.add(p, `invalid regular expression (RE2 syntax): ${t.error}`);
    else if (t.nestedRepetition) {
      issues.add(p, 'nested repetition such as (a+)+ can take exponential time; rewrite the pattern without it');
    }
  }
}

function checkVariants(issues: Issues, variants: unknown, path: string) {
  if (variants === undefined || variants === null) return;
  if (!Array.isArray(variants)) {
    issues.add(path, 'variants must be a list');
    return;
  }
  const names = new Set<string>();
  let fixed = 0;
  let variable = 0;
  const first = isObj(variants[0]) ? variants[0].stickiness : undefined;
  variants.forEach((v, i) => {
    const p = `${path}/${i}`;
    if (!isObj(v)) {
      issues.add(p, 'a variant must be an object');
      return;
    }
    issues.name(v.name, `${p}/name`, 'the variant name');
    if (typeof v.name === 'string') {
      if (names.has(v.name)) issues.add(`${p}/name`, `duplicate variant name ${JSON.stringify(v.name)}`);
      names.add(v.name);
    }
    const w = v.weight;
    if (typeof w !== 'number' || !Number.isInteger(w) || w < 0 || w > 1000) {
      issues.add(`${p}/weight`, 'weight must be an integer from 0 to 1000 (tenths of a percent)');
    }
    if (v.weightType !== undefined && v.weightType !== 'variable' && v.weightType !== 'fix') {
      issues.add(`${p}/weightType`, 'weightType must be "variable" or "fix"');
    }
    if (v.weightType === 'fix') fixed += typeof w === 'number' ? w : 0;
    else variable++;
    stickiness(issues, v.stickiness, `${p}/stickiness`);
    if (i > 0 && (v.stickiness ?? 'default') !== (first ?? 'default')) {
      issues.add(`${p}/stickiness`, "all variants must share one stickiness (Unleash SDKs use the first variant's)");
    }
    checkPayload(issues, v.payload, `${p}/payload`);
    checkOverrides(issues, v.overrides, `${p}/overrides`);
  });
  if (fixed > 1000) issues.add(path, `the fixed weights add up to ${fixed}, more than 1000 (100 %)`);
  else if (variants.length > 0 && variable === 0 && fixed !== 1000) {
    issues.add(path, `with only fixed weights they must add up to 1000 (100 %), not ${fixed}`);
  }
}

function checkPayload(issues: Issues, payload: unknown, path: string) {
  if (payload === undefined || payload === null) return;
  if (!isObj(payload)) {
    issues.add(path, 'payload must be an object {type, value}');
    return;
  }
  const { type, value } = payload;
  if (typeof type !== 'string' || !PAYLOAD_TYPES.includes(type)) {
    issues.add(`${path}/type`, `payload type must be one of ${PAYLOAD_TYPES.join(', ')}`);
  }
  if (typeof value !== 'string') {
    issues.add(`${path}/value`, 'payload value must be a string');
    return;
  }
  if (type === 'json') {
    try {
      JSON.parse(value);
    } catch {
      issues.add(`${path}/value`, 'the json payload does not parse as JSON');
    }
  } else if (type === 'number' && (value.trim() === '' || !Number.isFinite(Number(value)))) {
    issues.add(`${path}/value`, `the number payload ${JSON.stringify(value)} is not a number`);
  }
}

function checkOverrides(issues: Issues, overrides: unknown, path: string) {
  if (overrides === undefined || overrides === null) return;
  if (!Array.isArray(overrides)) {
    issues.add(path, 'overrides must be a list');
    return;
  }
  overrides.forEach((o, i) => {
    const p = `${path}/${i}`;
    if (!isObj(o)) {
      issues.add(p, 'an override must be an object {contextName, values}');
      return;
    }
    if (typeof o.contextName !== 'string' || !FIELD.test(o.contextName)) {
      issues.add(`${p}/contextName`, 'contextName must be a context field name');
    }
    if (!Array.isArray(o.values) || o.values.length === 0) issues.add(`${p}/values`, 'values needs at least one value');
    else if (o.values.some((v) => typeof v !== 'string')) issues.add(`${p}/values`, 'values must be strings');
  });
}

function checkStrategy(issues: Issues, s: unknown, path: string, segmentIds: ReadonlySet<number>) {
  if (!isObj(s)) {
    issues.add(path, 'a strategy must be an object');
    return;
  }
  const name = s.name;
  if (typeof name !== 'string' || !KNOWN_STRATEGIES.includes(name)) {
    issues.add(`${path}/name`, `unknown strategy ${JSON.stringify(name)} (one of ${KNOWN_STRATEGIES.join(', ')})`);
  }
  if (typeof s.id === 'string' && s.id.startsWith('keyward:')) {
    issues.add(`${path}/id`, 'ids starting with "keyward:" are reserved for per-customer toggles');
  }
  issues.optionalType(s, 'id', 'string', path);
  issues.optionalType(s, 'title', 'string', path);
  issues.optionalType(s, 'disabled', 'boolean', path);
  issues.optionalType(s, 'sortOrder', 'number', path);
  const params = s.parameters ?? {};
  if (!isObj(params)) issues.add(`${path}/parameters`, 'parameters must be an object');
  else {
    for (const [k, v] of Object.entries(params)) {
      if (typeof v !== 'string' && typeof v !== 'number') {
        issues.add(`${path}/parameters/${esc(k)}`, 'parameter values must be strings or numbers');
      }
    }
    checkParameters(issues, String(name), params, path);
  }
  if (s.constraints !== undefined && s.constraints !== null) {
    if (!Array.isArray(s.constraints)) issues.add(`${path}/constraints`, 'constraints must be a list');
    else
      s.constraints.forEach((c, i) => {
        checkConstraint(issues, c, `${path}/constraints/${i}`);
      });
  }
  if (s.segments !== undefined && s.segments !== null) {
    if (!Array.isArray(s.segments)) issues.add(`${path}/segments`, 'segments must be a list of segment ids');
    else {
      s.segments.forEach((id, i) => {
        if (typeof id !== 'number' || !Number.isInteger(id)) issues.add(`${path}/segments/${i}`, 'not a segment id');
        else if (!segmentIds.has(id)) issues.add(`${path}/segments/${i}`, `unknown segment ${id}`);
      });
    }
  }
  checkVariants(issues, s.variants, `${path}/variants`);
}

function checkParameters(issues: Issues, name: string, params: Obj, path: string) {
  const list = (key: string, what: string) => {
    const v = params[key];
    const items =
      typeof v === 'string'
        ? v
            .split(',')
            .map((x) => x.trim())
            .filter((x) => x !== '')
        : [];
    if (items.length === 0)
      issues.add(`${path}/parameters/${key}`, `${key} needs at least one ${what} (comma-separated)`);
    return items;
  };
  switch (name) {
    case 'flexibleRollout':
      percentage(issues, params, 'rollout', path);
      stickiness(issues, params.stickiness, `${path}/parameters/stickiness`);
      if (params.groupId !== undefined && (typeof params.groupId !== 'string' || params.groupId === '')) {
        issues.add(`${path}/parameters/groupId`, 'groupId must be a non-empty string');
      }
      break;
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId':
    case 'gradualRolloutRandom':
      percentage(issues, params, 'percentage', path);
      break;
    case 'userWithId':
      list('userIds', 'user id');
      break;
    case 'remoteAddress':
      for (const ip of list('IPs', 'address')) {
        if (parseIpRange(ip) === null) {
          issues.add(`${path}/parameters/IPs`, `${JSON.stringify(ip)} is not an IP address or CIDR range`);
        }
      }
      break;
    case 'applicationHostname':
      list('hostNames', 'host name');
      break;
    default:
      break;
  }
}

export function validateFeature(def: unknown, options: ValidateFeatureOptions): DefinitionIssue[] {
  const issues = new Issues();
  if (!isObj(def)) return [{ path: '', message: 'a flag definition must be an object' }];
  issues.name(def.name, '/name', 'the flag name');
  if (typeof def.enabled !== 'boolean') issues.add('/enabled', 'enabled is required (true or false)');
  for (const k of ['type', 'description', 'project'] as const) issues.optionalType(def, k, 'string', '');
  for (const k of ['stale', 'impressionData'] as const) issues.optionalType(def, k, 'boolean', '');
  const segmentIds = new Set(options.segmentIds);
  if (!Array.isArray(def.strategies)) issues.add('/strategies', 'strategies must be a list (empty = on for everyone)');
  else
    def.strategies.forEach((s, i) => {
      checkStrategy(issues, s, `/strategies/${i}`, segmentIds);
    });
  checkVariants(issues, def.variants, '/variants');
  checkDependencies(issues, def, options.knownFlags === undefined ? null : new Set(options.knownFlags));
  return issues.list;
}

function checkDependencies(issues: Issues, def: Obj, known: ReadonlySet<string> | null) {
  const deps = def.dependencies;
  if (deps === undefined || deps === null) return;
  if (!Array.isArray(deps)) {
    issues.add('/dependencies', 'dependencies must be a list');
    return;
  }
  const seen = new Set<string>();
  deps.forEach((d, i) => {
    const p = `/dependencies/${i}`;
    if (!isObj(d)) {
      issues.add(p, 'a dependency must be an object {feature, enabled?, variants?}');
      return;
    }
    const parent = d.feature;
    if (typeof parent !== 'string' || parent === '')
      issues.add(`${p}/feature`, 'feature (the parent flag) is required');
    else if (parent === def.name) issues.add(`${p}/feature`, 'a flag cannot depend on itself');
    else if (seen.has(parent)) issues.add(`${p}/feature`, `duplicate dependency on ${JSON.stringify(parent)}`);
    else if (known !== null && !known.has(parent)) issues.add(`${p}/feature`, `unknown flag ${JSON.stringify(parent)}`);
    if (typeof parent === 'string') seen.add(parent);
    issues.optionalType(d, 'enabled', 'boolean', p);
    if (d.variants !== undefined && d.variants !== null) {
      if (!Array.isArray(d.variants) || d.variants.some((v) => typeof v !== 'string' || v === '')) {
        issues.add(`${p}/variants`, 'variants must be a list of variant names');
      } else if (d.enabled === false && d.variants.length > 0) {
        issues.add(`${p}/variants`, 'variants only apply when the parent must be enabled');
      }
    }
  });
}

export function validateSegment(def: unknown): DefinitionIssue[] {
  const issues = new Issues();
  if (!isObj(def)) return [{ path: '', message: 'a segment definition must be an object' }];
  if (def.id !== undefined && (typeof def.id !== 'number' || !Number.isInteger(def.id) || def.id < 1)) {
    issues.add('/id', 'id must be a positive integer');
  }
  issues.name(def.name, '/name', 'the segment name');
  issues.optionalType(def, 'description', 'string', '');
  if (!Array.isArray(def.constraints)) issues.add('/constraints', 'constraints must be a list');
  else
    def.constraints.forEach((c, i) => {
      checkConstraint(issues, c, `/constraints/${i}`);
    });
  return issues.list;
}
