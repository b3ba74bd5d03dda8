import type { AccountRow } from '../../platform/db/schema.ts';
import type { AccountDto } from './accounts.schemas.ts';

/** An account row with the number of its licenses (those of one product, for product tokens). */
export function presentAccount(row: AccountRow & { license_count: number | null }): AccountDto {
  return {
    id: row.id,
    name: row.name,
    emailDomains: row.email_domains,
    contacts: row.contacts.map((c) => ({ name: c.name, email: c.email, role: c.role ?? '' })),
    crmId: row.crm_id,
    notes: row.notes,
    licenseCount: Number(row.license_count ?? 0),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
