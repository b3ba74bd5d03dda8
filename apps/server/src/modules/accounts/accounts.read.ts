import type { Db } from '../../platform/db/database.ts';
import type { AccountRow } from '../../platform/db/schema.ts';

/** Read function for other modules (licenses): an account by id. */
export function findAccountById(db: Db, id: string): Promise<AccountRow | undefined> {
  return db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Which of these CRM ids are taken already. */
export async function existingCrmIds(db: Db, crmIds: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < crmIds.length; i += 1000) {
    const part = crmIds.slice(i, i + 1000);
    const rows = await db.selectFrom('accounts').select('crm_id').where('crm_id', 'in', part).execute();
    for (const r of rows) if (r.crm_id) found.add(r.crm_id);
  }
  return found;
}
