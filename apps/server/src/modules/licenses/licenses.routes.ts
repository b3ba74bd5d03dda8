import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  CreateLicenseBody,
  License,
  LicenseIdParams,
  LicenseKeyQuery,
  LicenseKeyResponse,
  ListLicensesQuery,
  UpdateLicenseBody,
} from './licenses.schemas.ts';
import type { LicensesService } from './licenses.service.ts';

const tags = ['Licenses'];
const security = [{ bearerAuth: [] }];

export function licenseRoutes(app: App, licenses: LicensesService): void {
  app.post(
    '/v1/licenses',
    {
      schema: {
        tags,
        security,
        summary: 'Issue a license from a plan',
        description:
          'Every omitted field is filled from the plan: type, start (now), end (start + plan duration), maintenance ' +
          'end (start + plan maintenance days) and seat limit. `endsAt: null` issues a license that never expires. ' +
          'Without `key` a new key is generated; with `key` an imported key is stored.',
        body: CreateLicenseBody,
        response: { 201: License, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await licenses.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/licenses',
    {
      schema: {
        tags,
        security,
        summary: 'List and search licenses',
        querystring: ListLicensesQuery,
        response: { 200: pageOf(License), ...errorResponses },
      },
    },
    async (request) => licenses.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/licenses/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a license',
        params: LicenseIdParams,
        response: { 200: License, ...errorResponses },
      },
    },
    async (request) => licenses.get(contextOf(request), request.params.id),
  );

  app.get(
    '/v1/licenses/:id/key',
    {
      schema: {
        tags,
        security,
        summary: 'The license key, its exact base64 and a Kubernetes Secret',
        params: LicenseIdParams,
        querystring: LicenseKeyQuery,
        response: { 200: LicenseKeyResponse, ...errorResponses },
      },
    },
    async (request) => licenses.key(contextOf(request), request.params.id, request.query.secretName),
  );

  app.patch(
    '/v1/licenses/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Edit a license',
        description: '`billing` is merged into the current billing fields; `metadata` replaces the current object.',
        params: LicenseIdParams,
        body: UpdateLicenseBody,
        response: { 200: License, ...errorResponses },
      },
    },
    async (request) => licenses.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/licenses/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a license and its machines',
        params: LicenseIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await licenses.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
