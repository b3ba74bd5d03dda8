import type { Db } from '../../platform/db/database.ts';

/** SQL for the customer side of flags: a license's facts (context, client access) and its machines. */

/** The facts of a license the context and the client flags call need, in one query. */
export function findLicenseFacts(db: Db, by: { id: string } | { key: string }) {
  const query = db
    .selectFrom('licenses as l')
    .innerJoin('plans as p', 'p.id', 'l.plan_id')
    .innerJoin('products as pr', 'pr.id', 'l.product_id')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .select([
      'l.id',
      'l.product_id',
      'l.account_id',
      'l.plan_id',
      'l.license_type',
      'l.entitlements',
      'l.starts_at',
      'l.ends_at',
      'l.suspended',
      'l.revoked',
      'p.name as plan_name',
      'p.entitlements as plan_entitlements',
      'p.grace_days as plan_grace_days',
      'p.expiration_strategy as plan_expiration_strategy',
      'p.require_fingerprint as plan_require_fingerprint',
      'p.heartbeat_interval_seconds as plan_heartbeat_interval_seconds',
      'p.require_nonce as plan_require_nonce',
      'pr.code as product_code',
      'a.created_at as account_created_at',
    ]);
  return ('id' in by ? query.where('l.id', '=', by.id) : query.where('l.key', '=', by.key)).executeTakeFirst();
}

export type LicenseFacts = NonNullable<Awaited<ReturnType<typeof findLicenseFacts>>>;

/** A machine of the license by fingerprint (the client flags call with a fingerprint). */
export function findMachine(db: Db, licenseId: string, fingerprint: string) {
  return db
    .selectFrom('machines')
    .select(['created_at', 'last_heartbeat_at'])
    .where('license_id', '=', licenseId)
    .where('fingerprint', '=', fingerprint)
    .executeTakeFirst();
}
