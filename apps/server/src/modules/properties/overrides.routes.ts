import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  CreateOverrideBody,
  ListOverridesQuery,
  Override,
  OverrideIdParams,
  UpdateOverrideBody,
} from './overrides.schemas.ts';
import type { OverridesService } from './overrides.service.ts';

const tags = ['Overrides'];
const security = [{ bearerAuth: [] }];

/** Per-account and per-license property values, with reason, author and optional expiry. */
export function overrideRoutes(app: App, overrides: OverridesService): void {
  app.post(
    '/v1/overrides',
    {
      schema: {
        tags,
        security,
        summary: 'Override a property for an account or a license (reason required, optional expiry)',
        body: CreateOverrideBody,
        response: { 201: Override, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await overrides.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/overrides',
    {
      schema: {
        tags,
        security,
        summary: 'List overrides (active only unless includeExpired)',
        querystring: ListOverridesQuery,
        response: { 200: pageOf(Override), ...errorResponses },
      },
    },
    async (request) => overrides.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/overrides/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get an override',
        params: OverrideIdParams,
        response: { 200: Override, ...errorResponses },
      },
    },
    async (request) => overrides.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/overrides/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Change the value, enforcement, reason or expiry of an override',
        params: OverrideIdParams,
        body: UpdateOverrideBody,
        response: { 200: Override, ...errorResponses },
      },
    },
    async (request) => overrides.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/overrides/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete an override (the next layer decides again)',
        params: OverrideIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await overrides.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
