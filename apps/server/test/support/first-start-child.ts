/**
 * One of several processes racing through a first start (`test/first-start.pg.test.ts`):
 * `node --import tsx apps/server/test/support/first-start-child.ts`. For every line `{"round":n,"url":"postgres://…"}`
 * on stdin it does what `keyward start` does on that database — open it, migrate, build the app, first-start work
 * (admin token, admin user, demo data), listen (the signing key is made when the app gets ready) — and answers
 * `{"round":n,"port":…,…}` (or `{"round":n,"error":…}`); on `{"close":n}` it closes that app and answers
 * `{"closed":n}`. One process serves many rounds so that a round costs a start, not a Node process.
 */
import readline from 'node:readline';
import { type OpenedApp, openApp } from '../../src/cli/context.ts';
import { firstStart } from '../../src/cli/first-start.ts';
import { loadConfig } from '../../src/platform/config.ts';

const opened = new Map<number, OpenedApp>();
const say = (message: object) => process.stdout.write(`${JSON.stringify(message)}\n`);

async function start(round: number, url: string): Promise<void> {
  try {
    const config = loadConfig({ ...process.env, DATABASE_URL: url });
    const app = await openApp(config, { processMetrics: false });
    opened.set(round, app);
    const first = await firstStart(app.kw, config);
    await app.kw.app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.kw.app.server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    say({
      round,
      port,
      migrationsApplied: app.migrations.applied.length,
      createdToken: first.adminToken !== null,
      createdAdmin: first.adminUser !== null,
      seeded: first.seeded,
    });
  } catch (err) {
    say({ round, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
}

async function close(round: number): Promise<void> {
  await opened
    .get(round)
    ?.release()
    .catch(() => {});
  opened.delete(round);
  say({ closed: round });
}

readline.createInterface({ input: process.stdin }).on('line', (line) => {
  const message = JSON.parse(line) as { round?: number; url?: string; close?: number };
  if (message.close !== undefined) void close(message.close);
  else if (message.round !== undefined && message.url) void start(message.round, message.url);
});
say({ ready: true }); // everything is loaded: a round's start is a start, not a module load
