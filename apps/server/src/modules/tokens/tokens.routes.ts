import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import { CreatedToken, CreateTokenBody, ListTokensQuery, Token, TokenIdParams } from './tokens.schemas.ts';
import type { TokensService } from './tokens.service.ts';

const tags = ['Tokens'];
const security = [{ bearerAuth: [] }];

export function tokenRoutes(app: App, tokens: TokensService): void {
  app.post(
    '/v1/tokens',
    {
      schema: {
        tags,
        security,
        summary: 'Create an API token (admin only)',
        description: 'Returns the secret once. Only its SHA-256 hash is stored: it cannot be shown again.',
        body: CreateTokenBody,
        response: { 201: CreatedToken, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await tokens.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/tokens',
    {
      schema: {
        tags,
        security,
        summary: 'List API tokens (never their secrets)',
        querystring: ListTokensQuery,
        response: { 200: pageOf(Token), ...errorResponses },
      },
    },
    async (request) => tokens.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get an API token',
        params: TokenIdParams,
        response: { 200: Token, ...errorResponses },
      },
    },
    async (request) => tokens.get(contextOf(request), request.params.id),
  );

  app.delete(
    '/v1/tokens/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Revoke an API token (admin only)',
        description: 'The token stops working immediately. The last working admin token cannot be revoked.',
        params: TokenIdParams,
        response: { 200: Token, ...errorResponses },
      },
    },
    async (request) => tokens.revoke(contextOf(request), request.params.id),
  );
}
