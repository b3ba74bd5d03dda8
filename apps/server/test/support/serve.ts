/**
 * A real server process for multi-process tests: `node --import tsx apps/server/test/support/serve.ts`.
 * Configured from the environment (DATABASE_URL, KEYWARD_BOOTSTRAP_TOKEN, PORT=0, …; KEYWARD_SECRET defaults to the
 * test apps' TEST_SECRET, so servers and test apps on one database share the signing keys); prints `{"port":…}` as one
 * JSON line on stdout once listening, and closes cleanly on SIGTERM/SIGINT. Runs the housekeeping jobs unless
 * KEYWARD_JOBS=false (startServerProcess sets that unless a test asks for jobs).
 */
import type { AddressInfo } from 'node:net';
import { buildApp } from '../../src/app.ts';
import { ensureBootstrapToken } from '../../src/modules/tokens/tokens.bootstrap.ts';
import { systemContext } from '../../src/platform/auth/actor.ts';
import { loadConfig } from '../../src/platform/config.ts';
import { TEST_SECRET } from '../harness.ts';

const config = loadConfig({ KEYWARD_SECRET: TEST_SECRET, ...process.env });
const kw = await buildApp(config, { runJobs: config.jobs.enabled });
await ensureBootstrapToken(kw.database.db, kw.clock, systemContext('test server'), config.bootstrapToken);
await kw.app.listen({ host: config.host, port: config.port });
const { port } = kw.app.server.address() as AddressInfo;
process.stdout.write(`${JSON.stringify({ port, pid: process.pid })}\n`);

let closing = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    if (closing) return;
    closing = true;
    kw.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
