import type { FastifyRequest } from 'fastify';
import type { TokenLookup } from '../../platform/auth/bearer.ts';
import { hashTokenSecret } from '../../platform/auth/token-secret.ts';
import { forbidden, unauthorized } from '../../platform/errors.ts';
import type { ClientActor } from './unleash.service.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the client-token hook on the Unleash client API. */
    clientActor?: ClientActor;
  }
}

/**
 * onRequest hook of the Unleash client API: Unleash SDKs send the token as is in `Authorization` (the
 * `customHeaders: { Authorization: token }` of their setup); `Bearer <token>` is accepted too. Only client tokens
 * (role `client`, confined to one product) may call it: none or an unknown, expired or revoked token → 401, any
 * other role → 403.
 */
export function clientTokenAuth(lookup: TokenLookup) {
  return async function authenticate(request: FastifyRequest): Promise<void> {
    const header = request.headers.authorization?.trim();
    const secret = header ? (/^Bearer\s+(\S+)$/i.exec(header)?.[1] ?? header) : '';
    if (!secret || /\s/.test(secret)) {
      throw unauthorized('A client token is required in the Authorization header (create one with role client)');
    }
    const actor = await lookup(hashTokenSecret(secret));
    if (!actor) throw unauthorized('The client token is unknown, expired or revoked');
    if (actor.kind !== 'token' || actor.role !== 'client' || actor.productId === null) {
      throw forbidden('Only client tokens (role client) read flags through the Unleash client API');
    }
    request.clientActor = { ...actor, productId: actor.productId };
  };
}

export function clientActorOf(request: FastifyRequest): ClientActor {
  if (!request.clientActor) throw unauthorized('A client token is required in the Authorization header');
  return request.clientActor;
}
