import { Type } from '@sinclair/typebox';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { App } from '../../platform/http/types.ts';
import { PlanIdParams } from '../plans/plans.schemas.ts';
import { PlanProperties, PlanPropertyParams, PlanPropertyValue, SetPlanValueBody } from './plan-values.schemas.ts';
import type { PlanValuesService } from './plan-values.service.ts';

const tags = ['Properties'];
const security = [{ bearerAuth: [] }];

/** Plans as templates of property values: own values, or inherited from the base plan, or the default. */
export function planValueRoutes(app: App, planValues: PlanValuesService): void {
  app.get(
    '/v1/plans/:id/properties',
    {
      schema: {
        tags,
        security,
        summary: "Every property of the plan's product with the plan's value and where it comes from",
        params: PlanIdParams,
        response: { 200: PlanProperties, ...errorResponses },
      },
    },
    async (request) => planValues.list(contextOf(request), request.params.id),
  );

  app.put(
    '/v1/plans/:id/properties/:propertyId',
    {
      schema: {
        tags,
        security,
        summary: "Set the plan's value of a property (and optionally its enforcement)",
        params: PlanPropertyParams,
        body: SetPlanValueBody,
        response: { 200: PlanPropertyValue, ...errorResponses },
      },
    },
    async (request) => planValues.set(contextOf(request), request.params.id, request.params.propertyId, request.body),
  );

  app.delete(
    '/v1/plans/:id/properties/:propertyId',
    {
      schema: {
        tags,
        security,
        summary: "Remove the plan's own value (it inherits the base plan's value or the default again)",
        params: PlanPropertyParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await planValues.remove(contextOf(request), request.params.id, request.params.propertyId);
      return reply.status(204).send(null);
    },
  );
}
