import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { createdAfter } from '../../platform/db/keyset.ts';
import type { PropertyOverridesTable } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';
import type { OverrideWithProperty } from './overrides.presenter.ts';

function selectOverrides(db: Db) {
  return db
    .selectFrom('property_overrides as o')
    .innerJoin('properties as p', 'p.id', 'o.property_id')
    .selectAll('o')
    .select(['p.key as property_key', 'p.name as property_name', 'p.type as property_type', 'p.product_id']);
}

export function findOverride(db: Db, id: string, opts: { forUpdate?: boolean } = {}) {
  const query = selectOverrides(db).where('o.id', '=', id);
  return (opts.forUpdate ? query.forUpdate('o') : query).executeTakeFirst() as Promise<
    OverrideWithProperty | undefined
  >;
}

/** The override of a property for an account or a license (there is at most one), locked. */
export function findOverrideOfTarget(
  db: Db,
  propertyId: string,
  target: { accountId: string } | { licenseId: string },
): Promise<OverrideWithProperty | undefined> {
  let query = selectOverrides(db).where('o.property_id', '=', propertyId);
  query =
    'accountId' in target
      ? query.where('o.account_id', '=', target.accountId)
      : query.where('o.license_id', '=', target.licenseId);
  return query.forUpdate('o').executeTakeFirst();
}

export function insertOverride(db: Db, values: Insertable<PropertyOverridesTable>) {
  return db.insertInto('property_overrides').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateOverride(db: Db, id: string, values: Updateable<PropertyOverridesTable>) {
  return db.updateTable('property_overrides').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteOverride(db: Db, id: string): Promise<void> {
  await db.deleteFrom('property_overrides').where('id', '=', id).execute();
}

/** A license's product and account (the target of a license override), or undefined. */
export function findLicenseTarget(db: Db, id: string) {
  return db.selectFrom('licenses').select(['id', 'product_id', 'account_id']).where('id', '=', id).executeTakeFirst();
}

export function listOverrides(
  db: Db,
  opts: {
    limit: number;
    after: Cursor | null;
    scope: string | null;
    now: Date;
    includeExpired: boolean;
    accountId?: string | undefined;
    licenseId?: string | undefined;
    propertyId?: string | undefined;
    productId?: string | undefined;
  },
): Promise<OverrideWithProperty[]> {
  let query = selectOverrides(db)
    .orderBy('o.created_at')
    .orderBy('o.id')
    .limit(opts.limit + 1);
  if (opts.scope) query = query.where('p.product_id', '=', opts.scope);
  if (opts.productId) query = query.where('p.product_id', '=', opts.productId);
  if (opts.accountId) query = query.where('o.account_id', '=', opts.accountId);
  if (opts.licenseId) query = query.where('o.license_id', '=', opts.licenseId);
  if (opts.propertyId) query = query.where('o.property_id', '=', opts.propertyId);
  if (!opts.includeExpired) {
    query = query.where((eb) => eb.or([eb('o.expires_at', 'is', null), eb('o.expires_at', '>', opts.now)]));
  }
  if (opts.after?.v) query = query.where(createdAfter('o', opts.after));
  return query.execute();
}
