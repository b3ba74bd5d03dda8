import type { PlanRow } from '../../platform/db/schema.ts';
import type { PlanDto } from './plans.schemas.ts';

/** A plan row joined with the code and name of its product. */
export type PlanWithProduct = PlanRow & { product_code: string; product_name: string };

export function presentPlan(row: PlanWithProduct): PlanDto {
  return {
    id: row.id,
    productId: row.product_id,
    product: { id: row.product_id, code: row.product_code, name: row.product_name },
    name: row.name,
    licenseType: row.license_type,
    durationDays: row.duration_days,
    graceDays: row.grace_days,
    maintenanceDays: row.maintenance_days,
    maxMachines: row.max_machines,
    floating: row.floating,
    heartbeatIntervalSeconds: row.heartbeat_interval_seconds,
    expirationStrategy: row.expiration_strategy,
    requireFingerprint: row.require_fingerprint,
    requireDomain: row.require_domain,
    entitlements: row.entitlements,
    keyScheme: row.key_scheme,
    basePlanId: row.base_plan_id,
    maxOfflineSeconds: row.max_offline_seconds,
    maxUnboundFiles: row.max_unbound_files,
    requireNonce: row.require_nonce,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
