import type { AuditEventRow } from '../../platform/db/schema.ts';
import type { AuditEventDto } from './audit.schemas.ts';

export function presentAuditEvent(row: AuditEventRow): AuditEventDto {
  return {
    id: String(row.id),
    at: row.at.toISOString(),
    actor: { type: row.actor_type, id: row.actor_id, name: row.actor_name },
    action: row.action,
    target: { type: row.target_type, id: row.target_id },
    productId: row.product_id,
    accountId: row.account_id,
    licenseId: row.license_id,
    before: row.before ?? null,
    after: row.after ?? null,
    requestId: row.request_id,
  };
}
