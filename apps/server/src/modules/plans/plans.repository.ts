import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { createdAfter } from '../../platform/db/keyset.ts';
import type { LicenseType, PlanRow, PlansTable } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import type { PlanWithProduct } from './plans.presenter.ts';

export interface ProductRef {
  id: string;
  code: string;
  name: string;
}

export const withProduct = (row: PlanRow, product: ProductRef): PlanWithProduct => ({
  ...row,
  product_code: product.code,
  product_name: product.name,
});

function selectPlans(db: Db) {
  return db
    .selectFrom('plans')
    .innerJoin('products', 'products.id', 'plans.product_id')
    .selectAll('plans')
    .select(['products.code as product_code', 'products.name as product_name']);
}

export function findPlan(db: Db, id: string): Promise<PlanWithProduct | undefined> {
  return selectPlans(db).where('plans.id', '=', id).executeTakeFirst();
}

/** Locks the plan row for the rest of the transaction (update/delete). */
export function findPlanForUpdate(db: Db, id: string): Promise<PlanWithProduct | undefined> {
  return selectPlans(db).where('plans.id', '=', id).forUpdate('plans').executeTakeFirst();
}

export function findProductRef(db: Db, id: string): Promise<ProductRef | undefined> {
  return db.selectFrom('products').select(['id', 'code', 'name']).where('id', '=', id).executeTakeFirst();
}

export function insertPlan(db: Db, values: Insertable<PlansTable>): Promise<PlanRow> {
  return db.insertInto('plans').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updatePlan(db: Db, id: string, values: Updateable<PlansTable>): Promise<PlanRow> {
  return db.updateTable('plans').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deletePlan(db: Db, id: string): Promise<void> {
  await db.deleteFrom('plans').where('id', '=', id).execute();
}

export async function countPlanLicenses(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('licenses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('plan_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function listPlans(
  db: Db,
  opts: {
    limit: number;
    after: Cursor | null;
    productId?: string | undefined;
    scope: string | null;
    licenseType?: LicenseType | undefined;
    q?: string | undefined;
  },
): Promise<PlanWithProduct[]> {
  let query = selectPlans(db)
    .orderBy('plans.created_at')
    .orderBy('plans.id')
    .limit(opts.limit + 1);
  if (opts.scope) query = query.where('plans.product_id', '=', opts.scope);
  if (opts.productId) query = query.where('plans.product_id', '=', opts.productId);
  if (opts.licenseType) query = query.where('plans.license_type', '=', opts.licenseType);
  if (opts.q) query = query.where('plans.name', 'ilike', `%${opts.q.replace(/[\\%_]/g, '\\$&')}%`);
  const after = opts.after;
  if (after?.v) {
    query = query.where(createdAfter('plans', after));
  }
  return query.execute();
}

/** Locks plan rows in id order (several plans changed together: no deadlock between two such transactions). */
export async function lockPlans(db: Db, ids: string[]): Promise<void> {
  await db
    .selectFrom('plans')
    .select('id')
    .where('id', 'in', [...new Set(ids)].sort())
    .orderBy('id')
    .forUpdate()
    .execute();
}

/** A plan for use as a base: its product and own base, share-locked so it cannot get a base meanwhile. */
export function findBaseCandidate(db: Db, id: string) {
  return db
    .selectFrom('plans')
    .select(['id', 'name', 'product_id', 'base_plan_id'])
    .where('id', '=', id)
    .forShare()
    .executeTakeFirst();
}

/** Plans based on this plan. */
export async function countPlansBasedOn(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('plans')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('base_plan_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
