import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import { CreateUserBody, ListUsersQuery, UpdateUserBody, User, UserIdParams } from './users.schemas.ts';
import type { UsersService } from './users.service.ts';

const tags = ['Users'];
const security = [{ bearerAuth: [] }];

/** Staff users of the dashboard (admin only): docs/dashboard-auth.md. */
export function userRoutes(app: App, users: UsersService): void {
  app.get(
    '/v1/users',
    {
      schema: {
        tags,
        security,
        summary: 'List dashboard users (admin; read-only API tokens may read)',
        querystring: ListUsersQuery,
        response: { 200: pageOf(User), ...errorResponses },
      },
    },
    async (request) => users.list(contextOf(request), request.query),
  );

  app.post(
    '/v1/users',
    {
      schema: {
        tags,
        security,
        summary: 'Create a dashboard user (admin only)',
        description: 'With a password (>= 12 characters), or without one: the user then gets a link by mail to set it.',
        body: CreateUserBody,
        response: { 201: User, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send((await users.create(contextOf(request), request.body)).user),
  );

  app.get(
    '/v1/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a dashboard user (admin; read-only API tokens may read)',
        params: UserIdParams,
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => users.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change email, name, role or disabled (admin only)',
        description: 'Disabling ends the sessions of the user. The last enabled admin cannot be demoted or disabled.',
        params: UserIdParams,
        body: UpdateUserBody,
        response: { 200: User, ...errorResponses },
      },
    },
    async (request) => users.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/users/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a dashboard user (admin only; never the last enabled admin)',
        params: UserIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await users.delete(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
