import type { Db } from '../../platform/db/database.ts';

/** Hourly flag evaluation counts older than `before`. */
export async function deleteMetricsBefore(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('flag_metrics').where('hour', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** SDK instances not seen since `before` (a running SDK registers or reports at least every few minutes). */
export async function deleteClientsSeenBefore(db: Db, before: Date): Promise<number> {
  const result = await db.deleteFrom('flag_clients').where('last_seen_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
