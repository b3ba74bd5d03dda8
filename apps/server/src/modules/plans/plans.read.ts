import type { Db } from '../../platform/db/database.ts';
import type { PlanRow } from '../../platform/db/schema.ts';

/** Read function for other modules (licenses, client API): a plan by id. */
export function findPlanById(db: Db, id: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface PlanWithBase {
  id: string;
  name: string;
  productId: string;
  basePlanId: string | null;
  basePlanName: string | null;
}

/** Read function (plan property values): a plan with the name of its base plan, in one query. */
export async function findPlanWithBase(db: Db, id: string): Promise<PlanWithBase | undefined> {
  const row = await db
    .selectFrom('plans as p')
    .leftJoin('plans as bp', 'bp.id', 'p.base_plan_id')
    .select(['p.id', 'p.name', 'p.product_id', 'bp.id as base_id', 'bp.name as base_name'])
    .where('p.id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    productId: row.product_id,
    basePlanId: row.base_id,
    basePlanName: row.base_name,
  };
}
