import type { TokenRole, UserRole } from '../db/schema.ts';
import { forbidden } from '../errors.ts';

/** Who is doing something. Every service call gets one; every audit event records one. */
export type Actor =
  | { kind: 'token'; id: string; name: string; role: TokenRole; productId: string | null }
  /** A staff member signed in to the dashboard (session cookie); what the role may do: permissions.ts. */
  | { kind: 'user'; id: string; name: string; role: UserRole; productId: null }
  | { kind: 'system'; id: null; name: string; role: 'admin'; productId: null }
  | { kind: 'license'; id: string; name: string; role: 'license'; productId: string };

export interface RequestContext {
  actor: Actor;
  requestId: string | null;
}

export const systemActor = (name = 'system'): Actor => ({
  kind: 'system',
  id: null,
  name,
  role: 'admin',
  productId: null,
});

export const systemContext = (name = 'system'): RequestContext => ({ actor: systemActor(name), requestId: null });

/**
 * Admin tokens may write anything; product tokens may write within their product; read-only tokens never write.
 * Users: read_only users never write; what the other roles may change is decided by permissions.ts.
 */
export function assertCanWrite(actor: Actor): void {
  if (actor.role === 'read-only') throw forbidden('Read-only tokens cannot make changes');
  if (actor.role === 'read_only') throw forbidden('The read_only role cannot make changes');
  if (actor.role === 'license') throw forbidden('A license key cannot make admin changes');
}

/** Admin tokens, admin users and the system. */
export function assertAdmin(actor: Actor): void {
  if (actor.role !== 'admin') {
    throw forbidden(actor.kind === 'user' ? `The ${actor.role} role may not do this` : 'Only admin tokens may do this');
  }
}

/** The product a token is confined to, or null for tokens that see every product. */
export function productScope(actor: Actor): string | null {
  return actor.role === 'product' || actor.role === 'client' || actor.role === 'license' ? actor.productId : null;
}

/** Throws a 404-shaped error when the actor may not see a record of that product (no existence leak). */
export function assertProductVisible(actor: Actor, productId: string, notFoundError: Error): void {
  const scope = productScope(actor);
  if (scope !== null && scope !== productId) throw notFoundError;
}
