import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError, forbidden, unauthorized } from '../errors.ts';
import type { Actor, RequestContext } from './actor.ts';
import { authorizeUser } from './permissions.ts';
import { csrfTokenMatches, hashSessionSecret, sessionSecretOf, setSessionCookie } from './session-cookie.ts';
import { hashTokenSecret } from './token-secret.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** A POST that only reads (explain with a context body): read-only tokens may call it. */
    readsOnly?: boolean;
  }
  interface FastifyRequest {
    /** Set by the bearer hook on admin routes. */
    actor: Actor | null;
  }
}

export type TokenLookup = (tokenHash: string) => Promise<Actor | null>;

export interface SessionAuth {
  actor: Extract<Actor, { kind: 'user' }>;
  csrfTokenHash: string;
  /** The lookup moved the session's expiry forward: the cookie is sent again with a fresh Max-Age. */
  renewed: boolean;
}
/** Resolves a session id (SHA-256 of the cookie secret) to a live session of an enabled user, renewing it. */
export type SessionLookup = (sessionId: string) => Promise<SessionAuth | null>;

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * onRequest hook for the admin API: resolves `Authorization: Bearer <token>` to an actor. Read-only tokens are
 * refused on every non-read method here, so no route can forget it; finer rules (admin-only, product scope) are
 * enforced by the services.
 * Without an Authorization header, a `kw_session` cookie of a signed-in user is accepted instead: writes need the
 * session's `x-csrf-token`, and the user's role is checked against the route policy (permissions.ts).
 */
export function bearerAuth(lookup: TokenLookup, sessions?: SessionLookup) {
  return async function authenticate(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization;
    const sessionSecret = header === undefined && sessions ? sessionSecretOf(request) : null;
    if (sessions && sessionSecret !== null) {
      const session = await sessions(hashSessionSecret(sessionSecret));
      if (!session) throw unauthorized('The session has ended; sign in again');
      if (
        !READ_METHODS.has(request.method) &&
        !csrfTokenMatches(request.headers['x-csrf-token'], session.csrfTokenHash)
      ) {
        throw new AppError('CSRF_TOKEN_INVALID', 403, 'Send the x-csrf-token header of your session with changes');
      }
      authorizeUser(session.actor, request);
      if (session.renewed) setSessionCookie(request, reply, sessionSecret);
      request.actor = session.actor;
      return;
    }
    const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match?.[1]) throw unauthorized();
    const actor = await lookup(hashTokenSecret(match[1]));
    if (!actor) throw unauthorized('The bearer token is unknown, expired or revoked');
    if (actor.role === 'client') {
      throw forbidden('Client tokens only read feature flags through the Unleash client API (/api/client/*)');
    }
    if (actor.role === 'read-only' && !READ_METHODS.has(request.method) && !request.routeOptions.config.readsOnly) {
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
