import fs from 'node:fs';
import { CsvError, parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { AppError } from '../../platform/errors.ts';

/** One data row of an imported file: its 1-based number among the data rows, the file line and its cells. */
export interface CsvRow {
  row: number;
  line: number;
  cells: Record<string, string>;
}

/** What is wrong with one cell (or a whole row: column ''). */
export interface RowError {
  row: number;
  line: number;
  column: string;
  message: string;
  value: string;
}

/**
 * Reads a CSV file with a header row. Column names are trimmed and lower-cased; cells are trimmed; blank lines are
 * skipped. A file that is not CSV (e.g. a row with the wrong number of cells) is refused as a whole.
 */
export function readCsv(file: string, known: readonly string[]): { columns: string[]; rows: CsvRow[] } {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new AppError('FILE_NOT_READABLE', 400, `Cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let columns: string[] = [];
  try {
    records = parse(text, {
      bom: true,
      columns: (header: string[]) => {
        columns = header.map((h) => h.trim().toLowerCase());
        return columns;
      },
      info: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (err) {
    if (err instanceof CsvError) throw new AppError('CSV_INVALID', 400, `${file} is not valid CSV: ${err.message}`);
    throw err;
  }
  const unknown = columns.filter((c) => !known.includes(c));
  if (unknown.length > 0) {
    throw new AppError(
      'CSV_UNKNOWN_COLUMNS',
      400,
      `Unknown column(s) ${unknown.join(', ')}; see --help for the columns`,
    );
  }
  const duplicated = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (duplicated.length > 0)
    throw new AppError('CSV_DUPLICATE_COLUMNS', 400, `Column(s) ${duplicated.join(', ')} twice`);
  return {
    columns,
    rows: records.map(({ record, info }, i) => ({ row: i + 1, line: info.lines, cells: record })),
  };
}

export function toCsv(rows: Record<string, unknown>[], columns: readonly string[]): string {
  return stringify(rows, { header: true, columns: [...columns] });
}

export function writeErrorReport(file: string, errors: RowError[]): void {
  fs.writeFileSync(
    file,
    toCsv(errors as unknown as Record<string, unknown>[], ['row', 'line', 'column', 'message', 'value']),
  );
}

/** `a;b; c` → ['a','b','c']. */
export const splitList = (cell: string | undefined) =>
  (cell ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean);
