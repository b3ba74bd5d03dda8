import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const webDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The browser tests run the BUILT dashboard (apps/web/dist, served by the server). `npm install`/`npm ci` build it
 * (root postinstall); when it is missing (e.g. a fresh checkout with --ignore-scripts) it is built here once.
 * After changing the web app, run `npm run build` before `npm run test:browser`.
 */
export default function setup(): void {
  if (fs.existsSync(path.join(webDir, 'dist', 'index.html'))) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build'], { cwd: webDir, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('Building the dashboard (apps/web) failed: see the output above');
}
