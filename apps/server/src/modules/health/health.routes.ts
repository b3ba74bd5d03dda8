import { Type } from '@sinclair/typebox';
import type { DatabaseAvailability } from '../../platform/db/availability.ts';
import type { Database } from '../../platform/db/database.ts';
import { DATABASE_RETRY_AFTER_SECONDS } from '../../platform/errors.ts';
import type { App } from '../../platform/http/types.ts';
import type { Metrics } from '../../platform/metrics.ts';

export function healthRoutes(
  app: App,
  deps: { database: Database; availability: DatabaseAvailability; metrics: Metrics },
): void {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['Operations'],
        summary: 'Liveness and database reachability',
        description:
          '200 when the database answers a trivial query, else 503 with Retry-After (the server itself is up and ' +
          'answers every request needing the database with 503 DATABASE_UNAVAILABLE until it is back).',
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (_request, reply) => {
      if (await deps.availability.check()) return { status: 'ok' as const, database: deps.database.kind };
      reply.header('retry-after', String(DATABASE_RETRY_AFTER_SECONDS));
      return reply.status(503).send({ status: 'unavailable' as const, database: deps.database.kind });
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
