import type { PropertyWithProduct } from './properties.repository.ts';
import type { PropertyDto } from './properties.schemas.ts';

export function presentProperty(row: PropertyWithProduct): PropertyDto {
  return {
    id: row.id,
    productId: row.product_id,
    product: { id: row.product_id, code: row.product_code, name: row.product_name },
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
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
