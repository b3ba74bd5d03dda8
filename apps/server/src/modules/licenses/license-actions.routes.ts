import type { TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import type { RequestContext } from '../../platform/auth/actor.ts';
import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { App } from '../../platform/http/types.ts';
import type { LicenseActionsService } from './license-actions.service.ts';
import { ExtendBody, License, LicenseIdParams, SetExpiryBody, TransferBody } from './licenses.schemas.ts';

const tags = ['License actions'];
const security = [{ bearerAuth: [] }];

interface ActionRoute {
  path: string;
  summary: string;
  body?: TSchema;
  run(ctx: RequestContext, id: string, body: never): Promise<unknown>;
}

/** POST /v1/licenses/:id/actions/<action>: each returns the updated license and writes one audit event. */
export function licenseActionRoutes(app: App, actions: LicenseActionsService): void {
  const routes: ActionRoute[] = [
    {
      path: 'renew',
      summary: "Renew by the plan's duration (from the end date, or from now if already ended)",
      run: (ctx, id) => actions.renew(ctx, id),
    },
    {
      path: 'extend',
      summary: 'Move the end date by days (+7 = one more week; -7 undoes it)',
      body: ExtendBody,
      run: (ctx, id, body: { days: number }) => actions.extend(ctx, id, body.days),
    },
    {
      path: 'set-expiry',
      summary: 'Set the end date (null = never expires)',
      body: SetExpiryBody,
      run: (ctx, id, body: { endsAt: string | null }) => actions.setExpiry(ctx, id, body.endsAt),
    },
    { path: 'suspend', summary: 'Suspend (reversible)', run: (ctx, id) => actions.suspend(ctx, id) },
    { path: 'reinstate', summary: 'Lift a suspension', run: (ctx, id) => actions.reinstate(ctx, id) },
    { path: 'revoke', summary: 'Revoke (final)', run: (ctx, id) => actions.revoke(ctx, id) },
    {
      path: 'transfer',
      summary: 'Move the license to another account',
      body: TransferBody,
      run: (ctx, id, body: { accountId: string }) => actions.transfer(ctx, id, body.accountId),
    },
    {
      path: 'reset-machines',
      summary: 'Remove every activated machine of the license',
      run: (ctx, id) => actions.resetMachines(ctx, id),
    },
  ];

  for (const route of routes) {
    app.post(
      `/v1/licenses/:id/actions/${route.path}`,
      {
        schema: {
          tags,
          security,
          summary: route.summary,
          params: LicenseIdParams,
          ...(route.body ? { body: route.body } : {}),
          response: { 200: License, ...errorResponses },
        },
      },
      async (request: FastifyRequest) => {
        const { id } = request.params as { id: string };
        return route.run(contextOf(request), id, request.body as never);
      },
    );
  }
}
