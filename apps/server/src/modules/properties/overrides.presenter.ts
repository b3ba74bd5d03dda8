import type { Selectable } from 'kysely';
import type { PropertyOverridesTable, PropertyType } from '../../platform/db/schema.ts';
import type { OverrideDto } from './overrides.schemas.ts';

/** An override row joined with its property's key, name, type and product. */
export type OverrideWithProperty = Selectable<PropertyOverridesTable> & {
  property_key: string;
  property_name: string;
  property_type: PropertyType;
  product_id: string;
};

export const isActive = (row: Pick<OverrideWithProperty, 'expires_at'>, now: Date) =>
  row.expires_at === null || row.expires_at > now;

export function presentOverride(row: OverrideWithProperty, now: Date): OverrideDto {
  return {
    id: row.id,
    propertyId: row.property_id,
    property: { id: row.property_id, key: row.property_key, name: row.property_name, type: row.property_type },
    productId: row.product_id,
    target: row.account_id ? 'account' : 'license',
    accountId: row.account_id,
    licenseId: row.license_id,
    value: row.value,
    enforcement: row.enforcement,
    reason: row.reason,
    author: { id: row.author_id, name: row.author_name },
    expiresAt: row.expires_at?.toISOString() ?? null,
    active: isActive(row, now),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** The property fields an override is presented with, from a property row. */
export const propertyFieldsOf = (p: { key: string; name: string; type: PropertyType; product_id: string }) => ({
  property_key: p.key,
  property_name: p.name,
  property_type: p.type,
  product_id: p.product_id,
});
