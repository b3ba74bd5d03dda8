import type { Db } from '../../platform/db/database.ts';
import type { UserRow } from '../../platform/db/schema.ts';

/** Read functions other modules (staff sign-in) may use. Emails are stored lower-cased. */
export function findUserByEmail(
  db: Db,
  email: string,
  opts: { forUpdate?: boolean } = {},
): Promise<UserRow | undefined> {
  const query = db.selectFrom('users').selectAll().where('email', '=', email.trim().toLowerCase());
  return (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}

export function findUserById(db: Db, id: string, opts: { forUpdate?: boolean } = {}): Promise<UserRow | undefined> {
  const query = db.selectFrom('users').selectAll().where('id', '=', id);
  return (opts.forUpdate ? query.forUpdate() : query).executeTakeFirst();
}
