import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  LicenseIdParams,
  ListLicenseMachinesQuery,
  ListMachinesQuery,
  Machine,
  MachineIdParams,
} from './machines.schemas.ts';
import type { MachinesService } from './machines.service.ts';

const tags = ['Machines'];
const security = [{ bearerAuth: [] }];

/** Admin API (bearer): machines activated on licenses. */
export function machineRoutes(app: App, machines: MachinesService): void {
  app.get(
    '/v1/machines',
    {
      schema: {
        tags,
        security,
        summary: 'List machines',
        querystring: ListMachinesQuery,
        response: { 200: pageOf(Machine), ...errorResponses },
      },
    },
    async (request) => machines.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/machines/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a machine',
        params: MachineIdParams,
        response: { 200: Machine, ...errorResponses },
      },
    },
    async (request) => machines.get(contextOf(request), request.params.id),
  );

  app.delete(
    '/v1/machines/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete (deactivate) a machine, freeing its seat',
        description:
          '204 and a `machine.deleted` audit event for the request that removed it; 404 MACHINE_NOT_FOUND when it ' +
          'is gone, also when a concurrent delete or client deactivation removed it first.',
        params: MachineIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await machines.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/licenses/:id/machines',
    {
      schema: {
        tags,
        security,
        summary: 'List the machines of a license',
        params: LicenseIdParams,
        querystring: ListLicenseMachinesQuery,
        response: { 200: pageOf(Machine), ...errorResponses },
      },
    },
    async (request) => machines.listForLicense(contextOf(request), request.params.id, request.query),
  );
}
