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

/**
 * Serves the web app at `/`. Routes are registered per file found at start (no catch-all), so unknown paths
 * still get the API's JSON 404.
 */
export async function registerWeb(app: App, root = webRoot()): Promise<void> {
  await app.register(fastifyStatic, { root, prefix: '/', wildcard: false, index: ['index.html'] });
}
