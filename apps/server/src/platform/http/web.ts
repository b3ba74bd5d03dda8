import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { App } from './types.ts';

const WEB_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../web');

/** The built dashboard (apps/web/dist) when there is one, otherwise the static placeholder (apps/web/public). */
export function webRoot(webDir = WEB_DIR): string {
  const dist = path.join(webDir, 'dist');
  return fs.existsSync(path.join(dist, 'index.html')) ? dist : path.join(webDir, 'public');
}

/** Paths that belong to the API and operations, never to the single-page app. */
const NOT_SPA = /^\/(v1|docs|openapi\.json|healthz|metrics|\.well-known)(\/|\?|$)/;

/** A browser navigation to a dashboard page (e.g. a reload on /accounts/42): answered with index.html. */
export function isSpaNavigation(method: string, url: string, accept: string | undefined): boolean {
  return (method === 'GET' || method === 'HEAD') && !NOT_SPA.test(url) && (accept ?? '').includes('text/html');
}

/**
 * Serves the web app at `/`. Routes are registered per file found at start; other GET requests that accept HTML and
 * are not API or operations paths get index.html (client-side routing); everything else gets the API's JSON 404.
 */
export async function registerWeb(app: App, root = webRoot()): Promise<void> {
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
  // The catch-all only exists for requests that accept HTML, so API calls keep the router's own errors
  // (404, 414 for an over-long path segment).
  app.addConstraintStrategy(acceptsHtml);
  app.get('/*', { schema: { hide: true }, constraints: { acceptsHtml: 'yes' } }, (request, reply) =>
    isSpaNavigation(request.method, request.url, request.headers.accept)
      ? reply.header('cache-control', 'no-cache').sendFile('index.html')
      : reply.callNotFound(),
  );
}

type ConstraintStrategy = Parameters<App['addConstraintStrategy']>[0];
type RouteHandler = NonNullable<ReturnType<ReturnType<ConstraintStrategy['storage']>['get']>>;

const acceptsHtml: ConstraintStrategy = {
  name: 'acceptsHtml',
  mustMatchWhenDerived: false,
  storage() {
    const handlers = new Map<string, RouteHandler>();
    return {
      get: (value: string) => handlers.get(value) ?? null,
      set: (value: string, handler: RouteHandler) => void handlers.set(value, handler),
    };
  },
  deriveConstraint: (request) => (String(request.headers.accept ?? '').includes('text/html') ? 'yes' : 'no'),
};
