import { presentPropertyDef } from './properties.read.ts';
import type { PropertyWithProduct } from './properties.repository.ts';
import type { PropertyDto } from './properties.schemas.ts';

export function presentProperty(row: PropertyWithProduct): PropertyDto {
  return {
    ...presentPropertyDef(row),
    product: { id: row.product_id, code: row.product_code, name: row.product_name },
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
