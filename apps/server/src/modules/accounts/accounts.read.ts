import type { Db } from '../../platform/db/database.ts';
import type { AccountRow } from '../../platform/db/schema.ts';

/** Read function for other modules (licenses): an account by id. */
export function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}
