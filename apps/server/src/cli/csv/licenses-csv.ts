import { randomUUID } from 'node:crypto';
import { effectiveSeats } from '../../modules/license-files/license-payload.ts';
import { signLicenseKey } from '../../modules/license-files/signed-key.ts';
import {
  allPlans,
  existingKeys,
  findAccounts,
  type ImportedLicense,
  type PlanWithProduct,
} from '../../modules/licenses/license-import.repository.ts';
import { importedKey, licenseFromPlan } from '../../modules/licenses/license-issue.ts';
import { generateLicenseKey } from '../../modules/licenses/license-key.ts';
import {
  CreateLicenseBody,
  type CreateLicenseInput,
  type LicenseDto,
} from '../../modules/licenses/licenses.schemas.ts';
import type { Signer } from '../../modules/signing/signer.ts';
import type { Db } from '../../platform/db/database.ts';
import type { NewLicense } from '../../platform/db/schema.ts';
import { AppError } from '../../platform/errors.ts';
import { parseDateValue } from '../options.ts';
import { isUuid } from '../resolve.ts';
import { schemaIssues } from '../validate.ts';
import { type CsvRow, type RowError, splitList } from './csv-file.ts';

/** Columns the import reads (export writes these too). */
export const LICENSE_IMPORT_COLUMNS = [
  'key',
  'account_crm_id',
  'account_id',
  'plan',
  'plan_id',
  'name',
  'license_type',
  'starts_at',
  'ends_at',
  'maintenance_ends_at',
  'max_machines',
  'domains',
  'entitlements',
  'payment_status',
  'order_reference',
  'invoice_url',
  'purchase_method',
  'notes',
  'metadata',
  'suspended',
  'revoked',
] as const;

/** Columns only the export writes; the import accepts and ignores them, so an export can be imported again. */
const EXPORT_ONLY = [
  'id',
  'product',
  'account_name',
  'status',
  'grace_ends_at',
  'machine_count',
  'created_at',
  'updated_at',
];
export const LICENSE_EXPORT_COLUMNS = [
  'id',
  ...LICENSE_IMPORT_COLUMNS.slice(0, 5),
  'product',
  'account_name',
  'status',
  ...LICENSE_IMPORT_COLUMNS.slice(5),
  'grace_ends_at',
  'machine_count',
  'created_at',
  'updated_at',
];
export const LICENSE_KNOWN_COLUMNS = [...LICENSE_IMPORT_COLUMNS, ...EXPORT_ONLY];

export const LICENSE_COLUMNS_HELP = `
Columns (header row required, any order; cells are trimmed; lists are ;-separated):
  account_crm_id | account_id   the account (one of them is required; the CRM id wins when both are given)
  plan | plan_id                the plan: an id or "PRODUCTCODE/Plan name" (one of them is required)
  key                           an existing key to keep (Keyward keys are checked); empty = generate one
  name, notes                   free text
  license_type                  trial|subscription|perpetual|custom (default: the plan's)
  starts_at                     2026-01-31 or ISO date-time (default: now)
  ends_at                       date; empty = start + the plan's duration; "never" = no end date
  maintenance_ends_at           date; empty = from the plan; "never" = none
  max_machines                  whole number; empty = the plan's; "unlimited" = no limit
  domains, entitlements         ;-separated lists
  payment_status                paid|pending|overdue|refunded|free
  order_reference, invoice_url, purchase_method
  metadata                      a JSON object
  suspended, revoked            true|false (default false)
Export-only columns (${EXPORT_ONLY.join(', ')}) are ignored, so an export imports as is.`;

const ISO = (d: string | null) => d ?? '';

/** One license as an export row. */
export function licenseCsvRow(l: LicenseDto): Record<string, unknown> {
  return {
    id: l.id,
    key: l.key,
    account_crm_id: l.account.crmId ?? '',
    account_id: l.account.id,
    plan: `${l.product.code}/${l.plan.name}`,
    plan_id: l.plan.id,
    product: l.product.code,
    account_name: l.account.name,
    status: l.status,
    name: l.name,
    license_type: l.licenseType,
    starts_at: l.startsAt,
    ends_at: l.endsAt ?? 'never',
    maintenance_ends_at: l.maintenanceEndsAt ?? 'never',
    max_machines: l.maxMachines ?? 'unlimited',
    domains: l.domains.join(';'),
    entitlements: l.entitlements.join(';'),
    payment_status: l.billing.paymentStatus ?? '',
    order_reference: l.billing.orderReference ?? '',
    invoice_url: l.billing.invoiceUrl ?? '',
    purchase_method: l.billing.purchaseMethod ?? '',
    notes: l.notes,
    metadata: Object.keys(l.metadata).length > 0 ? JSON.stringify(l.metadata) : '',
    suspended: l.suspended,
    revoked: l.revoked,
    grace_ends_at: ISO(l.graceEndsAt),
    machine_count: l.machineCount,
    created_at: l.createdAt,
    updated_at: l.updatedAt,
  };
}

/** Input field (JSON pointer head) → CSV column, for the schema's error messages. */
const COLUMN_OF: Record<string, string> = {
  planId: 'plan',
  accountId: 'account_crm_id',
  name: 'name',
  key: 'key',
  licenseType: 'license_type',
  startsAt: 'starts_at',
  endsAt: 'ends_at',
  maintenanceEndsAt: 'maintenance_ends_at',
  maxMachines: 'max_machines',
  domains: 'domains',
  entitlements: 'entitlements',
  notes: 'notes',
  metadata: 'metadata',
  paymentStatus: 'payment_status',
  orderReference: 'order_reference',
  invoiceUrl: 'invoice_url',
  purchaseMethod: 'purchase_method',
};
const columnOf = (path: string) => {
  const parts = path.split('/').filter(Boolean);
  const head = parts[0] === 'billing' ? parts[1] : parts[0];
  return COLUMN_OF[head ?? ''] ?? head ?? '';
};

export interface ValidatedLicenses {
  good: ImportedLicense[];
  errors: RowError[];
  /** Rows with at least one error. */
  badRows: number;
}

/** A key for a row without one: random, or signed (with the license id inside) on ed25519-signed plans. */
async function newKey(
  plan: PlanWithProduct,
  values: Omit<NewLicense, 'key' | 'account_id'>,
  now: Date,
  signer: Signer | undefined,
): Promise<{ id?: string; key: string }> {
  if (plan.key_scheme !== 'ed25519-signed') return { key: generateLicenseKey(plan.product_code) };
  if (!signer) throw new Error('plans with signed keys need a signer');
  const id = randomUUID();
  const seats = effectiveSeats({
    max_machines: values.max_machines ?? null,
    plan_max_machines: plan.max_machines,
    plan_floating: plan.floating,
  });
  const exp = values.ends_at ? new Date(values.ends_at).toISOString() : null;
  return {
    id,
    key: await signLicenseKey(signer, { lid: id, prd: plan.product_code, iat: now.toISOString(), exp, seats }),
  };
}

/**
 * Checks every row (types, references, keys unique in the file and in the database) and builds the rows to
 * insert with the same defaults as the API (licenseFromPlan). Nothing is written here.
 */
export async function validateLicenseRows(
  db: Db,
  rows: CsvRow[],
  columns: string[],
  now: Date,
  /** Signs the keys of rows without a key on plans whose key scheme is ed25519-signed. */
  signer?: Signer,
): Promise<ValidatedLicenses> {
  if (!columns.includes('plan') && !columns.includes('plan_id')) {
    throw new AppError('CSV_MISSING_COLUMNS', 400, 'The file needs a plan or plan_id column');
  }
  if (!columns.includes('account_crm_id') && !columns.includes('account_id')) {
    throw new AppError('CSV_MISSING_COLUMNS', 400, 'The file needs an account_crm_id or account_id column');
  }
  const plans = await allPlans(db);
  const planById = new Map(plans.map((p) => [p.id, p]));
  const planByName = new Map(plans.map((p) => [`${p.product_code}/${p.name}`.toLowerCase(), p]));
  const accounts = await findAccounts(
    db,
    rows.map((r) => r.cells.account_id ?? '').filter(isUuid),
    rows.map((r) => r.cells.account_crm_id ?? '').filter(Boolean),
  );
  const keyOf = (raw: string) => {
    try {
      return importedKey(raw);
    } catch {
      return null;
    }
  };
  const taken = await existingKeys(
    db,
    rows.map((r) => (r.cells.key ? keyOf(r.cells.key) : null)).filter((k): k is string => k !== null),
  );
  const seenKeys = new Map<string, number>();
  const errors: RowError[] = [];
  const good: ImportedLicense[] = [];
  let badRows = 0;

  for (const r of rows) {
    const c = r.cells;
    const rowErrors: RowError[] = [];
    const fail = (column: string, message: string) =>
      rowErrors.push({ row: r.row, line: r.line, column, message, value: c[column] ?? '' });

    const planRef = c.plan || c.plan_id || '';
    const planColumn = c.plan ? 'plan' : 'plan_id';
    let plan: PlanWithProduct | undefined;
    if (!planRef) fail(planColumn, 'is required');
    else {
      plan = isUuid(planRef) ? planById.get(planRef) : planByName.get(planRef.toLowerCase());
      if (!plan)
        fail(
          planColumn,
          isUuid(planRef) || planRef.includes('/') ? 'no such plan' : 'must be a plan id or PRODUCTCODE/Plan name',
        );
    }

    const accountColumn = c.account_crm_id ? 'account_crm_id' : 'account_id';
    const accountId = c.account_crm_id
      ? accounts.byCrmId.get(c.account_crm_id)
      : c.account_id
        ? accounts.byId.get(c.account_id)
        : undefined;
    if (!c.account_crm_id && !c.account_id) fail('account_crm_id', 'account_crm_id or account_id is required');
    else if (!accountId) fail(accountColumn, 'no such account');

    const date = (column: string, nullable: boolean): string | null | undefined => {
      const raw = c[column];
      if (!raw) return undefined;
      if (nullable && raw.toLowerCase() === 'never') return null;
      const d = parseDateValue(raw);
      if (!d) fail(column, `must be a date like 2026-12-31 or 2026-12-31T17:00:00Z${nullable ? ', or never' : ''}`);
      return d?.toISOString();
    };
    const flag = (column: string): boolean => {
      const raw = (c[column] ?? '').toLowerCase();
      if (raw === '' || raw === 'false' || raw === '0' || raw === 'no') return false;
      if (raw === 'true' || raw === '1' || raw === 'yes') return true;
      fail(column, 'must be true or false');
      return false;
    };

    let maxMachines: number | null | undefined;
    const seats = c.max_machines ?? '';
    if (seats.toLowerCase() === 'unlimited') maxMachines = null;
    else if (seats !== '') {
      if (/^\d+$/.test(seats)) maxMachines = Number(seats);
      else fail('max_machines', 'must be a whole number or unlimited');
    }
    let metadata: unknown;
    if (c.metadata) {
      try {
        metadata = JSON.parse(c.metadata);
        if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) throw new Error();
      } catch {
        fail('metadata', 'must be a JSON object');
        metadata = undefined;
      }
    }
    const billing = Object.fromEntries(
      (
        [
          ['paymentStatus', c.payment_status],
          ['orderReference', c.order_reference],
          ['invoiceUrl', c.invoice_url],
          ['purchaseMethod', c.purchase_method],
        ] as const
      ).filter(([, v]) => v),
    );
    const input: Record<string, unknown> = {
      planId: plan?.id ?? '00000000-0000-0000-0000-000000000000',
      accountId: accountId ?? '00000000-0000-0000-0000-000000000000',
      name: c.name || undefined,
      key: c.key || undefined,
      licenseType: c.license_type || undefined,
      startsAt: date('starts_at', false),
      endsAt: date('ends_at', true),
      maintenanceEndsAt: date('maintenance_ends_at', true),
      maxMachines,
      domains: c.domains ? splitList(c.domains) : undefined,
      entitlements: c.entitlements ? splitList(c.entitlements) : undefined,
      billing: Object.keys(billing).length > 0 ? billing : undefined,
      metadata,
      notes: c.notes || undefined,
    };
    for (const k of Object.keys(input)) if (input[k] === undefined) delete input[k];
    const suspended = flag('suspended');
    const revoked = flag('revoked');
    for (const i of schemaIssues(CreateLicenseBody, input, columnOf)) fail(i.field, i.message);

    let key: string | null = null;
    if (c.key && !rowErrors.some((e) => e.column === 'key')) {
      key = keyOf(c.key);
      if (key === null) fail('key', 'looks like a Keyward key but its check symbol is wrong (typo?)');
      else if (taken.has(key)) fail('key', 'a license with this key exists already');
      else if (seenKeys.has(key)) fail('key', `duplicate of row ${seenKeys.get(key)} in this file`);
      else seenKeys.set(key, r.row);
    }

    let values: Omit<NewLicense, 'key' | 'account_id'> | null = null;
    if (rowErrors.length === 0 && plan) {
      try {
        values = licenseFromPlan(plan, input as CreateLicenseInput, now);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        fail(err.details?.[0] ? columnOf(err.details[0].field.replace(/^\/body/, '')) : '', err.message);
      }
    }
    if (rowErrors.length > 0 || !values || !plan || !accountId) {
      badRows += 1;
      errors.push(...rowErrors);
      continue;
    }
    const generated = key ? null : await newKey(plan, values, now, signer);
    good.push({
      row: r.row,
      values: {
        ...values,
        ...(generated?.id ? { id: generated.id } : {}),
        key: key ?? generated!.key,
        account_id: accountId,
        suspended,
        revoked,
      },
    });
  }
  return { good, errors, badRows };
}
