import type { FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../errors.ts';
import type { Actor, RequestContext } from './actor.ts';
import { hashTokenSecret } from './token-secret.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the bearer hook on admin routes. */
    actor: Actor | null;
  }
}

export type TokenLookup = (tokenHash: string) => Promise<Actor | null>;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * onRequest hook for the admin API: resolves `Authorization: Bearer <token>` to an actor. Read-only tokens are
 * refused on every non-read method here, so no route can forget it; finer rules (admin-only, product scope) are
 * enforced by the services.
 */
export function bearerAuth(lookup: TokenLookup) {
  return async function authenticate(request: FastifyRequest, _reply: FastifyReply) {
    const header = request.headers.authorization;
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw unauthorized();
    const actor = await lookup(hashTokenSecret(match[1]));
    if (!actor) throw unauthorized('The bearer token is unknown, expired or revoked');
    if (actor.role === 'read-only' && !READ_METHODS.has(request.method)) {
      throw forbidden('Read-only tokens cannot make changes');
    }
    request.actor = actor;
  };
}

/** The service context of an authenticated admin request. */
export function contextOf(request: FastifyRequest): RequestContext {
  if (!request.actor) throw unauthorized();
  return { actor: request.actor, requestId: String(request.id) };
}
