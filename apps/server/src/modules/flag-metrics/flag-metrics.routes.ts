import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { pageOf } from '../../platform/http/pagination.ts';
import type { App } from '../../platform/http/types.ts';
import {
  FlagClient,
  FlagMetrics,
  FlagMetricsParams,
  FlagMetricsQuery,
  ListFlagClientsQuery,
} from './flag-metrics.schemas.ts';
import type { FlagMetricsService } from './flag-metrics.service.ts';

const tags = ['Feature flags'];
const security = [{ bearerAuth: [] }];

/** What Unleash SDKs reported: a flag's hourly evaluation counts and the connected SDK instances. */
export function flagMetricsRoutes(app: App, metrics: FlagMetricsService): void {
  app.get(
    '/v1/flags/:id/metrics',
    {
      schema: {
        tags,
        security,
        summary: 'How often SDKs evaluated a flag, per hour (yes/no/variants), over the last N hours (default 24)',
        params: FlagMetricsParams,
        querystring: FlagMetricsQuery,
        response: { 200: FlagMetrics, ...errorResponses },
      },
    },
    async (request) => metrics.flagMetrics(contextOf(request), request.params.id, request.query),
  );

  app.get(
    '/v1/flag-clients',
    {
      schema: {
        tags,
        security,
        summary: 'SDK instances registered through the Unleash client API, most recently seen first',
        querystring: ListFlagClientsQuery,
        response: { 200: pageOf(FlagClient), ...errorResponses },
      },
    },
    async (request) => metrics.listClients(contextOf(request), request.query),
  );
}
