/**
 * Activation strategies compiled once: parameters parsed, lists turned into Sets, segments resolved, the bucket
 * prefix precomputed. A strategy is on when all its constraints and its segments' constraints pass and its own check
 * (below) passes — in that order, like the Unleash SDKs. Unknown strategies never match.
 *
 * - default: on. userWithId: `userId` in the comma-separated `userIds`.
 * - flexibleRollout: `rollout` 0–100; stickiness `default` (userId, sessionId, else random), `random`, or a field
 *   (missing field → off); `groupId` defaults to the flag name; on when `rollout > 0 && bucket <= rollout`.
 * - gradualRolloutUserId / gradualRolloutSessionId: same bucket on userId / sessionId (`groupId` default ''),
 *   gradualRolloutRandom: `percentage >= random 1..100`.
 * - remoteAddress: `IPs` (comma-separated addresses or CIDR ranges, IPv4 and IPv6; the Node SDK only knows IPv4
 *   ranges). applicationHostname: `hostNames` (comma-separated, case-insensitive) contains the engine's hostname.
 */
import type { CompiledConstraint } from './constraints.ts';
import { contextGetter, type Getter, show, showList } from './context.ts';
import { type IpRange, ipInRange, parseIp, parseIpRange } from './ip.ts';
import { bucketOf, STRATEGY_SEED } from './murmur.ts';
import type { EvaluationReason, FlagContext, MatchedStrategy, StrategyDefinition } from './types.ts';
import { type CompiledVariants, compileVariants } from './variants.ts';

export interface CompiledSegment {
  readonly id: number;
  readonly name: string | undefined;
  readonly constraints: readonly CompiledConstraint[];
}

export interface StrategyCheck {
  subject: string;
  pass: boolean;
  detail: string;
}

/** A strategy's own parameters, parsed (for the check closure and for explain). */
interface Params {
  /** rollout / percentage (NaN when missing). */
  readonly percentage: number;
  readonly groupId: string;
  readonly prefix: string;
  /** flexibleRollout stickiness: default, random or a field name. */
  readonly stickiness: string;
  readonly field: Getter | null;
  /** userIds, IPs or hostNames. */
  readonly list: readonly string[];
  readonly set: ReadonlySet<string> | null;
  readonly ranges: readonly IpRange[];
}

export interface CompiledStrategy {
  readonly index: number;
  readonly def: StrategyDefinition;
  readonly name: string;
  readonly disabled: boolean;
  readonly matched: MatchedStrategy;
  readonly reason: Exclude<EvaluationReason, 'NOT_FOUND' | 'DISABLED' | 'PARENT_UNSATISFIED' | 'DEFAULT'>;
  readonly constraints: readonly CompiledConstraint[];
  readonly segments: readonly { id: number; segment: CompiledSegment | null }[];
  /** Own and segment constraint tests, flattened (the fast path). */
  readonly tests: readonly ((ctx: FlagContext) => boolean)[];
  /** A referenced segment does not exist: the strategy never matches. */
  readonly impossible: boolean;
  readonly check: (ctx: FlagContext) => boolean;
  readonly params: Params;
  readonly random: () => number;
  readonly hostname: string;
  readonly variants: CompiledVariants | null;
}

export interface StrategyEnv {
  flagName: string;
  random: () => number;
  hostname: string;
  compileConstraint: (c: NonNullable<StrategyDefinition['constraints']>[number]) => CompiledConstraint;
  segment: (id: number) => CompiledSegment | null;
}

const splitList = (s: unknown): string[] => (s === undefined || s === null ? [] : String(s).split(/\s*,\s*/));
const ALWAYS = () => true;
const NEVER = () => false;

function parseParams(def: StrategyDefinition, flagName: string): Params {
  const p = def.parameters ?? {};
  const flexible = def.name === 'flexibleRollout';
  const groupId = String(p.groupId || (flexible ? flagName : ''));
  const stickiness = String(p.stickiness || 'default');
  const listKey = def.name === 'userWithId' ? 'userIds' : def.name === 'remoteAddress' ? 'IPs' : 'hostNames';
  const raw = p[listKey];
  const list = raw ? splitList(def.name === 'applicationHostname' ? String(raw).toLowerCase() : raw) : [];
  return {
    percentage: Number(flexible ? p.rollout : p.percentage),
    groupId,
    prefix: `${groupId}:`,
    stickiness,
    field: flexible && stickiness !== 'default' && stickiness !== 'random' ? contextGetter(stickiness) : null,
    list,
    set: list.length > 0 ? new Set(list) : null,
    ranges: def.name === 'remoteAddress' ? list.map(parseIpRange).filter((r): r is IpRange => r !== null) : [],
  };
}

const randomId = (random: () => number) => `${Math.round(random() * 10000) + 1}`;

/** The id a bucketing strategy hashes (undefined: no bucket, off). */
function stickyId(name: string, p: Params, ctx: FlagContext, random: () => number): string | undefined {
  if (name === 'gradualRolloutUserId') return ctx.userId ? String(ctx.userId) : undefined;
  if (name === 'gradualRolloutSessionId') return ctx.sessionId ? String(ctx.sessionId) : undefined;
  if (p.stickiness === 'default') {
    const id = ctx.userId || ctx.sessionId;
    return id ? String(id) : randomId(random);
  }
  if (p.stickiness === 'random') return randomId(random);
  return (p.field as Getter)(ctx) || undefined;
}

function remoteAddressOn(p: Params, addr: string | undefined): boolean {
  if (addr === undefined) return false;
  if (p.set?.has(addr)) return true;
  const ip = p.ranges.length > 0 ? parseIp(addr) : null;
  if (ip === null) return false;
  for (const r of p.ranges) if (ipInRange(ip, r)) return true;
  return false;
}

/** [check, kind]: one closure for the strategy's own condition. */
function compileCheck(def: StrategyDefinition, p: Params, env: StrategyEnv): [(ctx: FlagContext) => boolean, Kind] {
  const random = env.random;
  const pct = p.percentage;
  switch (def.name) {
    case 'default':
      return [ALWAYS, 'static'];
    case 'flexibleRollout': {
      if (!(pct > 0)) return [NEVER, 'split'];
      if (pct >= 100 && p.field === null) return [ALWAYS, 'static'];
      const { prefix, stickiness, field } = p;
      const check =
        stickiness === 'default'
          ? (ctx: FlagContext) => {
              const id = ctx.userId || ctx.sessionId;
              return bucketOf(prefix, id ? String(id) : randomId(random), 100, STRATEGY_SEED) <= pct;
            }
          : stickiness === 'random'
            ? () => bucketOf(prefix, randomId(random), 100, STRATEGY_SEED) <= pct
            : (ctx: FlagContext) => {
                const id = (field as Getter)(ctx);
                return !!id && bucketOf(prefix, id, 100, STRATEGY_SEED) <= pct;
              };
      return [check, pct >= 100 ? 'target' : 'split'];
    }
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId': {
      const name = def.name;
      const check = (ctx: FlagContext) => {
        const id = stickyId(name, p, ctx, random);
        return !!id && pct > 0 && bucketOf(p.prefix, id, 100, STRATEGY_SEED) <= pct;
      };
      return [check, pct < 100 ? 'split' : 'target'];
    }
    case 'gradualRolloutRandom':
      return [() => pct >= Math.floor(random() * 100) + 1, pct >= 100 ? 'static' : 'split'];
    case 'userWithId': {
      const set = p.set ?? new Set<string>();
      return [(ctx) => ctx.userId !== undefined && set.has(ctx.userId), 'target'];
    }
    case 'remoteAddress':
      return [(ctx) => remoteAddressOn(p, ctx.remoteAddress), 'target'];
    case 'applicationHostname':
      return [p.list.includes(env.hostname.toLowerCase()) ? ALWAYS : NEVER, 'target'];
    default:
      return [NEVER, 'target'];
  }
}

type Kind = 'static' | 'split' | 'target';

/** The strategy's own check again, with a sentence (null for `default`, which has nothing to say). */
export function explainCheck(s: CompiledStrategy, ctx: FlagContext): StrategyCheck | null {
  const p = s.params;
  switch (s.name) {
    case 'default':
      return null;
    case 'flexibleRollout':
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId': {
      const subject = 'rollout';
      const id = stickyId(s.name, p, ctx, s.random);
      const from =
        s.name === 'gradualRolloutUserId'
          ? `userId ${show(id)}`
          : s.name === 'gradualRolloutSessionId'
            ? `sessionId ${show(id)}`
            : p.stickiness === 'default'
              ? ctx.userId
                ? `userId ${show(id)}`
                : ctx.sessionId
                  ? `sessionId ${show(id)}`
                  : `no userId or sessionId: random ${id}`
              : p.stickiness === 'random'
                ? `random ${id}`
                : `${p.stickiness} ${show(id)}`;
      if (!id) return { subject, pass: false, detail: `${from}: no bucket, so not in the rollout` };
      if (!(p.percentage > 0)) return { subject, pass: false, detail: `rollout ${p.percentage}%: no one is in` };
      const bucket = bucketOf(p.prefix, id, 100, STRATEGY_SEED);
      const pass = bucket <= p.percentage;
      const detail = `bucket ${bucket} ${pass ? '≤' : '>'} rollout ${p.percentage} (${from}, group ${show(p.groupId)})`;
      return { subject, pass, detail };
    }
    case 'gradualRolloutRandom': {
      const roll = Math.floor(s.random() * 100) + 1;
      const pass = p.percentage >= roll;
      return { subject: 'rollout', pass, detail: `random ${roll} ${pass ? '≤' : '>'} percentage ${p.percentage}` };
    }
    case 'userWithId': {
      const listed = p.list.length <= 5 ? `[${showList(p.list)}]` : `the ${p.list.length} listed user ids`;
      const pass = s.check(ctx);
      const detail =
        ctx.userId === undefined
          ? `userId is not set, so it is not among ${listed}`
          : `userId ${show(ctx.userId)} is ${pass ? '' : 'not '}among ${listed}`;
      return { subject: 'user list', pass, detail };
    }
    case 'remoteAddress': {
      const pass = s.check(ctx);
      const list = p.list.length <= 5 ? `[${showList(p.list)}]` : `the ${p.list.length} listed addresses`;
      const detail =
        ctx.remoteAddress === undefined
          ? 'remoteAddress is not set'
          : `remoteAddress ${show(ctx.remoteAddress)} is ${pass ? '' : 'not '}in ${list}`;
      return { subject: 'address list', pass, detail };
    }
    case 'applicationHostname': {
      const pass = s.check(ctx);
      const host = s.hostname.toLowerCase();
      return {
        subject: 'hostname',
        pass,
        detail: `this host ${show(host)} is ${pass ? '' : 'not '}among [${showList(p.list)}]`,
      };
    }
    default:
      return { subject: 'strategy', pass: false, detail: `unknown strategy ${show(s.name)}: never matches` };
  }
}

export function compileStrategy(def: StrategyDefinition, index: number, env: StrategyEnv): CompiledStrategy {
  const constraints: CompiledConstraint[] = [];
  const tests: ((ctx: FlagContext) => boolean)[] = [];
  let targeted = typeof def.id === 'string' && def.id.startsWith('keyward:');
  if (Array.isArray(def.constraints)) {
    for (const c of def.constraints) {
      if (c === null || typeof c !== 'object') continue;
      const cc = env.compileConstraint(c);
      constraints.push(cc);
      tests.push(cc.test);
      // Off-toggle constraints (toggles.ts) exclude a few customers; they do not make a strategy targeted.
      if (c.origin !== 'toggle') targeted = true;
    }
  }
  const segments: { id: number; segment: CompiledSegment | null }[] = [];
  let impossible = false;
  if (Array.isArray(def.segments)) {
    for (const id of def.segments) {
      const segment = env.segment(id);
      segments.push({ id, segment });
      targeted = true;
      if (segment === null) impossible = true;
      else for (const c of segment.constraints) tests.push(c.test);
    }
  }
  const params = parseParams(def, env.flagName);
  const [check, kind] = compileCheck(def, params, env);
  const variants =
    Array.isArray(def.variants) && def.variants.length > 0
      ? compileVariants(
          def.variants,
          String(def.parameters?.groupId || env.flagName),
          def.variants[0]?.stickiness ||
            (def.parameters?.stickiness === undefined ? undefined : String(def.parameters.stickiness)),
        )
      : null;
  const matched: MatchedStrategy = { index, name: String(def.name) };
  if (def.id !== undefined) matched.id = def.id;
  if (def.title !== undefined && def.title !== null) matched.title = def.title;
  return {
    index,
    def,
    name: String(def.name),
    disabled: def.disabled === true,
    matched: Object.freeze(matched),
    reason: kind === 'split' ? 'SPLIT' : kind === 'target' || targeted ? 'TARGETING_MATCH' : 'STATIC',
    constraints,
    segments,
    tests,
    impossible,
    check,
    params,
    random: env.random,
    hostname: env.hostname,
    variants,
  };
}

/** The fast path: constraints, segments, then the strategy's own check. */
export function strategyOn(s: CompiledStrategy, ctx: FlagContext): boolean {
  if (s.impossible) return false;
  const t = s.tests;
  for (let i = 0; i < t.length; i++) if (!(t[i] as (ctx: FlagContext) => boolean)(ctx)) return false;
  return s.check(ctx);
}
