import type { Actor } from '../../platform/auth/actor.ts';
import { mayRead } from '../../platform/auth/permissions.ts';

/**
 * Every kind of thing an audit event can be about, with the admin API route that reads such a thing. An event is
 * shown to whoever may read its target there (platform/auth/permissions.ts decides, for users and API tokens
 * alike), so the audit log never shows a role what the resource's own endpoint refuses it: staff emails, roles and
 * sign-in addresses (`user`), token names and prefixes (`token`), signing keys (`signing_key`). A new target type
 * must be added here (AuditEntry.targetType is this union), and is then covered by the same rule.
 */
export const AUDIT_TARGET_ROUTES = {
  account: '/v1/accounts/:id',
  flag: '/v1/flags/:id',
  flag_segment: '/v1/flag-segments/:id',
  license: '/v1/licenses/:id',
  machine: '/v1/machines/:id',
  override: '/v1/overrides/:id',
  plan: '/v1/plans/:id',
  product: '/v1/products/:id',
  property: '/v1/properties/:id',
  // No GET route of its own (public keys are at /v1/keys); the policy's rule for /v1/signing-keys decides.
  signing_key: '/v1/signing-keys',
  token: '/v1/tokens/:id',
  user: '/v1/users/:id',
} as const satisfies Record<string, string>;

export type AuditTargetType = keyof typeof AUDIT_TARGET_ROUTES;

const ALL_TARGET_TYPES = Object.keys(AUDIT_TARGET_ROUTES) as AuditTargetType[];

/**
 * The target types whose events this actor may read, or null when it may read them all (no filter needed). Events
 * of a type not listed here (none are written) are shown only to those who read everything.
 */
export function readableTargetTypes(actor: Actor): AuditTargetType[] | null {
  const readable = ALL_TARGET_TYPES.filter((type) => mayRead(actor, AUDIT_TARGET_ROUTES[type]));
  return readable.length === ALL_TARGET_TYPES.length ? null : readable;
}
