import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../context.ts';
import { ACCOUNT_EXPORT_COLUMNS, accountCsvRow } from '../csv/accounts-csv.ts';
import { toCsv } from '../csv/csv-file.ts';
import { LICENSE_EXPORT_COLUMNS, licenseCsvRow } from '../csv/licenses-csv.ts';
import { line } from '../io.ts';
import { oneOf } from '../options.ts';
import { allPages } from '../resolve.ts';

export function registerExportCommand(program: Command, cli: CliContext): void {
  program
    .command('export')
    .description('Export licenses or accounts as CSV (every field; dates in ISO 8601, UTC)')
    .argument('<what>', 'licenses or accounts', oneOf(['licenses', 'accounts'] as const))
    .option('--out <file>', 'write to this file instead of stdout')
    .addHelpText(
      'after',
      `
The columns are those \`keyward import\` reads (see keyward import --help), plus read-only ones (id, status,
created_at, …) that the import ignores: an export can be edited and imported again. Lists are ;-separated;
ends_at "never" = no end date, max_machines "unlimited" = no seat limit.`,
    )
    .action(async (what: 'licenses' | 'accounts', opts: { out?: string }) => {
      await cli.withApp(async (kw) => {
        const rows: Record<string, unknown>[] = [];
        if (what === 'licenses') {
          for await (const page of allPages((cursor) =>
            kw.services.licenses.list(cli.ctx, { limit: 500, cursor, sort: 'createdAt' }),
          )) {
            rows.push(...page.map(licenseCsvRow));
          }
        } else {
          for await (const page of allPages((cursor) =>
            kw.services.accounts.list(cli.ctx, { limit: 500, cursor, sort: 'createdAt' }),
          )) {
            rows.push(...page.map(accountCsvRow));
          }
        }
        const csv = toCsv(rows, what === 'licenses' ? LICENSE_EXPORT_COLUMNS : ACCOUNT_EXPORT_COLUMNS);
        if (!opts.out) return cli.io.write(csv);
        fs.writeFileSync(opts.out, csv);
        line(cli.io, `Exported ${rows.length} ${what} to ${opts.out}.`);
      });
    });
}
