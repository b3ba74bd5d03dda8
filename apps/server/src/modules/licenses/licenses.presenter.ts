import { computeStatus, graceEndsAt } from './license-status.ts';
import type { LicenseView } from './licenses.repository.ts';
import type { LicenseDto } from './licenses.schemas.ts';

type PaymentStatus = LicenseDto['billing']['paymentStatus'];
const PAYMENT_STATUSES = new Set(['paid', 'pending', 'overdue', 'refunded', 'free']);

const iso = (d: Date | null) => (d ? d.toISOString() : null);
const str = (v: unknown) => (typeof v === 'string' ? v : null);

/** Plan entitlements first, then the license's own extras, without duplicates. */
export function effectiveEntitlements(plan: readonly string[], own: readonly string[]): string[] {
  return [...new Set([...plan, ...own])];
}

export function presentLicense(row: LicenseView, now: Date, expiringWindowDays: number): LicenseDto {
  const billing = (row.billing ?? {}) as Record<string, unknown>;
  const paymentStatus = str(billing.paymentStatus);
  return {
    id: row.id,
    key: row.key,
    name: row.name,
    product: { id: row.product_id, code: row.product_code, name: row.product_name },
    plan: { id: row.plan_id, name: row.plan_name, expirationStrategy: row.plan_expiration_strategy },
    account: { id: row.account_id, name: row.account_name, crmId: row.account_crm_id },
    licenseType: row.license_type,
    status: computeStatus(row, row.plan_grace_days, now, expiringWindowDays),
    startsAt: row.starts_at.toISOString(),
    endsAt: iso(row.ends_at),
    graceEndsAt: iso(graceEndsAt(row, row.plan_grace_days)),
    maintenanceEndsAt: iso(row.maintenance_ends_at),
    maxMachines: row.max_machines,
    machineCount: Number(row.machine_count ?? 0),
    domains: row.domains,
    entitlements: row.entitlements,
    effectiveEntitlements: effectiveEntitlements(row.plan_entitlements, row.entitlements),
    billing: {
      invoiceUrl: str(billing.invoiceUrl),
      paymentStatus: paymentStatus && PAYMENT_STATUSES.has(paymentStatus) ? (paymentStatus as PaymentStatus) : null,
      purchaseMethod: str(billing.purchaseMethod),
      orderReference: str(billing.orderReference),
    },
    metadata: row.metadata ?? {},
    notes: row.notes,
    suspended: row.suspended,
    revoked: row.revoked,
    lastValidatedAt: iso(row.last_validated_at),
    validationCount: Number(row.validation_count),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
