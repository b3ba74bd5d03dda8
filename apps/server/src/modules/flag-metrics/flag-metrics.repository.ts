import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';

/** SQL of the flag-metrics read side: hourly rows of flag_metrics, SDK instances of flag_clients. */

export interface MetricHourRow {
  hour: Date;
  yes: number;
  no: number;
  variants: Record<string, number>;
}

/** The flag's hourly rows in [from, to), oldest first (the primary key (product, key, hour) serves it). */
export async function metricHours(
  db: Db,
  productId: string,
  flagKey: string,
  from: Date,
  to: Date,
): Promise<MetricHourRow[]> {
  const rows = await db
    .selectFrom('flag_metrics')
    .select(['hour', sql<string>`yes::text`.as('yes'), sql<string>`no::text`.as('no'), 'variants'])
    .where('product_id', '=', productId)
    .where('flag_key', '=', flagKey)
    .where('hour', '>=', from)
    .where('hour', '<', to)
    .orderBy('hour')
    .execute();
  return rows.map((r) => ({ hour: new Date(r.hour), yes: Number(r.yes), no: Number(r.no), variants: r.variants }));
}

/** The first and last hour the flag was ever reported (null when never). */
export async function reportedRange(
  db: Db,
  productId: string,
  flagKey: string,
): Promise<{ first: Date | null; last: Date | null }> {
  const row = await db
    .selectFrom('flag_metrics')
    .select((eb) => [eb.fn.min('hour').as('first'), eb.fn.max('hour').as('last')])
    .where('product_id', '=', productId)
    .where('flag_key', '=', flagKey)
    .executeTakeFirst();
  const at = (v: unknown) => (v === null || v === undefined ? null : new Date(v as string | Date));
  return { first: at(row?.first), last: at(row?.last) };
}

export interface FlagClientRow {
  token_id: string;
  app_name: string;
  instance_id: string;
  sdk_version: string;
  strategies: unknown[];
  interval_ms: number | null;
  started_at: Date | null;
  registered_at: Date;
  last_seen_at: Date;
  token_name: string;
  product_id: string;
  product_code: string;
  product_name: string;
}

/** Keyset position in (last_seen_at desc, token_id, app_name, instance_id desc) order. */
export interface ClientAfter {
  lastSeenAt: Date;
  tokenId: string;
  appName: string;
  instanceId: string;
}

/** SDK instances, most recently seen first, with their token and its product. */
export function listClients(
  db: Db,
  opts: {
    limit: number;
    after: ClientAfter | null;
    scope: string | null;
    productId?: string | undefined;
    since?: Date | undefined;
  },
): Promise<FlagClientRow[]> {
  let query = db
    .selectFrom('flag_clients as c')
    .innerJoin('api_tokens as t', 't.id', 'c.token_id')
    .innerJoin('products as p', 'p.id', 't.product_id')
    .select([
      'c.token_id',
      'c.app_name',
      'c.instance_id',
      'c.sdk_version',
      'c.strategies',
      'c.interval_ms',
      'c.started_at',
      'c.registered_at',
      'c.last_seen_at',
      't.name as token_name',
      'p.id as product_id',
      'p.code as product_code',
      'p.name as product_name',
    ])
    .orderBy('c.last_seen_at', 'desc')
    .orderBy('c.token_id', 'desc')
    .orderBy('c.app_name', 'desc')
    .orderBy('c.instance_id', 'desc')
    .limit(opts.limit + 1);
  if (opts.scope) query = query.where('t.product_id', '=', opts.scope);
  if (opts.productId) query = query.where('t.product_id', '=', opts.productId);
  if (opts.since) query = query.where('c.last_seen_at', '>=', opts.since);
  const after = opts.after;
  if (after) {
    query = query.where(
      sql<boolean>`(${sql.ref('c.last_seen_at')}, ${sql.ref('c.token_id')}, ${sql.ref('c.app_name')}, ${sql.ref('c.instance_id')}) < (${after.lastSeenAt}::timestamptz, ${after.tokenId}::uuid, ${after.appName}, ${after.instanceId})`,
    );
  }
  return query.execute() as Promise<FlagClientRow[]>;
}
