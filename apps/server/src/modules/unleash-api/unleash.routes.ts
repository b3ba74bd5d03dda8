import { Type } from '@sinclair/typebox';
import type { TokenLookup } from '../../platform/auth/bearer.ts';
import type { App } from '../../platform/http/types.ts';
import { clientActorOf, clientTokenAuth } from './client-token.ts';
import { FeaturesQuery, FeaturesResponse, MetricsBody, RegisterBody } from './unleash.schemas.ts';
import type { UnleashService } from './unleash.service.ts';

const tags = ['Unleash client API'];
const security = [{ clientToken: [] }];
const errors = {
  400: Type.Ref('ErrorResponse'),
  401: Type.Ref('ErrorResponse'),
  403: Type.Ref('ErrorResponse'),
};
/** No body (like Unleash). */
const accepted = Type.Unsafe<undefined>({ description: 'Accepted (no body)' });

export interface UnleashRouteDeps {
  unleash: UnleashService;
  /** Resolves a token hash to its actor (modules/tokens/tokens.read.ts). */
  lookup: TokenLookup;
}

/**
 * The Unleash client API under /api/client (docs/feature-flags.md, "Unleash SDKs"): point an Unleash server SDK at
 * `<keyward>/api` with a client token as its Authorization header.
 */
export async function unleashRoutes(app: App, deps: UnleashRouteDeps): Promise<void> {
  const { unleash } = deps;
  await app.register(async (scope: App) => {
    scope.addHook('onRequest', clientTokenAuth(deps.lookup));

    scope.get(
      '/api/client/features',
      {
        schema: {
          tags,
          security,
          summary: "The token's product's flags (Unleash format v2, toggles projected); ETag / If-None-Match → 304",
          querystring: FeaturesQuery,
          response: {
            200: FeaturesResponse,
            304: Type.Unsafe<undefined>({ description: 'Not modified (no body)' }),
            ...errors,
          },
        },
      },
      async (request, reply) => {
        const ifNoneMatch = request.headers['if-none-match'];
        const answer = await unleash.features(clientActorOf(request), request.query, ifNoneMatch);
        reply.header('etag', answer.etag).header('cache-control', 'no-cache');
        if (answer.notModified) return reply.status(304).send();
        return answer.body;
      },
    );

    scope.post(
      '/api/client/register',
      {
        schema: {
          tags,
          security,
          summary: 'An SDK instance announces itself (stored per token, app name and instance id)',
          body: RegisterBody,
          response: { 202: accepted, ...errors },
        },
      },
      async (request, reply) => {
        await unleash.register(clientActorOf(request), request.body);
        return reply.status(202).send();
      },
    );

    scope.post(
      '/api/client/metrics',
      {
        schema: {
          tags,
          security,
          summary: 'An SDK instance reports how often flags were on and off (summed per flag and hour)',
          body: MetricsBody,
          response: { 202: accepted, ...errors },
        },
      },
      async (request, reply) => {
        await unleash.metrics(clientActorOf(request), request.body);
        return reply.status(202).send();
      },
    );
  });
}
