import type { Db } from '../../platform/db/database.ts';
import type { ExpirationStrategy, LicenseRow, LicenseUpdate, NewLicense } from '../../platform/db/schema.ts';

/** A license with what its DTO shows of its product, plan and account, and its machine count. */
export interface LicenseView extends LicenseRow {
  product_code: string;
  product_name: string;
  plan_name: string;
  plan_expiration_strategy: ExpirationStrategy;
  plan_grace_days: number;
  plan_entitlements: string[];
  account_name: string;
  account_crm_id: string | null;
  machine_count: number | string | null;
}

/**
 * One statement for licenses with their product, plan, account and machine count (a correlated count per row,
 * never a query per license). Aliases: l = licenses, pr = products, p = plans, a = accounts.
 */
export function licenseViewQuery(db: Db) {
  return db
    .selectFrom('licenses as l')
    .innerJoin('products as pr', 'pr.id', 'l.product_id')
    .innerJoin('plans as p', 'p.id', 'l.plan_id')
    .innerJoin('accounts as a', 'a.id', 'l.account_id')
    .selectAll('l')
    .select((eb) => [
      'pr.code as product_code',
      'pr.name as product_name',
      'p.name as plan_name',
      'p.expiration_strategy as plan_expiration_strategy',
      'p.grace_days as plan_grace_days',
      'p.entitlements as plan_entitlements',
      'a.name as account_name',
      'a.crm_id as account_crm_id',
      eb
        .selectFrom('machines as m')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('m.license_id', '=', 'l.id')
        .as('machine_count'),
    ]);
}

export function findLicenseView(db: Db, id: string): Promise<LicenseView | undefined> {
  return licenseViewQuery(db).where('l.id', '=', id).executeTakeFirst();
}

/** Locks the license row (SELECT … FOR UPDATE) until the transaction ends. */
export function lockLicense(trx: Db, id: string): Promise<{ id: string; product_id: string } | undefined> {
  return trx.selectFrom('licenses').select(['id', 'product_id']).where('id', '=', id).forUpdate().executeTakeFirst();
}

/** Inserts unless the key is taken (then undefined): no failed statement, so the transaction stays usable. */
export async function insertLicenseUnlessKeyTaken(trx: Db, values: NewLicense): Promise<string | undefined> {
  const row = await trx
    .insertInto('licenses')
    .values(values)
    .onConflict((oc) => oc.column('key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function updateLicense(trx: Db, id: string, values: LicenseUpdate): Promise<void> {
  await trx.updateTable('licenses').set(values).where('id', '=', id).execute();
}

export async function deleteLicense(trx: Db, id: string): Promise<void> {
  await trx.deleteFrom('licenses').where('id', '=', id).execute();
}

/** Deletes the license's machines; returns how many there were. */
export async function deleteMachinesOfLicense(trx: Db, licenseId: string): Promise<number> {
  const result = await trx.deleteFrom('machines').where('license_id', '=', licenseId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
