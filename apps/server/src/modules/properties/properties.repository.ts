import type { Insertable, Selectable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { PropertiesTable, PropertyType } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export type PropertyRow = Selectable<PropertiesTable>;
/** A property row joined with the code and name of its product. */
export type PropertyWithProduct = PropertyRow & { product_code: string; product_name: string };

function selectProperties(db: Db) {
  return db
    .selectFrom('properties')
    .innerJoin('products', 'products.id', 'properties.product_id')
    .selectAll('properties')
    .select(['products.code as product_code', 'products.name as product_name']);
}

export function findProperty(db: Db, id: string): Promise<PropertyWithProduct | undefined> {
  return selectProperties(db).where('properties.id', '=', id).executeTakeFirst();
}

/**
 * Locks the property row for the rest of the transaction: `update` for changes of the definition (type, options,
 * delete), `share` for writers of values (plan values, overrides), so a value is never checked against a definition
 * that changes before it commits.
 */
export function findPropertyLocked(
  db: Db,
  id: string,
  mode: 'update' | 'share',
): Promise<PropertyWithProduct | undefined> {
  const query = selectProperties(db).where('properties.id', '=', id);
  return (mode === 'update' ? query.forUpdate('properties') : query.forShare('properties')).executeTakeFirst();
}

export function insertProperty(db: Db, values: Insertable<PropertiesTable>): Promise<PropertyRow> {
  return db.insertInto('properties').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateProperty(db: Db, id: string, values: Updateable<PropertiesTable>): Promise<PropertyRow> {
  return db.updateTable('properties').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteProperty(db: Db, id: string): Promise<void> {
  await db.deleteFrom('properties').where('id', '=', id).execute();
}

export interface PropertyReferences {
  planValues: number;
  overrides: number;
  usageCounters: number;
}

/** How many plan values, overrides and usage counters refer to the property (one query). */
export async function countReferences(db: Db, id: string): Promise<PropertyReferences> {
  const row = await sql<{ plan_values: string; overrides: string; usage_counters: string }>`
    SELECT (SELECT count(*) FROM plan_property_values WHERE property_id = ${id}) AS plan_values,
           (SELECT count(*) FROM property_overrides WHERE property_id = ${id}) AS overrides,
           (SELECT count(*) FROM usage_counters WHERE property_id = ${id}) AS usage_counters
  `.execute(db);
  const r = row.rows[0];
  return {
    planValues: Number(r?.plan_values ?? 0),
    overrides: Number(r?.overrides ?? 0),
    usageCounters: Number(r?.usage_counters ?? 0),
  };
}

/** Every stored value of the property: plan values and overrides (to re-check them against a changed definition). */
export interface StoredValue {
  kind: 'plan' | 'override';
  /** Plan id or override id. */
  id: string;
  /** Plan name, or `account <id>` / `license <id>` for overrides. */
  label: string;
  value: unknown;
}

export async function storedValues(db: Db, propertyId: string): Promise<StoredValue[]> {
  const plans = await db
    .selectFrom('plan_property_values as v')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .select(['v.plan_id as id', 'p.name as label', 'v.value'])
    .where('v.property_id', '=', propertyId)
    .where('v.inherits_value', '=', false) // enforcement-only rows hold no value
    .execute();
  const overrides = await db
    .selectFrom('property_overrides')
    .select(['id', 'account_id', 'license_id', 'value'])
    .where('property_id', '=', propertyId)
    .execute();
  return [
    ...plans.map((p) => ({ kind: 'plan' as const, id: p.id, label: `plan ${p.label}`, value: p.value })),
    ...overrides.map((o) => ({
      kind: 'override' as const,
      id: o.id,
      label: o.account_id ? `account override ${o.id}` : `license override ${o.id}`,
      value: o.value,
    })),
  ];
}

/** Removes the plan values of the property; returns them (plan id, plan name, value, enforcement). */
export function deletePlanValuesOf(db: Db, propertyId: string) {
  return db
    .deleteFrom('plan_property_values as v')
    .using('plans as p')
    .whereRef('p.id', '=', 'v.plan_id')
    .where('v.property_id', '=', propertyId)
    .returning(['v.plan_id', 'p.name as plan_name', 'v.value', 'v.enforcement'])
    .execute();
}

export function deleteOverridesOf(db: Db, propertyId: string) {
  return db.deleteFrom('property_overrides').where('property_id', '=', propertyId).returningAll().execute();
}

/** The accounts of licenses (for audit events of license overrides removed with their property). */
export async function accountsOfLicenses(db: Db, licenseIds: string[]): Promise<Map<string, string>> {
  if (licenseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('licenses')
    .select(['id', 'account_id'])
    .where('id', 'in', [...new Set(licenseIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, r.account_id]));
}

/** Properties in (key, id) order after the cursor (v = key). */
export function listProperties(
  db: Db,
  opts: {
    limit: number;
    after: Cursor | null;
    scope: string | null;
    productId?: string | undefined;
    type?: PropertyType | undefined;
    q?: string | undefined;
  },
): Promise<PropertyWithProduct[]> {
  let query = selectProperties(db)
    .orderBy('properties.key')
    .orderBy('properties.id')
    .limit(opts.limit + 1);
  if (opts.scope) query = query.where('properties.product_id', '=', opts.scope);
  if (opts.productId) query = query.where('properties.product_id', '=', opts.productId);
  if (opts.type) query = query.where('properties.type', '=', opts.type);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) => eb.or([eb('properties.key', 'ilike', like), eb('properties.name', 'ilike', like)]));
  }
  const after = opts.after;
  if (after?.v) {
    query = query.where(
      sql<boolean>`(${sql.ref('properties.key')}, ${sql.ref('properties.id')}) > (${after.v}, ${after.id}::uuid)`,
    );
  }
  return query.execute();
}
