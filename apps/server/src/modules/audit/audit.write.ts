import type { Kysely } from 'kysely';
import type { RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { AuditTargetType } from './audit-targets.ts';

export interface AuditEntry {
  action: string;
  /** What the event is about; decides who may read the event (audit-targets.ts). */
  targetType: AuditTargetType;
  targetId: string;
  productId?: string | null;
  accountId?: string | null;
  licenseId?: string | null;
  before?: unknown;
  after?: unknown;
}

/**
 * Records an audit event. Always called with the transaction of the change it describes, so the change and its
 * record commit (or roll back) together. `before`/`after` should be presented (API-shaped) objects without secrets.
 */
export function recordAudit(trx: Kysely<DB>, ctx: RequestContext, clock: Clock, entry: AuditEntry): Promise<void> {
  return recordAuditMany(trx, ctx, clock, [entry]);
}

/** Several events of one actor in one INSERT (bulk imports); same rules as recordAudit. */
export async function recordAuditMany(trx: Kysely<DB>, ctx: RequestContext, clock: Clock, entries: AuditEntry[]) {
  if (entries.length === 0) return;
  const { actor } = ctx;
  const at = clock.now();
  await trx
    .insertInto('audit_events')
    .values(
      entries.map((entry) => ({
        at,
        actor_type: actor.kind === 'token' ? `token:${actor.role}` : actor.kind,
        actor_id: actor.id,
        actor_name: actor.name,
        action: entry.action,
        target_type: entry.targetType,
        target_id: entry.targetId,
        product_id: entry.productId ?? null,
        account_id: entry.accountId ?? null,
        license_id: entry.licenseId ?? null,
        before: entry.before === undefined ? null : JSON.stringify(entry.before),
        after: entry.after === undefined ? null : JSON.stringify(entry.after),
        request_id: ctx.requestId,
      })),
    )
    .execute();
}
