/** Where the CLI writes. The real entry point wires process.stdout/stderr; tests capture strings. */
export interface CliIo {
  /** Writes text to stdout as is (add the newline yourself, or use `line`). */
  write(text: string): void;
  /** Writes text to stderr as is. */
  writeErr(text: string): void;
  /** Colour escapes on stderr/stdout (only for a terminal without NO_COLOR). */
  color: boolean;
  /** The stream for progress bars; null when stderr is not a terminal (then no bar is drawn). */
  progressStream: NodeJS.WritableStream | null;
}

export function processIo(env: Record<string, string | undefined>): CliIo {
  const tty = Boolean(process.stderr.isTTY);
  // `keyward licenses list | head`: the reader went away; that is not an error.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
  return {
    write: (text) => process.stdout.write(text),
    writeErr: (text) => process.stderr.write(text),
    color: tty && !env.NO_COLOR,
    progressStream: tty ? process.stderr : null,
  };
}

/** Captures everything written, for tests and for embedding the CLI. */
export function memoryIo(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    write: (text) => {
      out += text;
    },
    writeErr: (text) => {
      err += text;
    },
    color: false,
    progressStream: null,
    stdout: () => out,
    stderr: () => err,
  };
}

export const line = (io: CliIo, text = '') => io.write(`${text}\n`);

const paint = (code: number) => (io: Pick<CliIo, 'color'>, text: string) =>
  io.color ? `\u001b[${code}m${text}\u001b[0m` : text;
export const red = paint(31);
export const green = paint(32);
export const yellow = paint(33);
export const bold = paint(1);
export const dim = paint(2);

export function printJson(io: CliIo, value: unknown): void {
  io.write(`${JSON.stringify(value, null, 2)}\n`);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cell).join(', ');
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A plain, aligned text table: a header row, a rule, then one line per row. */
export function printTable(io: CliIo, rows: Record<string, unknown>[], columns: string[]): void {
  if (rows.length === 0) {
    line(io, '(none)');
    return;
  }
  const cells = rows.map((r) => columns.map((c) => cell(r[c]).replace(/\s+/g, ' ')));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => r[i]!.length))));
  const fit = (text: string, w: number) => (text.length > w ? `${text.slice(0, w - 1)}…` : text.padEnd(w));
  const render = (values: string[]) =>
    values
      .map((v, i) => fit(v, widths[i]!))
      .join('  ')
      .trimEnd();
  line(io, bold(io, render(columns)));
  line(io, render(widths.map((w) => '-'.repeat(w))));
  for (const r of cells) line(io, render(r));
}

/** `key: value` lines for one record (the `show` commands). */
export function printRecord(io: CliIo, record: Record<string, unknown>): void {
  const keys = Object.keys(record);
  const width = Math.max(...keys.map((k) => k.length));
  for (const k of keys) line(io, `${bold(io, k.padEnd(width))}  ${cell(record[k])}`);
}
