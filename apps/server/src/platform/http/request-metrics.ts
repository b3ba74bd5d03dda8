import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../metrics.ts';

/** Counts requests and observes latency per route pattern (never per raw URL: keys must not become labels). */
export function registerRequestMetrics(app: FastifyInstance, metrics: Metrics): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
}
