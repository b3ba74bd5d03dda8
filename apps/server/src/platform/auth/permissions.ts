import type { FastifyRequest } from 'fastify';
import type { TokenRole, UserRole } from '../db/schema.ts';
import { forbidden } from '../errors.ts';
import type { Actor } from './actor.ts';

/*
 * What each dashboard user role may do on the admin API: the ONE place it is decided (docs/dashboard-auth.md).
 * The bearer hook consults it for every session-authenticated request; rules that depend on the body are checked
 * again once the body is parsed and validated (enforceBodyRules). Bearer API tokens do not go through this table.
 */

/** `read`: GET/HEAD/OPTIONS; `write`: every other method; or exactly these methods. */
type Methods = 'any' | 'read' | 'write' | readonly string[];

interface BodyRule {
  check(body: unknown): boolean;
  /** Shown in the 403 message. */
  why: string;
}

interface Rule {
  /** The route as registered (`/v1/licenses/:id`), or a pattern over it. */
  route: string | RegExp;
  methods: Methods;
  /** Roles allowed outright. */
  allow: readonly UserRole[];
  /** Roles allowed only when the request body passes a check. */
  allowIf?: Partial<Record<UserRole, BodyRule>>;
}

const ALL: readonly UserRole[] = ['admin', 'account_manager', 'support', 'read_only'];
const MANAGERS: readonly UserRole[] = ['admin', 'account_manager'];

const isObject = (body: unknown): body is Record<string, unknown> =>
  typeof body === 'object' && body !== null && !Array.isArray(body);

/** The +1 week button and its undo. */
const plusOrMinusAWeek: BodyRule = {
  check: (body) => isObject(body) && (body.days === 7 || body.days === -7),
  why: 'only 7 or -7 days',
};
const onlyNotes: BodyRule = {
  check: (body) => isObject(body) && Object.keys(body).length === 1 && typeof body.notes === 'string',
  why: 'only notes',
};

/** First matching rule decides. */
export const ROUTE_POLICY: readonly Rule[] = [
  { route: /^\/v1\/(tokens|users|signing-keys)(\/|$)/, methods: 'any', allow: ['admin'] },
  { route: /^\/v1\/(products|plans)(\/|$)/, methods: 'write', allow: ['admin'] },
  {
    route: '/v1/licenses/:id/actions/extend',
    methods: ['POST'],
    allow: MANAGERS,
    allowIf: { support: plusOrMinusAWeek },
  },
  { route: '/v1/licenses/:id', methods: ['PATCH'], allow: MANAGERS, allowIf: { support: onlyNotes } },
  { route: '/v1/accounts/:id', methods: ['PATCH'], allow: MANAGERS, allowIf: { support: onlyNotes } },
  // Deleting a customer record (one without licenses) is the admin's, as for admin tokens (AccountsService.remove).
  { route: '/v1/accounts/:id', methods: ['DELETE'], allow: ['admin'] },
  // Entitlements (docs/entitlements.md): property definitions are the admin's; overrides the account team's.
  { route: /^\/v1\/properties(\/|$)/, methods: 'write', allow: ['admin'] },
  { route: /^\/v1\/overrides(\/|$)/, methods: 'write', allow: ['admin', 'account_manager', 'support'] },
  // Feature flags (docs/feature-flags.md): definitions and segments are the admin's; per-customer toggles the
  // account team's (support included); explain changes nothing.
  { route: '/v1/flags/:id/explain', methods: ['POST'], allow: ALL },
  {
    route: '/v1/flags/:id/toggles/:scope/:targetId',
    methods: 'write',
    allow: ['admin', 'account_manager', 'support'],
  },
  { route: /^\/v1\/(flags|flag-segments)(\/|$)/, methods: 'write', allow: ['admin'] },
  { route: /^\/v1\//, methods: 'read', allow: ALL },
  { route: /^\/v1\//, methods: 'write', allow: MANAGERS },
];

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export type Decision = { allowed: true } | { allowed: false; why?: string } | { allowed: 'if-body'; rule: BodyRule };

/** What the table says about a role calling `method route` (route as registered, e.g. `/v1/accounts/:id`). */
export function decide(role: UserRole, method: string, route: string): Decision {
  const read = READ_METHODS.has(method.toUpperCase());
  for (const rule of ROUTE_POLICY) {
    const methodMatches =
      typeof rule.methods !== 'string'
        ? rule.methods.includes(method.toUpperCase())
        : rule.methods === 'any' || (rule.methods === 'read') === read;
    const routeMatches = typeof rule.route === 'string' ? rule.route === route : rule.route.test(route);
    if (!methodMatches || !routeMatches) continue;
    if (rule.allow.includes(role)) return { allowed: true };
    const conditional = rule.allowIf?.[role];
    return conditional ? { allowed: 'if-body', rule: conditional } : { allowed: false };
  }
  return role === 'admin' ? { allowed: true } : { allowed: false };
}

/**
 * What an API token role may read, as the staff role that reads the same: admin and read-only tokens read
 * everything (token metadata and users included, docs/dashboard-auth.md); product tokens read what read_only users
 * read, within their product (the services confine them); client tokens read nothing on the admin API.
 */
const TOKEN_READS_AS: Record<TokenRole, UserRole | null> = {
  admin: 'admin',
  'read-only': 'admin',
  product: 'read_only',
  client: null,
};

/**
 * May this actor read (GET) what the admin API serves at `route` (as registered, e.g. `/v1/users/:id`)? The table
 * above answers for every kind of actor; readers of the policy outside the bearer hook (the services of tokens and
 * users, the audit log's filter) ask here instead of keeping their own list.
 */
export function mayRead(actor: Actor, route: string): boolean {
  const role =
    actor.kind === 'user'
      ? actor.role
      : actor.kind === 'token'
        ? TOKEN_READS_AS[actor.role]
        : actor.kind === 'system'
          ? 'admin'
          : null;
  return role !== null && decide(role, 'GET', route).allowed === true;
}

const pendingBodyRules = new WeakMap<FastifyRequest, BodyRule>();

const denied = (role: UserRole, request: FastifyRequest, why?: string) =>
  forbidden(
    `The ${role} role may not do this (${request.method} ${request.routeOptions.url ?? request.url}${why ? `: ${why}` : ''})`,
  );

/** Called by the bearer hook for user actors: throws 403 FORBIDDEN, or remembers a body rule for later. */
export function authorizeUser(actor: Extract<Actor, { kind: 'user' }>, request: FastifyRequest): void {
  const decision = decide(actor.role, request.method, request.routeOptions.url ?? request.url);
  if (decision.allowed === true) return;
  if (decision.allowed === false) throw denied(actor.role, request, decision.why);
  pendingBodyRules.set(request, decision.rule);
}

/** preHandler of the admin API: applies a body rule authorizeUser left for this request (after validation). */
export async function enforceBodyRules(request: FastifyRequest): Promise<void> {
  const rule = pendingBodyRules.get(request);
  if (!rule || request.actor?.kind !== 'user') return;
  if (!rule.check(request.body)) throw denied(request.actor.role, request, rule.why);
}
