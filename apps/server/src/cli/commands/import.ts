import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import type { Keyward } from '../../app.ts';
import { AccountsService } from '../../modules/accounts/accounts.service.ts';
import { type ImportedLicense, insertLicenseBatch } from '../../modules/licenses/license-import.repository.ts';
import type { Db } from '../../platform/db/database.ts';
import { type CliContext, CliExit } from '../context.ts';
import { ACCOUNT_COLUMNS_HELP, ACCOUNT_KNOWN_COLUMNS, validateAccountRows } from '../csv/accounts-csv.ts';
import { type RowError, readCsv, writeErrorReport } from '../csv/csv-file.ts';
import { LICENSE_COLUMNS_HELP, LICENSE_KNOWN_COLUMNS, validateLicenseRows } from '../csv/licenses-csv.ts';
import { type CliIo, line, red, yellow } from '../io.ts';
import { joinedTransaction } from '../joined-transaction.ts';
import { oneOf } from '../options.ts';

const LICENSE_BATCH = 500;
const ACCOUNT_BATCH = 200;
const SHOWN_ERRORS = 20;

interface ImportOptions {
  skipInvalid?: boolean;
  report?: string;
  dryRun?: boolean;
}

function progress(io: CliIo, total: number) {
  if (!io.progressStream || total === 0) return { add: (_n: number) => {}, stop: () => {} };
  const bar = new cliProgress.SingleBar(
    { stream: io.progressStream, format: 'importing [{bar}] {percentage}% {value}/{total}', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { add: (n: number) => bar.increment(n), stop: () => bar.stop() };
}

function printErrors(io: CliIo, errors: RowError[], report: string | undefined): void {
  if (report) return;
  for (const e of errors.slice(0, SHOWN_ERRORS)) {
    io.writeErr(
      `  row ${e.row} (line ${e.line}) ${e.column || 'row'}: ${e.message}${e.value ? ` [${e.value}]` : ''}\n`,
    );
  }
  if (errors.length > SHOWN_ERRORS) {
    io.writeErr(`  … and ${errors.length - SHOWN_ERRORS} more (write them all with --report errors.csv)\n`);
  }
}

/** Runs `write(batch, db)` for every batch: in one transaction (all-or-nothing) or one per batch. */
async function writeBatches<T>(
  kw: Keyward,
  items: T[],
  size: number,
  oneTransaction: boolean,
  io: CliIo,
  write: (db: Db, batch: T[]) => Promise<void>,
): Promise<void> {
  const bar = progress(io, items.length);
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  const run = async (db: Db, batch: T[]) => {
    await write(db, batch);
    bar.add(batch.length);
  };
  try {
    if (oneTransaction) {
      await kw.database.db.transaction().execute(async (trx) => {
        for (const batch of batches) await run(joinedTransaction(trx), batch);
      });
    } else {
      for (const batch of batches) {
        await kw.database.db.transaction().execute((trx) => run(joinedTransaction(trx), batch));
      }
    }
  } finally {
    bar.stop();
  }
}

export function registerImportCommand(program: Command, cli: CliContext): void {
  program
    .command('import')
    .description('Import licenses or accounts from a CSV file (validated first; all-or-nothing by default)')
    .argument('<what>', 'licenses or accounts', oneOf(['licenses', 'accounts'] as const))
    .argument('<file>', 'the CSV file')
    .option('--skip-invalid', 'import the valid rows and skip (and report) the invalid ones')
    .option('--report <file>', 'write every row error to this CSV file (row, line, column, message, value)')
    .option('--dry-run', 'validate only; write nothing')
    .addHelpText(
      'after',
      `
Every row is validated before anything is written: types, dates, references (plans, accounts), and keys or CRM
ids that repeat within the file or exist already. Errors name the row (1 = first data row), the file line and
the column.
  default          any invalid row: nothing is imported, every invalid row is reported, exit code 1
  --skip-invalid   valid rows are imported, invalid ones reported and skipped, exit code 0

Licenses are written in batches of ${LICENSE_BATCH} (one transaction for the whole file by default, one per batch
with --skip-invalid), each with one 'license.imported' audit event per license (actor "cli"), carrying the
file and row. Accounts are created through the accounts service: one 'account.created' audit event each.

licenses
${LICENSE_COLUMNS_HELP.trim()}

accounts
${ACCOUNT_COLUMNS_HELP.trim()}

Examples:
  keyward import accounts accounts.csv
  keyward import licenses licenses.csv --skip-invalid --report errors.csv`,
    )
    .action(async (what: 'licenses' | 'accounts', file: string, opts: ImportOptions) => {
      const { io } = cli;
      await cli.withApp(async (kw) => {
        const db = kw.database.db;
        const now = kw.clock.now();
        const known = what === 'licenses' ? LICENSE_KNOWN_COLUMNS : ACCOUNT_KNOWN_COLUMNS;
        const { columns, rows } = readCsv(file, known);
        const checked =
          what === 'licenses'
            ? await validateLicenseRows(db, rows, columns, now, kw.signer)
            : await validateAccountRows(db, rows, columns);
        const { errors, badRows } = checked;
        if (opts.report) writeErrorReport(opts.report, errors);
        const reportHint = opts.report ? ` (see ${opts.report})` : '';

        if (badRows > 0 && !opts.skipInvalid) {
          io.writeErr(
            `${red(io, `error IMPORT_INVALID: ${badRows} of ${rows.length} rows are invalid; nothing was imported${reportHint}`)}\n`,
          );
          printErrors(io, errors, opts.report);
          throw new CliExit(1);
        }
        if (badRows > 0) printErrors(io, errors, opts.report);
        const count = checked.good.length;
        if (opts.dryRun) {
          line(io, `Dry run: ${count} rows valid, ${badRows} invalid${reportHint}. Nothing was written.`);
          return;
        }
        const oneTransaction = !opts.skipInvalid;
        if (what === 'licenses') {
          const good = (checked as { good: ImportedLicense[] }).good;
          await writeBatches(kw, good, LICENSE_BATCH, oneTransaction, io, async (trx, batch) => {
            await insertLicenseBatch(trx, cli.ctx, kw.clock, batch, file);
          });
        } else {
          const good = (checked as Awaited<ReturnType<typeof validateAccountRows>>).good;
          await writeBatches(kw, good, ACCOUNT_BATCH, oneTransaction, io, async (trx, batch) => {
            const accounts = new AccountsService({ db: trx, clock: kw.clock });
            for (const { input } of batch) await accounts.create(cli.ctx, input);
          });
        }
        const summary = `${count} imported, ${badRows} skipped${badRows > 0 ? reportHint || ' (see above)' : ''}`;
        line(io, badRows > 0 ? yellow(io, summary) : summary);
      });
    });
}
