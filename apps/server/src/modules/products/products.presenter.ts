import type { ProductRow } from '../../platform/db/schema.ts';
import type { ProductDto } from './products.schemas.ts';

export function presentProduct(row: ProductRow): ProductDto {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}
