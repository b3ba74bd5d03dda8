import type { Db } from '../../platform/db/database.ts';

/**
 * The license facts the entitlements check needs, in one query by id or by key: license dates and flags, its plan
 * (and base plan), product and account.
 */
export function findCheckSource(db: Db, by: { id: string } | { key: string }) {
  const query = db
    .selectFrom('licenses as l')
    .innerJoin('plans as p', 'p.id', 'l.plan_id')
    .leftJoin('plans as bp', 'bp.id', 'p.base_plan_id')
    .innerJoin('products as pr', 'pr.id', 'l.product_id')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .select([
      'l.id',
      'l.key',
      'l.product_id',
      'l.account_id',
      'l.plan_id',
      'l.license_type',
      'l.starts_at',
      'l.ends_at',
      'l.suspended',
      'l.revoked',
      'p.name as plan_name',
      'p.grace_days as plan_grace_days',
      'p.expiration_strategy as plan_expiration_strategy',
      'p.require_fingerprint as plan_require_fingerprint',
      'p.heartbeat_interval_seconds as plan_heartbeat_interval_seconds',
      'p.require_nonce as plan_require_nonce',
      'bp.id as base_plan_id',
      'bp.name as base_plan_name',
      'pr.code as product_code',
      'a.name as account_name',
    ]);
  return ('id' in by ? query.where('l.id', '=', by.id) : query.where('l.key', '=', by.key)).executeTakeFirst();
}

export type CheckSource = NonNullable<Awaited<ReturnType<typeof findCheckSource>>>;

/** A machine of the license by fingerprint (the client check with a fingerprint). */
export function findMachine(db: Db, licenseId: string, fingerprint: string) {
  return db
    .selectFrom('machines')
    .select(['id', 'created_at', 'last_heartbeat_at'])
    .where('license_id', '=', licenseId)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
}
