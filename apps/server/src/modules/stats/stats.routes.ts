import { contextOf } from '../../platform/auth/bearer.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import type { App } from '../../platform/http/types.ts';
import { Overview } from './stats.schemas.ts';
import type { StatsService } from './stats.service.ts';

/** Admin API: the dashboard's home counters and charts. */
export function statsRoutes(app: App, stats: StatsService): void {
  app.get(
    '/v1/stats/overview',
    {
      schema: {
        tags: ['Stats'],
        security: [{ bearerAuth: [] }],
        summary:
          'Counters for the dashboard home: licenses by status, trials and licenses ending soon, renewals, seats',
        response: { 200: Overview, ...errorResponses },
      },
    },
    async (request) => stats.overview(contextOf(request)),
  );
}
