import type { Command } from 'commander';
import { describeDatabase } from '../banner.ts';
import type { CliContext } from '../context.ts';
import { line } from '../io.ts';

export function registerMigrateCommand(program: Command, cli: CliContext): void {
  program
    .command('migrate')
    .description('Apply pending database migrations and print what ran (start does this too)')
    .action(async () => {
      await cli.withApp(async (_kw, opened) => {
        const { applied, alreadyApplied } = opened.migrations;
        line(cli.io, `Database: ${describeDatabase(cli.config().database)}`);
        for (const name of applied) line(cli.io, `applied ${name}`);
        line(
          cli.io,
          applied.length === 0
            ? `Up to date (${alreadyApplied} migrations already applied).`
            : `${applied.length} migration(s) applied, ${alreadyApplied} already applied.`,
        );
      });
    });
}
