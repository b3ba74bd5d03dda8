import type { Insertable, Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import { createdAfter } from '../../platform/db/keyset.ts';
import type { ProductRow, ProductsTable } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export function insertProduct(db: Db, values: Insertable<ProductsTable>): Promise<ProductRow> {
  return db.insertInto('products').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateProduct(db: Db, id: string, values: Updateable<ProductsTable>): Promise<ProductRow> {
  return db.updateTable('products').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteProduct(db: Db, id: string): Promise<void> {
  await db.deleteFrom('products').where('id', '=', id).execute();
}

export async function countProductDependents(db: Db, id: string): Promise<number> {
  const row = await db
    .selectNoFrom((eb) => [
      eb.selectFrom('plans').select(eb.fn.countAll<number>().as('n')).where('product_id', '=', id).as('plans'),
      eb.selectFrom('licenses').select(eb.fn.countAll<number>().as('n')).where('product_id', '=', id).as('licenses'),
    ])
    .executeTakeFirstOrThrow();
  return Number(row.plans) + Number(row.licenses);
}

export function listProducts(
  db: Db,
  opts: { limit: number; after: Cursor | null; q?: string | undefined; productId: string | null },
): Promise<ProductRow[]> {
  let query = db
    .selectFrom('products')
    .selectAll()
    .orderBy('created_at')
    .orderBy('id')
    .limit(opts.limit + 1);
  if (opts.productId) query = query.where('id', '=', opts.productId);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) => eb.or([eb('code', 'ilike', like), eb('name', 'ilike', like)]));
  }
  const after = opts.after;
  if (after?.v) {
    query = query.where(createdAfter('products', after));
  }
  return query.execute();
}
