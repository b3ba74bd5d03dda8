import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  CreatePropertyBody,
  DeletePropertyQuery,
  ListPropertiesQuery,
  Property,
  PropertyIdParams,
  UpdatePropertyBody,
} from './properties.schemas.ts';
import type { PropertiesService } from './properties.service.ts';

const tags = ['Properties'];
const security = [{ bearerAuth: [] }];

/** Typed properties of a product: feature switches, limits, choices and JSON configs (docs/entitlements.md). */
export function propertyRoutes(app: App, properties: PropertiesService): void {
  app.post(
    '/v1/properties',
    {
      schema: {
        tags,
        security,
        summary: 'Define a property of a product (boolean, number limit, enum or JSON)',
        body: CreatePropertyBody,
        response: { 201: Property, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await properties.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/properties',
    {
      schema: {
        tags,
        security,
        summary: 'List properties (in key order)',
        querystring: ListPropertiesQuery,
        response: { 200: pageOf(Property), ...errorResponses },
      },
    },
    async (request) => properties.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/properties/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a property',
        params: PropertyIdParams,
        response: { 200: Property, ...errorResponses },
      },
    },
    async (request) => properties.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/properties/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Update a property (type changes only while no plan value or override uses it)',
        params: PropertyIdParams,
        body: UpdatePropertyBody,
        response: { 200: Property, ...errorResponses },
      },
    },
    async (request) => properties.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/properties/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a property (409 PROPERTY_IN_USE while used, unless force=true removes its values too)',
        params: PropertyIdParams,
        querystring: DeletePropertyQuery,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await properties.remove(contextOf(request), request.params.id, request.query.force ?? false);
      return reply.status(204).send(null);
    },
  );
}
