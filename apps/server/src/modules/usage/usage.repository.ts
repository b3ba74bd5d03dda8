import type { Selectable } from 'kysely';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Enforcement, PropertiesTable, UsageEventsTable, UsageOp } from '../../platform/db/schema.ts';
import type { PendingHit } from '../../platform/http/rate-limit.ts';
import type { ClientLicensePolicy } from '../client/client.repository.ts';
import { layerQuery, type PropertyLayerRow } from '../properties/properties.read.ts';

/**
 * SQL of usage metering (docs/usage-metering.md). The counter change and its event are ONE statement (two
 * data-modifying CTEs): the limit check, the change and the history row commit together, and a conflicting
 * idempotency key rolls the change back with it.
 */

export type UsageEventRow = Selectable<UsageEventsTable>;

export interface MeterWrite {
  licenseId: string;
  propertyId: string;
  periodStart: Date;
  op: UsageOp;
  /** increment/decrement: by how much; set: the new value; reset: 0. */
  amount: number;
  /** The counter may not end above this (the hard limit, else Number.MAX_SAFE_INTEGER); decrements ignore it. */
  cap: number;
  /** Recorded with the event: the limit and enforcement the call was metered against. */
  limit: number | null;
  enforcement: Enforcement;
  idempotencyKey: string | null;
  source: 'client' | 'admin';
  actorName: string;
  now: Date;
}

interface CounterChange {
  /** The row inserted when the period has no counter yet. */
  initial: RawBuilder<unknown>;
  /** Whether that row may be inserted (a first increment above the cap may not). */
  insertIf: RawBuilder<unknown>;
  /** The new value of an existing counter… */
  update: RawBuilder<unknown>;
  /** …and whether it may change. */
  updateIf: RawBuilder<unknown>;
}

function changeOf(w: MeterWrite): CounterChange {
  const n = sql`${w.amount}::bigint`;
  const cap = sql`${w.cap}::bigint`;
  switch (w.op) {
    case 'increment':
      return {
        initial: n,
        insertIf: sql`${n} <= ${cap}`,
        update: sql`uc.used + ${n}`,
        updateIf: sql`uc.used + ${n} <= ${cap}`,
      };
    case 'decrement':
      return {
        initial: sql`0::bigint`,
        insertIf: sql`true`,
        update: sql`GREATEST(uc.used - ${n}, 0)`,
        updateIf: sql`true`,
      };
    case 'set':
    case 'reset':
      return { initial: n, insertIf: sql`${n} <= ${cap}`, update: n, updateIf: sql`true` };
  }
}

const eventColumns = sql`(license_id, property_id, period_start, op, amount, accepted, used_after, usage_limit,
  enforcement, code, idempotency_key, source, actor_name, at)`;

const eventValues = (w: MeterWrite, accepted: boolean, usedAfter: RawBuilder<unknown>, code: string) => sql`
  ${w.licenseId}::uuid, ${w.propertyId}::uuid, ${w.periodStart}::timestamptz, ${w.op}::text, ${w.amount}::bigint,
  ${accepted}::boolean, ${usedAfter}, ${w.limit}::bigint, ${w.enforcement}::text, ${code}::text, ${w.idempotencyKey}::text,
  ${w.source}::text, ${w.actorName}::text, ${w.now}::timestamptz`;

/**
 * Changes the counter of the period if the change fits under the cap, and records the accepted event, atomically:
 * concurrent calls on one counter serialise on its row (ON CONFLICT locks it), so the cap holds across requests and
 * server processes. Returns the counter after the change, or null when it was refused (nothing written).
 * A duplicate idempotency key throws a unique violation (usage_events_idempotency_key) and changes nothing.
 */
export async function applyChange(db: Db, w: MeterWrite): Promise<number | null> {
  const c = changeOf(w);
  const result = await sql<{ used: number }>`
    WITH c AS (
      INSERT INTO usage_counters AS uc (license_id, property_id, period_start, used, updated_at)
      SELECT ${w.licenseId}::uuid, ${w.propertyId}::uuid, ${w.periodStart}::timestamptz, ${c.initial},
             ${w.now}::timestamptz
      WHERE ${c.insertIf}
      ON CONFLICT (license_id, property_id, period_start)
        DO UPDATE SET used = ${c.update}, updated_at = EXCLUDED.updated_at WHERE ${c.updateIf}
      RETURNING used
    ), e AS (
      INSERT INTO usage_events ${eventColumns}
      SELECT ${eventValues(w, true, sql`c.used`, 'OK')} FROM c
      RETURNING id
    )
    SELECT c.used FROM c CROSS JOIN e`.execute(db);
  return result.rows[0]?.used ?? null;
}

/**
 * Records a refused call with the counter as it is now — only if the change still does not fit (the counter may
 * have moved since the refusal); returns that counter, or null when the change would fit now (the caller retries).
 * `force` records it whatever the counter (the last of the caller's attempts).
 */
export async function recordRefusal(db: Db, w: MeterWrite, code: string, force = false): Promise<number | null> {
  const stillRefused = force
    ? sql`true`
    : w.op === 'increment'
      ? sql`cur.used + ${w.amount}::bigint > ${w.cap}::bigint`
      : sql`${w.amount}::bigint > ${w.cap}::bigint`;
  const result = await sql<{ used_after: number }>`
    WITH cur AS (
      SELECT COALESCE((
        SELECT used FROM usage_counters
         WHERE license_id = ${w.licenseId}::uuid AND property_id = ${w.propertyId}::uuid
           AND period_start = ${w.periodStart}::timestamptz
      ), 0) AS used
    )
    INSERT INTO usage_events ${eventColumns}
    SELECT ${eventValues(w, false, sql`cur.used`, code)} FROM cur WHERE ${stillRefused}
    RETURNING used_after`.execute(db);
  return result.rows[0]?.used_after ?? null;
}

/** Locks the period's counter (admin calls, in their transaction) and returns it; 0 when there is none yet. */
export async function lockCounter(db: Db, w: MeterWrite): Promise<number> {
  const row = await db
    .selectFrom('usage_counters')
    .select('used')
    .where('license_id', '=', w.licenseId)
    .where('property_id', '=', w.propertyId)
    .where('period_start', '=', w.periodStart)
    .forUpdate()
    .executeTakeFirst();
  return row?.used ?? 0;
}

/** The recorded call with this idempotency key on this license, if any. */
export function findEventByKey(db: Db, licenseId: string, key: string): Promise<UsageEventRow | undefined> {
  return db
    .selectFrom('usage_events')
    .selectAll()
    .where('license_id', '=', licenseId)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/** A page of a counter's events, newest first (`before`: the id of the last event of the previous page). */
export function listEvents(
  db: Db,
  licenseId: string,
  propertyId: string,
  limit: number,
  before: number | null,
): Promise<UsageEventRow[]> {
  let query = db
    .selectFrom('usage_events')
    .selectAll()
    .where('license_id', '=', licenseId)
    .where('property_id', '=', propertyId)
    .orderBy('id', 'desc')
    .limit(limit + 1);
  if (before !== null) query = query.where('id', '<', before);
  return query.execute();
}

/** The counters of a license's property, one per period, newest first. */
export function listCounters(db: Db, licenseId: string, propertyId: string, limit: number) {
  return db
    .selectFrom('usage_counters')
    .select(['period_start', 'used', 'updated_at'])
    .where('license_id', '=', licenseId)
    .where('property_id', '=', propertyId)
    .orderBy('period_start', 'desc')
    .limit(limit)
    .execute();
}

/** A license by key with what a client metering call needs: its policy, refs and one property's layers. */
export interface MeterTargetRow extends ClientLicensePolicy {
  plan_name: string;
  base_plan_id: string | null;
  base_plan_name: string | null;
  /** The product's property with the asked key (a properties row as JSON), or null. */
  property: Selectable<PropertiesTable> | null;
  /** Its precedence layers (as JSON). */
  layers: PropertyLayerRow[];
}

/**
 * POST /v1/client/usage's one read: the license by key with its plan (and base plan), product code, the property
 * by key and that property's four precedence layers — what findLicenseByKey, findLicenseRefs and
 * effectivePropertyOf read in four round trips. With `hit`, the request's rate-limit hit is counted in the same
 * statement (PendingHit.countWith throws RateLimitedError when over a limit).
 */
export async function findMeterTarget(
  db: Db,
  key: string,
  propertyKey: string,
  hit: PendingHit | null,
): Promise<MeterTargetRow | undefined> {
  const layers = layerQuery({
    licenseId: sql`l.id`,
    accountId: sql`l.account_id`,
    planId: sql`p.id`,
    planIds: sql`array_remove(ARRAY[p.id, p.base_plan_id], NULL)`,
    propertyIds: sql`ARRAY[pp.id]`,
  });
  const query = sql<MeterTargetRow>`
    SELECT l.id, l.key, l.name, l.product_id, l.plan_id, l.account_id, l.license_type, l.starts_at, l.ends_at,
      l.maintenance_ends_at, l.max_machines, l.domains, l.entitlements, l.suspended, l.revoked,
      pr.code AS product_code, p.name AS plan_name, p.max_machines AS plan_max_machines,
      p.floating AS plan_floating, p.grace_days AS plan_grace_days,
      p.heartbeat_interval_seconds AS plan_heartbeat_interval_seconds,
      p.expiration_strategy AS plan_expiration_strategy, p.require_fingerprint AS plan_require_fingerprint,
      p.require_domain AS plan_require_domain, p.entitlements AS plan_entitlements,
      p.require_nonce AS plan_require_nonce, bp.id AS base_plan_id, bp.name AS base_plan_name, to_jsonb(pp) AS property, lay.layers
    FROM licenses l
    JOIN plans p ON p.id = l.plan_id
    JOIN products pr ON pr.id = l.product_id
    LEFT JOIN plans bp ON bp.id = p.base_plan_id
    LEFT JOIN properties pp ON pp.product_id = l.product_id AND pp.key = ${propertyKey}::text
    CROSS JOIN LATERAL (SELECT coalesce(json_agg(x), '[]'::json) AS layers FROM (${layers}) x) lay
    WHERE l.key = ${key}`;
  const rows = hit ? await hit.countWith(query) : (await query.execute(db)).rows;
  return rows[0];
}
