import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import { CreatePlanBody, ListPlansQuery, Plan, PlanIdParams, UpdatePlanBody } from './plans.schemas.ts';
import type { PlansService } from './plans.service.ts';

const tags = ['Plans'];
const security = [{ bearerAuth: [] }];

export function planRoutes(app: App, plans: PlansService): void {
  app.post(
    '/v1/plans',
    {
      schema: {
        tags,
        security,
        summary: 'Create a plan (a template for licenses of one product)',
        body: CreatePlanBody,
        response: { 201: Plan, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await plans.create(contextOf(request), request.body)),
  );

  app.get(
    '/v1/plans',
    {
      schema: {
        tags,
        security,
        summary: 'List plans',
        querystring: ListPlansQuery,
        response: { 200: pageOf(Plan), ...errorResponses },
      },
    },
    async (request) => plans.list(contextOf(request), request.query),
  );

  app.get(
    '/v1/plans/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Get a plan',
        params: PlanIdParams,
        response: { 200: Plan, ...errorResponses },
      },
    },
    async (request) => plans.get(contextOf(request), request.params.id),
  );

  app.patch(
    '/v1/plans/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Update a plan (its product cannot change)',
        params: PlanIdParams,
        body: UpdatePlanBody,
        response: { 200: Plan, ...errorResponses },
      },
    },
    async (request) => plans.update(contextOf(request), request.params.id, request.body),
  );

  app.delete(
    '/v1/plans/:id',
    {
      schema: {
        tags,
        security,
        summary: 'Delete a plan no license uses',
        params: PlanIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await plans.remove(contextOf(request), request.params.id);
      return reply.status(204).send(null);
    },
  );
}
