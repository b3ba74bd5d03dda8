import type { Db } from '../../platform/db/database.ts';
import type { LicenseRow, PlanRow } from '../../platform/db/schema.ts';

/** The plan fields the client API (validate-key, activation, heartbeats) needs next to the license. */
export type LicensePlanPolicy = Pick<
  PlanRow,
  | 'id'
  | 'name'
  | 'license_type'
  | 'grace_days'
  | 'max_machines'
  | 'floating'
  | 'heartbeat_interval_seconds'
  | 'expiration_strategy'
  | 'require_fingerprint'
  | 'require_domain'
  | 'entitlements'
  | 'require_nonce'
>;

export interface LicenseWithPlan {
  license: LicenseRow;
  plan: LicensePlanPolicy;
  /** The product's key prefix (e.g. ACME). */
  productCode: string;
}

/**
 * Read function for other modules (client API): a license by its exact stored key, with its plan's policy, in one
 * query on the unique key index. Pass the canonical key (checkLicenseKey). `forUpdate` locks the license row (not
 * the plan or product) for the caller's transaction, e.g. to count seats on activation.
 */
export async function findLicenseByKey(
  db: Db,
  key: string,
  opts: { forUpdate?: boolean } = {},
): Promise<LicenseWithPlan | undefined> {
  let query = db
    .selectFrom('licenses as l')
    .innerJoin('plans as p', 'p.id', 'l.plan_id')
    .innerJoin('products as pr', 'pr.id', 'l.product_id')
    .selectAll('l')
    .select([
      'p.name as plan_name',
      'p.license_type as plan_license_type',
      'p.grace_days as plan_grace_days',
      'p.max_machines as plan_max_machines',
      'p.floating as plan_floating',
      'p.heartbeat_interval_seconds as plan_heartbeat_interval_seconds',
      'p.expiration_strategy as plan_expiration_strategy',
      'p.require_fingerprint as plan_require_fingerprint',
      'p.require_domain as plan_require_domain',
      'p.entitlements as plan_entitlements',
      'p.require_nonce as plan_require_nonce',
      'pr.code as product_code',
    ])
    .where('l.key', '=', key);
  if (opts.forUpdate) query = query.forUpdate('l');
  const row = await query.executeTakeFirst();
  if (!row) return undefined;
  const {
    plan_name,
    plan_license_type,
    plan_grace_days,
    plan_max_machines,
    plan_floating,
    plan_heartbeat_interval_seconds,
    plan_expiration_strategy,
    plan_require_fingerprint,
    plan_require_domain,
    plan_entitlements,
    plan_require_nonce,
    product_code,
    ...license
  } = row;
  return {
    license,
    plan: {
      id: license.plan_id,
      name: plan_name,
      license_type: plan_license_type,
      grace_days: plan_grace_days,
      max_machines: plan_max_machines,
      floating: plan_floating,
      heartbeat_interval_seconds: plan_heartbeat_interval_seconds,
      expiration_strategy: plan_expiration_strategy,
      require_fingerprint: plan_require_fingerprint,
      require_domain: plan_require_domain,
      entitlements: plan_entitlements,
      require_nonce: plan_require_nonce,
    },
    productCode: product_code,
  };
}

/** The product of a license, or undefined when there is no such license. */
export async function findLicenseProductId(db: Db, licenseId: string): Promise<string | undefined> {
  const row = await db.selectFrom('licenses').select('product_id').where('id', '=', licenseId).executeTakeFirst();
  return row?.product_id;
}

/** A license's product and start (usage periods are anchored to it), or undefined when there is no such license. */
export async function findLicenseStart(
  db: Db,
  licenseId: string,
): Promise<{ productId: string; startsAt: Date } | undefined> {
  const row = await db
    .selectFrom('licenses')
    .select(['product_id', 'starts_at'])
    .where('id', '=', licenseId)
    .executeTakeFirst();
  return row && { productId: row.product_id, startsAt: row.starts_at };
}
