import { Type } from '@sinclair/typebox';
import type { Database } from '../../platform/db/database.ts';
import type { App } from '../../platform/http/types.ts';
import type { Metrics } from '../../platform/metrics.ts';

export function healthRoutes(app: App, deps: { database: Database; metrics: Metrics }): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Liveness and database reachability',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      const ok = await deps.database.ping();
      return ok
        ? { status: 'ok' as const, database: deps.database.kind }
        : reply.status(503).send({ status: 'unavailable' as const, database: deps.database.kind });
    },
  );

  app.get(
    '/metrics',
    { schema: { tags: ['Operations'], summary: 'Prometheus metrics (text exposition format)', hide: false } },
    async (_request, reply) => {
      reply.header('content-type', deps.metrics.registry.contentType);
      return deps.metrics.registry.metrics();
    },
  );

  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
}
