import type { AddressInfo } from 'node:net';
import type { Command } from 'commander';
import { printBanner } from '../banner.ts';
import { type CliContext, openApp } from '../context.ts';
import { firstStart } from '../first-start.ts';
import { line } from '../io.ts';

const SHUTDOWN_GRACE_MS = 10_000;

export function registerStartCommand(program: Command, cli: CliContext): void {
  program
    .command('start')
    .description('Start the server: migrate, create the first admin token and admin user, seed demo data once, listen')
    .addHelpText(
      'after',
      `
Environment:
  HOST, PORT                 where to listen (default 127.0.0.1:3000; PORT=0 picks a free port)
  DATABASE_URL               PostgreSQL; without it an embedded database under KEYWARD_DATA_DIR (default ./data)
  KEYWARD_BOOTSTRAP_TOKEN    admin token to register (>= 24 chars); otherwise one is generated on first start
                             and printed once
  KEYWARD_ADMIN_EMAIL        the dashboard admin user made on first start (default admin@keyward.local)
  KEYWARD_ADMIN_PASSWORD     its password (>= 12 chars); otherwise one is generated and printed once
  KEYWARD_PUBLIC_URL         origin of links in mails (password reset); default http://HOST:PORT
  KEYWARD_SEED_DEMO          seed demo products, plans, accounts and licenses on first start (default true)
  KEYWARD_JOBS               run housekeeping jobs in this process (default true; each runs once across
                             all processes — see \`keyward jobs\`)
  KEYWARD_HEADERS_TIMEOUT_SECONDS, KEYWARD_REQUEST_TIMEOUT_SECONDS
                             a client that has not sent its headers / whole request by then gets 408
                             (default 10 / 30); KEYWARD_KEEP_ALIVE_TIMEOUT_SECONDS (72),
                             KEYWARD_SOCKET_IDLE_TIMEOUT_SECONDS (120) — see docs/security.md
  LOG_LEVEL                  fatal|error|warn|info|debug|trace|silent (default info)`,
    )
    .action(async () => {
      const config = cli.config();
      const open = cli.deps.open ?? openApp;
      const opened = await open(config, { processMetrics: true, runJobs: config.jobs.enabled });
      const { kw } = opened;
      let closing: Promise<void> | null = null;
      const shutdown = (reason: string, code: number) => {
        if (closing) {
          line(cli.io, `${reason} again: exiting now`);
          process.exit(code || 1);
        }
        line(cli.io, `Stopping (${reason})…`);
        kw.app.log.info({ reason }, 'shutting down');
        const timer = setTimeout(() => {
          cli.io.writeErr(`Shutdown took longer than ${SHUTDOWN_GRACE_MS / 1000}s: exiting\n`);
          process.exit(1);
        }, SHUTDOWN_GRACE_MS);
        timer.unref();
        closing = opened.release().then(
          () => process.exit(code),
          (err: unknown) => {
            cli.io.writeErr(`Error while shutting down: ${err instanceof Error ? err.message : String(err)}\n`);
            process.exit(1);
          },
        );
      };
      try {
        const first = await firstStart(kw, config);
        await kw.app.listen({ host: config.host, port: config.port });
        const address = kw.app.server.address() as AddressInfo;
        printBanner(cli.io, {
          host: config.host,
          port: address.port,
          database: config.database,
          adminToken: first.adminToken,
          adminUser: first.adminUser,
          seeded: first.seeded,
          migrationsApplied: opened.migrations.applied,
        });
      } catch (err) {
        await opened.release().catch(() => {});
        throw err;
      }
      cli.serving = true;
      // A second signal while closing exits at once.
      process.on('SIGINT', () => shutdown('SIGINT', 0));
      process.on('SIGTERM', () => shutdown('SIGTERM', 0));
      process.on('uncaughtException', (err) => {
        kw.app.log.fatal({ err }, 'uncaught exception');
        shutdown('uncaughtException', 1);
      });
      process.on('unhandledRejection', (err) => {
        kw.app.log.fatal({ err }, 'unhandled rejection');
        shutdown('unhandledRejection', 1);
      });
    });
}
