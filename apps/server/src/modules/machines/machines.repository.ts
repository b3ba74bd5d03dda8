import type { Db } from '../../platform/db/database.ts';
import { createdAfter } from '../../platform/db/keyset.ts';
import type { MachineRow } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export type MachineWithProduct = MachineRow & { product_id: string };

export function findMachineById(db: Db, id: string): Promise<MachineWithProduct | undefined> {
  return db
    .selectFrom('machines')
    .innerJoin('licenses', 'licenses.id', 'machines.license_id')
    .selectAll('machines')
    .select('licenses.product_id')
    .where('machines.id', '=', id)
    .executeTakeFirst();
}

/** Deletes the machine; false when no row was deleted (a concurrent delete or deactivation was first). */
export async function deleteMachine(db: Db, id: string): Promise<boolean> {
  const deleted = await db.deleteFrom('machines').where('id', '=', id).returning('id').executeTakeFirst();
  return deleted !== undefined;
}

/** The product of a license (for scope checks), or undefined when there is no such license. */
export async function findLicenseProduct(db: Db, licenseId: string): Promise<string | undefined> {
  const row = await db.selectFrom('licenses').select('product_id').where('id', '=', licenseId).executeTakeFirst();
  return row?.product_id;
}

export function listMachines(
  db: Db,
  opts: {
    limit: number;
    after: Cursor | null;
    licenseId?: string | undefined;
    fingerprint?: string | undefined;
    productId: string | null;
  },
): Promise<MachineRow[]> {
  let query = db
    .selectFrom('machines')
    .selectAll('machines')
    .orderBy('machines.created_at')
    .orderBy('machines.id')
    .limit(opts.limit + 1);
  if (opts.productId) {
    const productId = opts.productId;
    query = query.where((eb) =>
      eb(
        'machines.license_id',
        'in',
        eb.selectFrom('licenses').select('licenses.id').where('licenses.product_id', '=', productId),
      ),
    );
  }
  if (opts.licenseId) query = query.where('machines.license_id', '=', opts.licenseId);
  if (opts.fingerprint) query = query.where('machines.fingerprint', '=', opts.fingerprint);
  const after = opts.after;
  if (after?.v) {
    query = query.where(createdAfter('machines', after));
  }
  return query.execute();
}
