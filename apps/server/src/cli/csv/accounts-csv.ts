import { existingCrmIds } from '../../modules/accounts/accounts.read.ts';
import {
  type AccountDto,
  CreateAccountBody,
  type CreateAccountInput,
} from '../../modules/accounts/accounts.schemas.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import { schemaIssues } from '../validate.ts';
import { type CsvRow, type RowError, splitList } from './csv-file.ts';

export const ACCOUNT_IMPORT_COLUMNS = [
  'name',
  'crm_id',
  'email_domains',
  'contact_name',
  'contact_email',
  'contact_role',
  'notes',
] as const;
const EXPORT_ONLY = ['id', 'contacts', 'license_count', 'created_at', 'updated_at'];
export const ACCOUNT_EXPORT_COLUMNS = [
  'id',
  ...ACCOUNT_IMPORT_COLUMNS,
  'contacts',
  'license_count',
  'created_at',
  'updated_at',
];
export const ACCOUNT_KNOWN_COLUMNS = [...ACCOUNT_IMPORT_COLUMNS, ...EXPORT_ONLY];

export const ACCOUNT_COLUMNS_HELP = `
Columns (header row required, any order; cells are trimmed; lists are ;-separated):
  name                       company name (required)
  crm_id                     id in your CRM; unique in the file and in Keyward (optional)
  email_domains              ;-separated, e.g. acme.com;acme.io
  contact_name, contact_email, contact_role
                             the primary contact (name and email together, role optional)
  notes                      free text
Export-only columns (${EXPORT_ONLY.join(', ')}; contacts holds every contact as JSON) are ignored on import.`;

export function accountCsvRow(a: AccountDto): Record<string, unknown> {
  const first = a.contacts[0];
  return {
    id: a.id,
    name: a.name,
    crm_id: a.crmId ?? '',
    email_domains: a.emailDomains.join(';'),
    contact_name: first?.name ?? '',
    contact_email: first?.email ?? '',
    contact_role: first?.role ?? '',
    notes: a.notes,
    contacts: JSON.stringify(a.contacts),
    license_count: a.licenseCount,
    created_at: a.createdAt,
    updated_at: a.updatedAt,
  };
}

const COLUMN_OF: Record<string, string> = {
  name: 'name',
  crmId: 'crm_id',
  emailDomains: 'email_domains',
  notes: 'notes',
};
const columnOf = (path: string) => {
  const parts = path.split('/').filter(Boolean);
  if (parts[0] === 'contacts') return `contact_${parts[2] ?? 'name'}`;
  return COLUMN_OF[parts[0] ?? ''] ?? parts[0] ?? '';
};

export interface ValidatedAccounts {
  good: { row: number; input: CreateAccountInput }[];
  errors: RowError[];
  badRows: number;
}

export async function validateAccountRows(db: Db, rows: CsvRow[], columns: string[]): Promise<ValidatedAccounts> {
  if (!columns.includes('name')) throw new AppError('CSV_MISSING_COLUMNS', 400, 'The file needs a name column');
  const taken = await existingCrmIds(db, rows.map((r) => r.cells.crm_id ?? '').filter(Boolean));
  const seen = new Map<string, number>();
  const errors: RowError[] = [];
  const good: ValidatedAccounts['good'] = [];
  let badRows = 0;
  for (const r of rows) {
    const c = r.cells;
    const rowErrors: RowError[] = [];
    const fail = (column: string, message: string) =>
      rowErrors.push({ row: r.row, line: r.line, column, message, value: c[column] ?? '' });
    const input: Record<string, unknown> = { name: c.name ?? '' };
    if (c.crm_id) input.crmId = c.crm_id;
    if (c.email_domains) input.emailDomains = splitList(c.email_domains);
    if (c.notes) input.notes = c.notes;
    if (c.contact_name || c.contact_email) {
      if (!c.contact_name) fail('contact_name', 'is required with contact_email');
      else if (!c.contact_email) fail('contact_email', 'is required with contact_name');
      else input.contacts = [{ name: c.contact_name, email: c.contact_email, role: c.contact_role ?? '' }];
    }
    for (const i of schemaIssues(CreateAccountBody, input, columnOf)) fail(i.field, i.message);
    if (c.crm_id) {
      if (taken.has(c.crm_id)) fail('crm_id', 'an account with this CRM id exists already');
      else if (seen.has(c.crm_id)) fail('crm_id', `duplicate of row ${seen.get(c.crm_id)} in this file`);
      else seen.set(c.crm_id, r.row);
    }
    if (rowErrors.length > 0) {
      badRows += 1;
      errors.push(...rowErrors);
    } else {
      good.push({ row: r.row, input: input as CreateAccountInput });
    }
  }
  return { good, errors, badRows };
}
