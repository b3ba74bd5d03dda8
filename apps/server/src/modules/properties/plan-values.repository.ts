import type { Db } from '../../platform/db/database.ts';
import type { Enforcement } from '../../platform/db/schema.ts';

/** Plan property values (plans as templates): SQL only. */

export function listPlanValues(db: Db, planIds: string[]) {
  return db.selectFrom('plan_property_values').selectAll().where('plan_id', 'in', planIds).execute();
}

export function listProductProperties(db: Db, productId: string) {
  return db.selectFrom('properties').selectAll().where('product_id', '=', productId).orderBy('key').execute();
}

export function findPlanValue(db: Db, planId: string, propertyId: string) {
  return db
    .selectFrom('plan_property_values')
    .selectAll()
    .where('plan_id', '=', planId)
    .where('property_id', '=', propertyId)
    .forUpdate()
    .executeTakeFirst();
}

export function upsertPlanValue(
  db: Db,
  values: {
    plan_id: string;
    property_id: string;
    value: unknown;
    enforcement: Enforcement | null;
    inherits_value: boolean;
    updated_at: Date;
  },
) {
  const row = { ...values, value: JSON.stringify(values.value) };
  return db
    .insertInto('plan_property_values')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['plan_id', 'property_id']).doUpdateSet({
        value: row.value,
        enforcement: row.enforcement,
        inherits_value: row.inherits_value,
        updated_at: row.updated_at,
      }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deletePlanValue(db: Db, planId: string, propertyId: string): Promise<void> {
  await db
    .deleteFrom('plan_property_values')
    .where('plan_id', '=', planId)
    .where('property_id', '=', propertyId)
    .execute();
}
