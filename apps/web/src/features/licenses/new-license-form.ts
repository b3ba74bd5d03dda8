import type { LicenseType } from '../../api/types.ts';
import { endInstant, startInstant } from './form-defaults.ts';
import type { CreateLicenseInput, PaymentStatus } from './licenses-api.ts';

/** Step 2 of "New license": what the form holds (dates as YYYY-MM-DD, as the date pickers give them). */
export interface NewLicenseForm {
  name: string;
  licenseType: LicenseType;
  startDate: string;
  endDate: string | null;
  maxMachines: number | null;
  domains: string[];
  paymentStatus: PaymentStatus | null;
  purchaseMethod: string;
  orderReference: string;
  invoiceUrl: string;
  notes: string;
}

const trimmed = (s: string) => (s.trim() ? s.trim() : undefined);

/** The POST /v1/licenses body for the form: empty text fields are left out, "never" is endsAt null. */
export function buildCreateBody(
  ids: { accountId: string; planId: string },
  form: NewLicenseForm,
  now: Date,
): CreateLicenseInput {
  const start = startInstant(form.startDate, now);
  const billing = {
    paymentStatus: form.paymentStatus ?? undefined,
    purchaseMethod: trimmed(form.purchaseMethod),
    orderReference: trimmed(form.orderReference),
    invoiceUrl: trimmed(form.invoiceUrl),
  };
  const hasBilling = Object.values(billing).some((v) => v !== undefined);
  const name = trimmed(form.name);
  const notes = trimmed(form.notes);
  return {
    accountId: ids.accountId,
    planId: ids.planId,
    ...(name ? { name } : {}),
    licenseType: form.licenseType,
    startsAt: start.toISOString(),
    endsAt: endInstant(form.endDate, start)?.toISOString() ?? null,
    maxMachines: form.maxMachines,
    domains: form.domains.map((d) => d.trim()).filter(Boolean),
    ...(hasBilling ? { billing: JSON.parse(JSON.stringify(billing)) as CreateLicenseInput['billing'] } : {}),
    ...(notes ? { notes } : {}),
  };
}

/** Which form field an API error detail belongs to: `/body/billing/invoiceUrl` → invoiceUrl, `/body/domains/1` → domains. */
export function fieldOf(apiField: string): keyof NewLicenseForm | 'form' {
  const path = apiField.replace(/^\/body\/?/, '').split('/');
  const [first, second] = path;
  switch (first) {
    case 'name':
    case 'licenseType':
    case 'maxMachines':
    case 'domains':
    case 'notes':
      return first;
    case 'startsAt':
      return 'startDate';
    case 'endsAt':
      return 'endDate';
    case 'billing':
      return second === 'paymentStatus' ||
        second === 'purchaseMethod' ||
        second === 'orderReference' ||
        second === 'invoiceUrl'
        ? second
        : 'form';
    default:
      return 'form';
  }
}

/** API validation details as messages per form field (the first message of each field wins). */
export function formErrors(
  details: { field: string; message: string }[],
): Partial<Record<keyof NewLicenseForm | 'form', string>> {
  const out: Partial<Record<keyof NewLicenseForm | 'form', string>> = {};
  for (const d of details) out[fieldOf(d.field)] ??= d.message;
  return out;
}
