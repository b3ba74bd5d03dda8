import type { Db } from '../../platform/db/database.ts';
import type { ProductRow } from '../../platform/db/schema.ts';

/** Read functions: a product by id or by code (key prefix). Used by this module and others. */
export function findProductById(db: Db, id: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findProductByCode(db: Db, code: string): Promise<ProductRow | undefined> {
  return db.selectFrom('products').selectAll().where('code', '=', code).executeTakeFirst();
}
