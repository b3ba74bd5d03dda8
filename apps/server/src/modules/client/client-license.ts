import { computeStatus, graceEndsAt } from '../licenses/license-status.ts';
import type { LicenseWithPlan } from '../licenses/licenses.read.ts';
import type { ClientLicensePolicy, ClientLicenseRow } from './client.repository.ts';

/** The licenses module's read shape, flattened into the client API's. */
export function policyOf({ license: l, plan: p, productCode }: LicenseWithPlan): ClientLicensePolicy {
  return {
    id: l.id,
    key: l.key,
    name: l.name,
    product_id: l.product_id,
    plan_id: l.plan_id,
    account_id: l.account_id,
    license_type: l.license_type,
    starts_at: l.starts_at,
    ends_at: l.ends_at,
    maintenance_ends_at: l.maintenance_ends_at,
    max_machines: l.max_machines,
    domains: l.domains,
    entitlements: l.entitlements,
    suspended: l.suspended,
    revoked: l.revoked,
    product_code: productCode,
    plan_name: p.name,
    plan_max_machines: p.max_machines,
    plan_floating: p.floating,
    plan_grace_days: p.grace_days,
    plan_heartbeat_interval_seconds: p.heartbeat_interval_seconds,
    plan_expiration_strategy: p.expiration_strategy,
    plan_require_fingerprint: p.require_fingerprint,
    plan_require_domain: p.require_domain,
    plan_entitlements: p.entitlements,
    plan_require_nonce: p.require_nonce,
  };
}

import type { ClientLicenseDto } from './client.schemas.ts';

/** Seats: the license's own limit, else the plan's (null = unlimited); node-locked plans allow one machine. */
export function effectiveMaxMachines(row: ClientLicensePolicy): number | null {
  const max = row.max_machines ?? row.plan_max_machines;
  if (!row.plan_floating) return 1;
  return max;
}

export function effectiveEntitlements(row: ClientLicensePolicy): string[] {
  return [...new Set([...row.plan_entitlements, ...row.entitlements])].sort();
}

export function licenseGraceEndsAt(row: ClientLicensePolicy): Date | null {
  return graceEndsAt(row, row.plan_grace_days);
}

export function presentClientLicense(
  row: ClientLicenseRow,
  machineCount: number,
  now: Date,
  expiringWindowDays: number,
): ClientLicenseDto {
  return {
    id: row.id,
    name: row.name,
    key: row.key,
    productId: row.product_id,
    productCode: row.product_code,
    planName: row.plan_name,
    type: row.license_type,
    status: computeStatus(row, row.plan_grace_days, now, expiringWindowDays),
    startsAt: row.starts_at.toISOString(),
    expiresAt: row.ends_at?.toISOString() ?? null,
    graceEndsAt: licenseGraceEndsAt(row)?.toISOString() ?? null,
    maintenanceEndsAt: row.maintenance_ends_at?.toISOString() ?? null,
    maxMachines: effectiveMaxMachines(row),
    machineCount,
    domains: row.domains,
    entitlements: effectiveEntitlements(row),
    accountId: row.account_id,
    accountName: row.account_name,
  };
}
