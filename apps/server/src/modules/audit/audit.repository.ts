import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { AuditEventRow } from '../../platform/db/schema.ts';

export interface AuditFilter {
  /** Exact action, or a prefix when `actionPrefix` is set. */
  action?: string | undefined;
  actionPrefix?: boolean;
  actorId?: string | undefined;
  targetType?: string | undefined;
  targetId?: string | undefined;
  licenseId?: string | undefined;
  accountId?: string | undefined;
  productId?: string | undefined;
  /** Product scope of the reader (product tokens): only events of that product. */
  scopeProductId: string | null;
  /** The target types the reader may see (audit-targets.ts); null: all. */
  readableTargetTypes: readonly string[] | null;
  from?: Date | undefined;
  to?: Date | undefined;
  /** Keyset: only events with a smaller id. */
  beforeId: number | null;
  limit: number;
}

/** Newest first, keyset-paginated on the identity id. */
export function listAuditEvents(db: Db, f: AuditFilter): Promise<AuditEventRow[]> {
  let q = db
    .selectFrom('audit_events')
    .selectAll()
    .orderBy('id', 'desc')
    .limit(f.limit + 1);
  if (f.action !== undefined) {
    q = f.actionPrefix
      ? q.where('action', 'like', `${f.action.replace(/[\\%_]/g, '\\$&')}%`)
      : q.where('action', '=', f.action);
  }
  if (f.actorId !== undefined) q = q.where('actor_id', '=', f.actorId);
  if (f.targetType !== undefined) q = q.where('target_type', '=', f.targetType);
  if (f.targetId !== undefined) q = q.where('target_id', '=', f.targetId);
  if (f.licenseId !== undefined) q = q.where('license_id', '=', f.licenseId);
  if (f.accountId !== undefined) q = q.where('account_id', '=', f.accountId);
  if (f.productId !== undefined) q = q.where('product_id', '=', f.productId);
  if (f.scopeProductId !== null) q = q.where('product_id', '=', f.scopeProductId);
  if (f.readableTargetTypes !== null) {
    const types = f.readableTargetTypes;
    q = types.length === 0 ? q.where(sql<boolean>`false`) : q.where('target_type', 'in', types);
  }
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  if (f.beforeId !== null) q = q.where('id', '<', String(f.beforeId));
  return q.execute();
}
