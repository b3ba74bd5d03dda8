import type { PropertyDef } from '../properties/effective.ts';
import type { UsageEventRow } from './usage.repository.ts';
import type { UsageEventDto } from './usage.schemas.ts';

export const presentPropertyRef = (p: PropertyDef) => ({ id: p.id, key: p.key, name: p.name, unit: p.unit });

export function presentUsageEvent(row: UsageEventRow): UsageEventDto {
  return {
    id: String(row.id),
    at: new Date(row.at).toISOString(),
    op: row.op,
    amount: row.amount,
    accepted: row.accepted,
    usedAfter: row.used_after,
    limit: row.usage_limit,
    enforcement: row.enforcement,
    code: row.code,
    idempotencyKey: row.idempotency_key,
    source: row.source,
    actorName: row.actor_name,
    periodStart: new Date(row.period_start).toISOString(),
  };
}
