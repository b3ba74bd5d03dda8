import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { AccountRow, AccountsTable } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

/** An account row with its license count (of one product when `scope` is set) and its name sort key. */
export type AccountWithCount = AccountRow & { license_count: number; sort_key: string };

export type AccountSortKey = 'createdAt' | '-createdAt' | 'name';

function selectAccounts(db: Db, scope: string | null) {
  return db
    .selectFrom('accounts')
    .selectAll('accounts')
    .select((eb) => [
      eb
        .selectFrom('licenses')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('licenses.account_id', '=', 'accounts.id')
        .$if(scope !== null, (qb) => qb.where('licenses.product_id', '=', scope as string))
        .as('license_count'),
      sql<string>`lower(accounts.name)`.as('sort_key'),
    ])
    .$castTo<AccountWithCount>();
}

export function findAccount(db: Db, id: string, scope: string | null): Promise<AccountWithCount | undefined> {
  return selectAccounts(db, scope).where('accounts.id', '=', id).executeTakeFirst();
}

export function findAccountByCrmId(
  db: Db,
  crmId: string,
  scope: string | null,
  opts: { lock?: boolean } = {},
): Promise<AccountWithCount | undefined> {
  const query = selectAccounts(db, scope).where('accounts.crm_id', '=', crmId);
  return (opts.lock ? query.forUpdate('accounts') : query).executeTakeFirst();
}

export function findAccountForUpdate(db: Db, id: string, scope: string | null) {
  return selectAccounts(db, scope).where('accounts.id', '=', id).forUpdate('accounts').executeTakeFirst();
}

export function insertAccount(db: Db, values: Insertable<AccountsTable>): Promise<AccountRow> {
  return db.insertInto('accounts').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Inserts unless an account already has this CRM id (then returns undefined); never fails on that conflict. */
export function insertAccountUnlessCrmIdExists(
  db: Db,
  values: Insertable<AccountsTable>,
): Promise<AccountRow | undefined> {
  return db
    .insertInto('accounts')
    .values(values)
    .onConflict((oc) => oc.column('crm_id').doNothing())
    .returningAll()
    .executeTakeFirst();
}

export function updateAccount(db: Db, id: string, values: Updateable<AccountsTable>): Promise<AccountRow> {
  return db.updateTable('accounts').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteAccount(db: Db, id: string): Promise<void> {
  await db.deleteFrom('accounts').where('id', '=', id).execute();
}

/**
 * Whether the account holds a license of a product other than `productId`. Called with the account row locked
 * (FOR UPDATE): a license insert or transfer into the account needs a key-share lock on that row, so it waits and
 * the answer holds until the transaction ends.
 */
export async function holdsOtherProductsLicenses(db: Db, id: string, productId: string): Promise<boolean> {
  const row = await db
    .selectFrom('licenses')
    .select('id')
    .where('account_id', '=', id)
    .where('product_id', '<>', productId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function countAccountLicenses(db: Db, id: string): Promise<number> {
  const row = await db
    .selectFrom('licenses')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ListAccountsOptions {
  limit: number;
  after: Cursor | null;
  sort: AccountSortKey;
  scope: string | null;
  q?: string | undefined;
  crmId?: string | undefined;
  createdAfter?: Date | undefined;
  createdBefore?: Date | undefined;
}

export function listAccounts(db: Db, opts: ListAccountsOptions): Promise<AccountWithCount[]> {
  let query = selectAccounts(db, opts.scope).limit(opts.limit + 1);
  if (opts.q) {
    const like = `%${opts.q.replace(/[\\%_]/g, '\\$&')}%`;
    query = query.where((eb) =>
      eb.or([
        eb('accounts.name', 'ilike', like),
        eb('accounts.crm_id', 'ilike', like),
        sql<boolean>`exists (select 1 from unnest(accounts.email_domains) as d(v) where d.v ilike ${like})`,
        sql<boolean>`exists (select 1 from jsonb_array_elements(accounts.contacts) as c(v)
          where c.v->>'email' ilike ${like})`,
      ]),
    );
  }
  if (opts.crmId) query = query.where('accounts.crm_id', '=', opts.crmId);
  if (opts.createdAfter) query = query.where('accounts.created_at', '>=', opts.createdAfter);
  if (opts.createdBefore) query = query.where('accounts.created_at', '<', opts.createdBefore);

  const after = opts.after;
  if (opts.sort === 'name') {
    query = query.orderBy(sql`lower(accounts.name)`).orderBy('accounts.id');
    if (after?.v != null) {
      const v = after.v;
      query = query.where((eb) =>
        eb.or([
          eb(sql`lower(accounts.name)`, '>', v),
          eb.and([eb(sql`lower(accounts.name)`, '=', v), eb('accounts.id', '>', after.id)]),
        ]),
      );
    }
    return query.execute();
  }
  const desc = opts.sort === '-createdAt';
  const dir = desc ? 'desc' : 'asc';
  query = query.orderBy('accounts.created_at', dir).orderBy('accounts.id', dir);
  if (after?.v != null) {
    const at = new Date(after.v);
    const cmp = desc ? '<' : '>';
    query = query.where((eb) =>
      eb.or([
        eb('accounts.created_at', cmp, at),
        eb.and([eb('accounts.created_at', '=', at), eb('accounts.id', cmp, after.id)]),
      ]),
    );
  }
  return query.execute();
}
