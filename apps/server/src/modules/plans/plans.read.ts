import type { Db } from '../../platform/db/database.ts';
import type { PlanRow } from '../../platform/db/schema.ts';

/** Read function for other modules (licenses, client API): a plan by id. */
export function findPlanById(db: Db, id: string): Promise<PlanRow | undefined> {
  return db.selectFrom('plans').selectAll().where('id', '=', id).executeTakeFirst();
}
