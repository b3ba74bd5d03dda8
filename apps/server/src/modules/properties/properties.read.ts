import type { Selectable } from 'kysely';
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { Enforcement, PropertiesTable } from '../../platform/db/schema.ts';
import { type Candidate, type EffectiveProperty, effectiveValue, type PropertyDef } from './effective.ts';

/**
 * Read functions for other modules (usage metering, the entitlements check, license files, explain): every
 * property of a license's product with its effective value, in two queries whatever the number of properties.
 */

export interface LicenseEntitlementRefs {
  licenseId: string;
  productId: string;
  accountId: string;
  planId: string;
  planName: string;
  basePlanId: string | null;
  basePlanName: string | null;
}

export function presentPropertyDef(row: Selectable<PropertiesTable>): PropertyDef {
  return {
    id: row.id,
    productId: row.product_id,
    key: row.key,
    name: row.name,
    description: row.description,
    type: row.type,
    defaultValue: row.default_value,
    options: row.options,
    multiple: row.multiple,
    enforcement: row.enforcement,
    warningThresholdPercent: row.warning_threshold_percent,
    metered: row.metered,
    resetPeriod: row.reset_period,
    unit: row.unit,
  };
}

/** The license's product, plan (and base plan) and account; undefined when the license does not exist. */
export async function findLicenseRefs(db: Db, licenseId: string): Promise<LicenseEntitlementRefs | undefined> {
  const row = await db
    .selectFrom('licenses as l')
    .innerJoin('plans as p', 'p.id', 'l.plan_id')
    .leftJoin('plans as bp', 'bp.id', 'p.base_plan_id')
    .select([
      'l.id as license_id',
      'l.product_id',
      'l.account_id',
      'p.id as plan_id',
      'p.name as plan_name',
      'bp.id as base_plan_id',
      'bp.name as base_plan_name',
    ])
    .where('l.id', '=', licenseId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    licenseId: row.license_id,
    productId: row.product_id,
    accountId: row.account_id,
    planId: row.plan_id,
    planName: row.plan_name,
    basePlanId: row.base_plan_id,
    basePlanName: row.base_plan_name,
  };
}

/** One layer of a property's precedence chain, as the layer query returns it (also as JSON: dates as strings). */
export interface PropertyLayerRow {
  property_id: string;
  layer: 'license_override' | 'account_override' | 'plan' | 'base_plan';
  id: string;
  value: unknown;
  enforcement: Enforcement | null;
  reason: string | null;
  author_name: string | null;
  expires_at: Date | string | null;
  inherits_value: boolean;
}

/** SQL expressions (parameters or column references) the layer query is about. */
export interface LayerQueryRefs {
  licenseId: RawBuilder<unknown>;
  accountId: RawBuilder<unknown>;
  planId: RawBuilder<unknown>;
  /** uuid[]: the plan and its base plan, if any. */
  planIds: RawBuilder<unknown>;
  /** uuid[]: the properties asked about. */
  propertyIds: RawBuilder<unknown>;
}

/** One UNION ALL over the four layers (PropertyLayerRow), only for these properties. */
export function layerQuery(r: LayerQueryRefs): RawBuilder<PropertyLayerRow> {
  return sql<PropertyLayerRow>`
    SELECT o.property_id, 'license_override' AS layer, o.id::text AS id, o.value, o.enforcement, o.reason,
           o.author_name, o.expires_at, false AS inherits_value
      FROM property_overrides o WHERE o.license_id = ${r.licenseId} AND o.property_id = ANY(${r.propertyIds})
    UNION ALL
    SELECT o.property_id, 'account_override', o.id::text, o.value, o.enforcement, o.reason, o.author_name,
           o.expires_at, false
      FROM property_overrides o WHERE o.account_id = ${r.accountId} AND o.property_id = ANY(${r.propertyIds})
    UNION ALL
    SELECT v.property_id, CASE WHEN v.plan_id = ${r.planId} THEN 'plan' ELSE 'base_plan' END, v.plan_id::text,
           v.value, v.enforcement, NULL, NULL, NULL, v.inherits_value
      FROM plan_property_values v WHERE v.plan_id = ANY(${r.planIds}) AND v.property_id = ANY(${r.propertyIds})`;
}

/** The effective value of one property from its layer rows (rows of other properties are ignored). */
export function effectiveFromLayers(
  row: Selectable<PropertiesTable>,
  layers: readonly PropertyLayerRow[],
  refs: Pick<LicenseEntitlementRefs, 'planName' | 'basePlanName'>,
  now: Date,
): EffectiveProperty {
  const chain: Record<PropertyLayerRow['layer'], Candidate | undefined> = {
    license_override: undefined,
    account_override: undefined,
    plan: undefined,
    base_plan: undefined,
  };
  for (const l of layers) {
    if (l.property_id !== row.id) continue;
    chain[l.layer] = {
      kind: l.layer,
      value: l.value,
      enforcement: l.enforcement,
      id: l.id,
      planName:
        l.layer === 'plan' ? refs.planName : l.layer === 'base_plan' ? (refs.basePlanName ?? undefined) : undefined,
      reason: l.reason ?? undefined,
      authorName: l.author_name ?? undefined,
      expiresAt: l.expires_at ? new Date(l.expires_at) : null,
      inheritsValue: l.inherits_value,
    };
  }
  return effectiveValue(
    presentPropertyDef(row),
    {
      licenseOverride: chain.license_override,
      accountOverride: chain.account_override,
      plan: chain.plan,
      basePlan: chain.base_plan,
    },
    now,
  );
}

/**
 * Effective values of the license's product's properties (all of them, or only `keys`), in property-key order.
 * Pass `now` from the injected clock: expired overrides are skipped.
 */
export async function effectivePropertiesOf(
  db: Db,
  refs: LicenseEntitlementRefs,
  now: Date,
  keys?: readonly string[],
): Promise<EffectiveProperty[]> {
  let propertyQuery = db.selectFrom('properties').selectAll().where('product_id', '=', refs.productId).orderBy('key');
  if (keys) {
    if (keys.length === 0) return [];
    propertyQuery = propertyQuery.where('key', 'in', [...keys]);
  }
  const properties = await propertyQuery.execute();
  if (properties.length === 0) return [];
  const ids = properties.map((p) => p.id);
  const planIds = refs.basePlanId ? [refs.planId, refs.basePlanId] : [refs.planId];
  const layers = await layerQuery({
    licenseId: sql`${refs.licenseId}`,
    accountId: sql`${refs.accountId}`,
    planId: sql`${refs.planId}`,
    planIds: sql`${planIds}::uuid[]`,
    propertyIds: sql`${ids}::uuid[]`,
  }).execute(db);
  const byProperty = new Map<string, PropertyLayerRow[]>();
  for (const l of layers.rows) {
    const list = byProperty.get(l.property_id);
    if (list) list.push(l);
    else byProperty.set(l.property_id, [l]);
  }
  return properties.map((row) => effectiveFromLayers(row, byProperty.get(row.id) ?? [], refs, now));
}

/** One property of a license by key (usage metering): undefined when the product has no such property. */
export async function effectivePropertyOf(
  db: Db,
  refs: LicenseEntitlementRefs,
  key: string,
  now: Date,
): Promise<EffectiveProperty | undefined> {
  const [effective] = await effectivePropertiesOf(db, refs, now, [key]);
  return effective;
}

/** A property by id (explain), or undefined. */
export async function findPropertyDef(db: Db, id: string): Promise<PropertyDef | undefined> {
  const row = await db.selectFrom('properties').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? presentPropertyDef(row) : undefined;
}

/** The account override of a property as a precedence candidate (explain for an account), or undefined. */
export async function accountOverrideCandidate(
  db: Db,
  propertyId: string,
  accountId: string,
): Promise<Candidate | undefined> {
  const row = await db
    .selectFrom('property_overrides')
    .select(['id', 'value', 'enforcement', 'reason', 'author_name', 'expires_at'])
    .where('property_id', '=', propertyId)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    kind: 'account_override',
    value: row.value,
    enforcement: row.enforcement,
    id: row.id,
    reason: row.reason,
    authorName: row.author_name,
    expiresAt: row.expires_at,
  };
}
