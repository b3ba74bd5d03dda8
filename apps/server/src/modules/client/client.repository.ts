import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { ExpirationStrategy, LicenseType, MachineRow, MachinesTable } from '../../platform/db/schema.ts';
import type { PendingHit } from '../../platform/http/rate-limit.ts';

/** A license with what the client API needs of its plan and product. */
export interface ClientLicensePolicy {
  id: string;
  key: string;
  name: string;
  product_id: string;
  plan_id: string;
  account_id: string;
  license_type: LicenseType;
  starts_at: Date;
  ends_at: Date | null;
  maintenance_ends_at: Date | null;
  max_machines: number | null;
  domains: string[];
  entitlements: string[];
  suspended: boolean;
  revoked: boolean;
  product_code: string;
  plan_name: string;
  plan_max_machines: number | null;
  plan_floating: boolean;
  plan_grace_days: number;
  plan_heartbeat_interval_seconds: number | null;
  plan_expiration_strategy: ExpirationStrategy;
  plan_require_fingerprint: boolean;
  plan_require_domain: boolean;
  plan_entitlements: string[];
  /** Signed calls must carry a nonce (plans.require_nonce). */
  plan_require_nonce: boolean;
}

/** …plus its account's name: what validate-key reads in one indexed lookup by key. */
export type ClientLicenseRow = ClientLicensePolicy & { account_name: string };

/** Machine facts for a validation: totals and the machine with the scope's fingerprint, if any. */
export interface MachineStats {
  machine_total: number;
  /** Machines holding a seat: all of them, except dead ones on heartbeat plans. */
  machine_alive: number;
  fp_found: boolean;
  fp_created_at: Date | null;
  fp_last_heartbeat_at: Date | null;
}

const licenseColumns = sql`
  l.id, l.key, l.name, l.product_id, l.plan_id, l.account_id, l.license_type, l.starts_at, l.ends_at,
  l.maintenance_ends_at, l.max_machines, l.domains, l.entitlements, l.suspended, l.revoked,
  pr.code AS product_code, p.name AS plan_name, p.max_machines AS plan_max_machines, p.floating AS plan_floating,
  p.grace_days AS plan_grace_days, p.heartbeat_interval_seconds AS plan_heartbeat_interval_seconds,
  p.expiration_strategy AS plan_expiration_strategy, p.require_fingerprint AS plan_require_fingerprint,
  p.require_domain AS plan_require_domain, p.entitlements AS plan_entitlements,
  p.require_nonce AS plan_require_nonce, a.name AS account_name`;

const licenseJoins = sql`
  FROM licenses l
  JOIN plans p ON p.id = l.plan_id
  JOIN products pr ON pr.id = l.product_id
  JOIN accounts a ON a.id = l.account_id`;

/** Machine totals of license `l` under its plan `p`, and the machine with `fingerprint` (a LATERAL subquery). */
const machineStats = (fingerprint: string | null, now: Date) => sql`
  SELECT count(*)::int AS machine_total,
    (count(*) FILTER (WHERE p.heartbeat_interval_seconds IS NULL
      OR coalesce(m.last_heartbeat_at, m.created_at)
         >= ${now}::timestamptz - make_interval(secs => p.heartbeat_interval_seconds)))::int AS machine_alive,
    coalesce(bool_or(m.fingerprint = ${fingerprint}::text), false) AS fp_found,
    max(m.created_at) FILTER (WHERE m.fingerprint = ${fingerprint}::text) AS fp_created_at,
    max(m.last_heartbeat_at) FILTER (WHERE m.fingerprint = ${fingerprint}::text) AS fp_last_heartbeat_at
  FROM machines m WHERE m.license_id = l.id`;

/**
 * The license with the given key plus its account name and machine stats, in one round trip: validate-key is the
 * hot path, so it does not use licenses.read.ts findLicenseByKey (which would need two more queries for these).
 * With `hit`, the request's rate-limit hit is counted in the same statement (PendingHit.countWith), which throws
 * RateLimitedError when over a limit.
 */
export async function findLicenseForValidation(
  db: Db,
  key: string,
  fingerprint: string | null,
  now: Date,
  hit: PendingHit | null = null,
): Promise<(ClientLicenseRow & MachineStats) | undefined> {
  const query = sql<ClientLicenseRow & MachineStats>`
    SELECT ${licenseColumns}, ms.*
    ${licenseJoins}
    CROSS JOIN LATERAL (${machineStats(fingerprint, now)}) ms
    WHERE l.key = ${key}`;
  const rows = hit ? await hit.countWith(query) : (await query.execute(db)).rows;
  return rows[0];
}

/**
 * Activation's lock: the license by key with its plan, product and account name, the license row locked (FOR UPDATE
 * OF l) for the caller's transaction, so activations of one license serialise in every process. Read the machines
 * in a later statement (machinesForActivation): a statement that waited for the lock still has its older snapshot.
 */
export async function lockLicenseByKey(db: Db, key: string): Promise<ClientLicenseRow | undefined> {
  const result = await sql<ClientLicenseRow>`
    SELECT ${licenseColumns}
    ${licenseJoins}
    WHERE l.key = ${key}
    FOR UPDATE OF l`.execute(db);
  return result.rows[0];
}

/** In one statement: how many machines the license has, and the id of the one with `fingerprint`, if any. */
export async function machinesForActivation(
  db: Db,
  licenseId: string,
  fingerprint: string,
): Promise<{ total: number; fpId: string | null }> {
  const result = await sql<{ total: number; fp_id: string | null }>`
    SELECT count(*)::int AS total, max(m.id::text) FILTER (WHERE m.fingerprint = ${fingerprint}::text) AS fp_id
    FROM machines m WHERE m.license_id = ${licenseId}::uuid`.execute(db);
  const row = result.rows[0];
  return { total: row?.total ?? 0, fpId: row?.fp_id ?? null };
}

/** Deletes the license's machines last seen before `cutoff` (dead under the heartbeat rule). */
export function deleteDeadMachines(
  db: Db,
  licenseId: string,
  cutoff: Date,
  fingerprint?: string,
): Promise<MachineRow[]> {
  let query = db
    .deleteFrom('machines')
    .where('license_id', '=', licenseId)
    .where((eb) => eb(eb.fn.coalesce('last_heartbeat_at', 'created_at'), '<', cutoff));
  if (fingerprint !== undefined) query = query.where('fingerprint', '=', fingerprint);
  return query.returningAll().execute();
}

/**
 * Deletes the license's machine with this fingerprint and returns it; undefined when no row was deleted — also when a
 * concurrent deactivation deleted it first (the statement waits for that one's row lock, then finds nothing).
 */
export function deleteMachineByFingerprint(
  db: Db,
  licenseId: string,
  fingerprint: string,
): Promise<MachineRow | undefined> {
  return db
    .deleteFrom('machines')
    .where('license_id', '=', licenseId)
    .where('fingerprint', '=', fingerprint)
    .returningAll()
    .executeTakeFirst();
}

export function insertMachine(db: Db, values: Insertable<MachinesTable>): Promise<MachineRow> {
  return db.insertInto('machines').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Undefined when the machine was deleted meanwhile (admin, deactivation). */
export function updateMachine(db: Db, id: string, values: Updateable<MachinesTable>): Promise<MachineRow | undefined> {
  return db.updateTable('machines').set(values).where('id', '=', id).returningAll().executeTakeFirst();
}

/** Records a heartbeat, in one statement, unless the machine is unknown or dead (last seen before `cutoff`). */
export function touchLiveMachine(
  db: Db,
  licenseId: string,
  fingerprint: string,
  now: Date,
  cutoff: Date | null,
): Promise<MachineRow | undefined> {
  let query = db
    .updateTable('machines')
    .set({ last_heartbeat_at: now })
    .where('license_id', '=', licenseId)
    .where('fingerprint', '=', fingerprint);
  if (cutoff) query = query.where((eb) => eb(eb.fn.coalesce('last_heartbeat_at', 'created_at'), '>=', cutoff));
  return query.returningAll().executeTakeFirst();
}

/** Adds buffered validation statistics: rows of (license id, count to add, last validation time). */
export async function addValidationStats(
  db: Db,
  rows: { licenseId: string; count: number; lastAt: Date }[],
): Promise<void> {
  if (rows.length === 0) return;
  const values = sql.join(rows.map((r) => sql`(${r.licenseId}::uuid, ${r.count}::bigint, ${r.lastAt}::timestamptz)`));
  await sql`
    UPDATE licenses AS l
    SET validation_count = l.validation_count + v.delta,
        last_validated_at = greatest(l.last_validated_at, v.at)
    FROM (VALUES ${values}) AS v (id, delta, at)
    WHERE l.id = v.id`.execute(db);
}
