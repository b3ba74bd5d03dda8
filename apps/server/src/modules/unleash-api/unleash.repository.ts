import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/** SQL of the Unleash client API: registered SDK instances and their metrics. */

export interface ClientRegistration {
  token_id: string;
  app_name: string;
  instance_id: string;
  sdk_version: string;
  strategies: string[];
  interval_ms: number | null;
  started_at: Date | null;
  now: Date;
}

/** Inserts or refreshes an SDK instance (registered_at stays the first registration). */
export async function upsertClient(db: Db, c: ClientRegistration): Promise<void> {
  await db
    .insertInto('flag_clients')
    .values({
      token_id: c.token_id,
      app_name: c.app_name,
      instance_id: c.instance_id,
      sdk_version: c.sdk_version,
      strategies: JSON.stringify(c.strategies),
      interval_ms: c.interval_ms,
      started_at: c.started_at,
      registered_at: c.now,
      last_seen_at: c.now,
    })
    .onConflict((oc) =>
      oc.columns(['token_id', 'app_name', 'instance_id']).doUpdateSet((eb) => ({
        sdk_version: eb.ref('excluded.sdk_version'),
        strategies: eb.ref('excluded.strategies'),
        interval_ms: eb.ref('excluded.interval_ms'),
        started_at: eb.ref('excluded.started_at'),
        last_seen_at: eb.ref('excluded.last_seen_at'),
      })),
    )
    .execute();
}

/** Marks a registered instance as seen (metrics); instances that never registered are not created here. */
export async function touchClient(db: Db, tokenId: string, appName: string, instanceId: string, now: Date) {
  await db
    .updateTable('flag_clients')
    .set({ last_seen_at: now })
    .where('token_id', '=', tokenId)
    .where('app_name', '=', appName)
    .where('instance_id', '=', instanceId)
    .execute();
}

export async function flagKeysOf(db: Db, productId: string, keys: string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const rows = await db
    .selectFrom('flags')
    .select('key')
    .where('product_id', '=', productId)
    .where('key', 'in', keys)
    .execute();
  return new Set(rows.map((r) => r.key));
}

export interface MetricRow {
  flagKey: string;
  yes: number;
  no: number;
  variants: Record<string, number>;
}

/**
 * Adds counts to the product's hourly rows (one row per flag and hour): yes, no and each variant summed with what
 * earlier reports of the hour stored. Rows in key order, so concurrent reports lock them in the same order.
 */
export async function addMetrics(db: Db, productId: string, hour: Date, rows: MetricRow[]): Promise<void> {
  if (rows.length === 0) return;
  const sorted = [...rows].sort((a, b) => (a.flagKey < b.flagKey ? -1 : a.flagKey > b.flagKey ? 1 : 0));
  await db
    .insertInto('flag_metrics')
    .values(
      sorted.map((r) => ({
        product_id: productId,
        flag_key: r.flagKey,
        hour,
        yes: r.yes,
        no: r.no,
        variants: JSON.stringify(r.variants),
      })),
    )
    .onConflict((oc) =>
      oc.columns(['product_id', 'flag_key', 'hour']).doUpdateSet({
        yes: sql`flag_metrics.yes + excluded.yes`,
        no: sql`flag_metrics.no + excluded.no`,
        variants: sql`(
          SELECT coalesce(jsonb_object_agg(k, coalesce((flag_metrics.variants ->> k)::bigint, 0)
                                              + coalesce((excluded.variants ->> k)::bigint, 0)), '{}'::jsonb)
            FROM (SELECT jsonb_object_keys(flag_metrics.variants) UNION SELECT jsonb_object_keys(excluded.variants)) AS v(k)
        )`,
      }),
    )
    .execute();
}
