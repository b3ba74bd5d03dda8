import { buildApp, type Keyward } from '../app.ts';
import { type RequestContext, systemContext } from '../platform/auth/actor.ts';
import { type Config, loadConfig } from '../platform/config.ts';
import { openDatabase } from '../platform/db/database.ts';
import { type MigrationResult, migrate } from '../platform/db/migrate.ts';
import type { CliIo } from './io.ts';
import { lockDataDir } from './pglite-lock.ts';

export type Env = Record<string, string | undefined>;

/** Thrown by a command that already printed what went wrong and only needs to set the exit code. */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/** An open app for one command, and how to let go of it. */
export interface OpenedApp {
  kw: Keyward;
  migrations: MigrationResult;
  release(): Promise<void>;
}

export interface CliDeps {
  io: CliIo;
  env: Env;
  /** Opens the app; tests inject one on their own database. Defaults to {@link openApp}. */
  open?: typeof openApp;
}

/**
 * Opens the configured database (locking an embedded one against a second process), applies migrations and
 * builds the app on it. `release` closes the app, then the database, then drops the lock.
 */
export async function openApp(
  config: Config,
  options: { processMetrics: boolean; runJobs?: boolean },
): Promise<OpenedApp> {
  const lock = config.database.kind === 'pglite' && config.database.dataDir ? lockDataDir(config.dataDir) : null;
  try {
    const database = await openDatabase(config.database);
    try {
      const migrations = await migrate(database.db);
      const kw = await buildApp(config, {
        database,
        skipMigrations: true,
        processMetrics: options.processMetrics,
        runJobs: options.runJobs ?? false,
      });
      return {
        kw,
        migrations,
        async release() {
          try {
            await kw.close();
            await database.close();
          } finally {
            lock?.release();
          }
        },
      };
    } catch (err) {
      await database.close().catch(() => {});
      throw err;
    }
  } catch (err) {
    lock?.release();
    throw err;
  }
}

/** What every command gets: output, configuration and a way to run with the app open. */
export class CliContext {
  #config: Config | null = null;
  /** Set by `start` once the server listens: the process then stays up until a signal. */
  serving = false;
  constructor(readonly deps: CliDeps) {}

  get io(): CliIo {
    return this.deps.io;
  }

  /** Parsed on first use, so `--help` works even with a broken environment. */
  config(overrides: Partial<Config> = {}): Config {
    this.#config ??= loadConfig(this.deps.env);
    return { ...this.#config, ...overrides };
  }

  /** The actor of CLI changes in the audit log. */
  readonly ctx: RequestContext = systemContext('cli');

  /** Opens the app (quiet logs), runs `fn`, and always closes it again. */
  async withApp<T>(fn: (kw: Keyward, opened: OpenedApp) => Promise<T>): Promise<T> {
    const open = this.deps.open ?? openApp;
    const config = this.config();
    const quiet = config.logLevel === 'silent' ? config : { ...config, logLevel: 'warn' as const };
    const opened = await open(quiet, { processMetrics: false });
    try {
      return await fn(opened.kw, opened);
    } finally {
      await opened.release();
    }
  }
}
