import { Command, CommanderError } from 'commander';
import { ConfigError } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { registerAccountCommands } from './commands/accounts.ts';
import { registerExplainCommands } from './commands/explain.ts';
import { registerExportCommand } from './commands/export.ts';
import { registerImportCommand } from './commands/import.ts';
import { registerJobCommands } from './commands/jobs.ts';
import { registerKeyCommands } from './commands/keys.ts';
import { registerLicenseActionCommands } from './commands/license-actions.ts';
import { registerLicenseFileCommand } from './commands/license-file.ts';
import { registerLicenseCommands } from './commands/licenses.ts';
import { registerMigrateCommand } from './commands/migrate.ts';
import { registerPlanCommands } from './commands/plans.ts';
import { registerProductCommands } from './commands/products.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerTokenCommands } from './commands/tokens.ts';
import { registerUserCommands } from './commands/users.ts';
import { registerVerifyCommand } from './commands/verify.ts';
import { CliContext, type CliDeps, CliExit, type Env } from './context.ts';
import { type CliIo, processIo, red } from './io.ts';

export function buildProgram(cli: CliContext): Command {
  const { io } = cli;
  const program = new Command('keyward')
    .description('Keyward — self-hosted licenses, entitlements and customer licensing.')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.write(s),
      writeErr: (s) => io.writeErr(s),
      outputError: (s, write) => write(red(io, s)),
    })
    .showHelpAfterError('(add --help for usage)')
    .showSuggestionAfterError(true)
    .helpCommand(true)
    .addHelpText(
      'after',
      `
Configuration comes from the environment: DATABASE_URL (PostgreSQL; otherwise an embedded database under
KEYWARD_DATA_DIR, default ./data), KEYWARD_SECRET (encrypts the signing keys; required with DATABASE_URL, else
generated into <data dir>/secret), HOST, PORT, LOG_LEVEL, KEYWARD_BOOTSTRAP_TOKEN, KEYWARD_SEED_DEMO.

Exit codes: 0 success, 1 the command failed (the error code is printed), 2 the command line is wrong.`,
    );

  registerStartCommand(program, cli);
  registerMigrateCommand(program, cli);
  registerTokenCommands(program, cli);
  registerUserCommands(program, cli);
  registerProductCommands(program, cli);
  registerPlanCommands(program, cli);
  registerAccountCommands(program, cli);
  registerLicenseCommands(program, cli);
  registerLicenseActionCommands(program, cli);
  registerLicenseFileCommand(program, cli);
  registerExportCommand(program, cli);
  registerImportCommand(program, cli);
  registerKeyCommands(program, cli);
  registerVerifyCommand(program, cli);
  registerExplainCommands(program, cli);
  registerJobCommands(program, cli);
  return program;
}

function reportError(io: CliIo, env: Env, err: unknown): number {
  if (err instanceof CliExit) return err.code;
  if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2; // commander printed it already
  if (err instanceof AppError) {
    io.writeErr(`${red(io, `error ${err.code}: ${err.message}`)}\n`);
    for (const d of err.details ?? []) io.writeErr(`  ${d.field}: ${d.message}\n`);
    return 1;
  }
  if (err instanceof ConfigError) {
    io.writeErr(`${red(io, `error CONFIG_INVALID: ${err.message}`)}\n`);
    return 1;
  }
  const message = err instanceof Error ? err.message : String(err);
  io.writeErr(`${red(io, `error INTERNAL: ${message}`)}\n`);
  if (env.KEYWARD_DEBUG && err instanceof Error && err.stack) io.writeErr(`${err.stack}\n`);
  return 1;
}

export interface RunResult {
  code: number;
  /** True when `start` left a server running (the process must not exit). */
  serving: boolean;
}

/** Runs the CLI in-process with the arguments after the program name (e.g. `['licenses', 'list']`). */
export async function runCli(args: string[], deps: CliDeps): Promise<RunResult> {
  const cli = new CliContext(deps);
  try {
    await buildProgram(cli).parseAsync(args, { from: 'user' });
    return { code: 0, serving: cli.serving };
  } catch (err) {
    return { code: reportError(deps.io, deps.env, err), serving: false };
  }
}

export async function run(args: string[], deps: CliDeps): Promise<number> {
  return (await runCli(args, deps)).code;
}

/** The process entry point (bin/keyward.mjs): the one place besides config parsing that reads process.env. */
export async function main(argv: string[] = process.argv): Promise<void> {
  const env = process.env;
  const { code, serving } = await runCli(argv.slice(2), { io: processIo(env), env });
  if (!serving) process.exit(code);
}
