import type { License } from '../../api/types.ts';

/** A CSV cell: quoted when needed; a leading = + - @ (spreadsheet formulas) is neutralised with a quote mark. */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export const CSV_COLUMNS = [
  'key',
  'name',
  'account',
  'product',
  'plan',
  'type',
  'status',
  'startsAt',
  'endsAt',
  'seatsUsed',
  'seatsMax',
] as const;

const row = (l: License): (string | number | null)[] => [
  l.key,
  l.name,
  l.account.name,
  l.product.name,
  l.plan.name,
  l.licenseType,
  l.status,
  l.startsAt,
  l.endsAt,
  l.machineCount,
  l.maxMachines,
];

/** The selected licenses as CSV (RFC 4180: CRLF line ends, a header row; empty = unlimited / never). */
export function licensesToCsv(licenses: License[]): string {
  const lines = [CSV_COLUMNS.join(','), ...licenses.map((l) => row(l).map(csvCell).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}
