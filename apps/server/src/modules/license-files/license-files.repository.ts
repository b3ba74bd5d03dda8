import type { Db } from '../../platform/db/database.ts';
import type { ExpirationStrategy, LicenseType, MachineRow } from '../../platform/db/schema.ts';

/** A license with everything its license file states about its product, plan and account. */
export interface LicenseFileSource {
  id: string;
  key: string;
  name: string;
  license_type: LicenseType;
  starts_at: Date;
  ends_at: Date | null;
  maintenance_ends_at: Date | null;
  max_machines: number | null;
  domains: string[];
  entitlements: string[];
  metadata: Record<string, unknown>;
  suspended: boolean;
  revoked: boolean;
  product_id: string;
  product_code: string;
  product_name: string;
  plan_id: string;
  plan_name: string;
  plan_expiration_strategy: ExpirationStrategy;
  plan_grace_days: number;
  plan_floating: boolean;
  plan_max_machines: number | null;
  plan_heartbeat_interval_seconds: number | null;
  plan_require_fingerprint: boolean;
  plan_entitlements: string[];
  plan_require_nonce: boolean;
  plan_max_offline_seconds: number;
  plan_max_unbound_files: number | null;
  account_id: string;
  account_name: string;
}

/** One indexed query: the license by id or by its exact stored key, with its product, plan and account. */
export function findLicenseFileSource(
  db: Db,
  by: { id: string } | { key: string },
): Promise<LicenseFileSource | undefined> {
  const query = db
    .selectFrom('licenses as l')
    .innerJoin('products as pr', 'pr.id', 'l.product_id')
    .innerJoin('plans as p', 'p.id', 'l.plan_id')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .select([
      'l.id',
      'l.key',
      'l.name',
      'l.license_type',
      'l.starts_at',
      'l.ends_at',
      'l.maintenance_ends_at',
      'l.max_machines',
      'l.domains',
      'l.entitlements',
      'l.metadata',
      'l.suspended',
      'l.revoked',
      'l.product_id',
      'pr.code as product_code',
      'pr.name as product_name',
      'l.plan_id',
      'p.name as plan_name',
      'p.expiration_strategy as plan_expiration_strategy',
      'p.grace_days as plan_grace_days',
      'p.floating as plan_floating',
      'p.max_machines as plan_max_machines',
      'p.heartbeat_interval_seconds as plan_heartbeat_interval_seconds',
      'p.require_fingerprint as plan_require_fingerprint',
      'p.entitlements as plan_entitlements',
      'p.require_nonce as plan_require_nonce',
      'p.max_offline_seconds as plan_max_offline_seconds',
      'p.max_unbound_files as plan_max_unbound_files',
      'l.account_id',
      'a.name as account_name',
    ]);
  return ('id' in by ? query.where('l.id', '=', by.id) : query.where('l.key', '=', by.key)).executeTakeFirst();
}

export function findMachineByFingerprint(
  db: Db,
  licenseId: string,
  fingerprint: string,
): Promise<MachineRow | undefined> {
  return db
    .selectFrom('machines')
    .selectAll()
    .where('license_id', '=', licenseId)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
}

/** Locks the license row for the caller's transaction: unbound check-outs of one license serialise in every process. */
export async function lockLicense(db: Db, licenseId: string): Promise<void> {
  await db.selectFrom('licenses').select('id').where('id', '=', licenseId).forUpdate().execute();
}

/** Forgets the license's fingerprint-less files by key that have expired at `now`: they no longer count. */
export async function deleteExpiredUnboundCheckouts(db: Db, licenseId: string, now: Date): Promise<void> {
  await db.deleteFrom('unbound_checkouts').where('license_id', '=', licenseId).where('expires_at', '<=', now).execute();
}

/**
 * The license's fingerprint-less files by key that are still valid at `now`: how many, and when the first of them
 * expires. Exact when called with the license locked.
 */
export async function liveUnboundCheckouts(
  db: Db,
  licenseId: string,
  now: Date,
): Promise<{ count: number; firstExpiry: Date | null }> {
  const row = await db
    .selectFrom('unbound_checkouts')
    .select((eb) => [eb.fn.countAll<string>().as('count'), eb.fn.min('expires_at').as('first_expiry')])
    .where('license_id', '=', licenseId)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return { count: Number(row?.count ?? 0), firstExpiry: row?.first_expiry ?? null };
}

export async function insertUnboundCheckout(
  db: Db,
  values: { license_id: string; kid: string; issued_at: Date; expires_at: Date },
): Promise<void> {
  await db.insertInto('unbound_checkouts').values(values).execute();
}
