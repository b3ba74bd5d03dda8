import { type Selectable, sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { FlagTogglesTable } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export type ToggleRow = Selectable<FlagTogglesTable>;
export type ToggleScope = ToggleRow['scope'];
/** A toggle with its target's name and account (null when the target no longer exists). */
export type ToggleWithTarget = ToggleRow & { target_name: string | null; account_id: string | null };

export function findToggle(db: Db, flagId: string, scope: ToggleScope, targetId: string) {
  return db
    .selectFrom('flag_toggles')
    .selectAll()
    .where('flag_id', '=', flagId)
    .where('scope', '=', scope)
    .where('target_id', '=', targetId)
    .executeTakeFirst();
}

export function upsertToggle(db: Db, values: Omit<ToggleRow, 'created_at'> & { created_at: Date }): Promise<ToggleRow> {
  return db
    .insertInto('flag_toggles')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['flag_id', 'scope', 'target_id']).doUpdateSet((eb) => ({
        enabled: eb.ref('excluded.enabled'),
        reason: eb.ref('excluded.reason'),
        author_id: eb.ref('excluded.author_id'),
        author_name: eb.ref('excluded.author_name'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function deleteToggle(db: Db, flagId: string, scope: ToggleScope, targetId: string) {
  return db
    .deleteFrom('flag_toggles')
    .where('flag_id', '=', flagId)
    .where('scope', '=', scope)
    .where('target_id', '=', targetId)
    .returningAll()
    .executeTakeFirst();
}

/** Removes every toggle of a flag (delete with force); returns them with their accounts for the audit events. */
export async function deleteTogglesOf(db: Db, flagId: string): Promise<ToggleWithTarget[]> {
  const rows = await withTargets(db)
    .where('t.flag_id', '=', flagId)
    .orderBy('t.scope')
    .orderBy('t.target_id')
    .execute();
  await db.deleteFrom('flag_toggles').where('flag_id', '=', flagId).execute();
  return rows;
}

export async function countToggles(db: Db, flagId: string): Promise<number> {
  const row = await db
    .selectFrom('flag_toggles')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('flag_id', '=', flagId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Toggles joined with their target: the account, or the license (and its account). */
function withTargets(db: Db) {
  return db
    .selectFrom('flag_toggles as t')
    .leftJoin('accounts as a', (join) => join.onRef('a.id', '=', 't.target_id').on('t.scope', '=', 'account'))
    .leftJoin('licenses as l', (join) => join.onRef('l.id', '=', 't.target_id').on('t.scope', '=', 'license'))
    .selectAll('t')
    .select([
      sql<string | null>`coalesce(a.name, CASE WHEN l.id IS NULL THEN NULL ELSE l.name || ' (' || l.key || ')' END)`.as(
        'target_name',
      ),
      sql<string | null>`coalesce(a.id, l.account_id)`.as('account_id'),
    ]);
}

/** A flag's toggles in (scope, target id) order after the cursor (v = scope, id = target id). */
export function listToggles(
  db: Db,
  flagId: string,
  opts: { limit: number; after: Cursor | null; scope?: ToggleScope | undefined; enabled?: boolean | undefined },
): Promise<ToggleWithTarget[]> {
  let query = withTargets(db)
    .where('t.flag_id', '=', flagId)
    .orderBy('t.scope')
    .orderBy('t.target_id')
    .limit(opts.limit + 1);
  if (opts.scope) query = query.where('t.scope', '=', opts.scope);
  if (opts.enabled !== undefined) query = query.where('t.enabled', '=', opts.enabled);
  if (opts.after?.v) {
    query = query.where(sql<boolean>`(t.scope, t.target_id) > (${opts.after.v}, ${opts.after.id}::uuid)`);
  }
  return query.execute();
}

/** A license as a toggle target: its product (must be the flag's), account and label. */
export function findLicenseTarget(db: Db, id: string) {
  return db
    .selectFrom('licenses as l')
    .select(['l.id', 'l.product_id', 'l.account_id', sql<string>`l.name || ' (' || l.key || ')'`.as('label')])
    .where('l.id', '=', id)
    .executeTakeFirst();
}

export type TargetToggle = ToggleRow & { flag_key: string };

/**
 * The toggles of one customer: a license and its account (or an account alone) over the product's flags. An
 * indexed lookup by target id (flag_toggles_target_idx): constant work whatever the number of customers toggled.
 */
export async function togglesOfTargets(
  db: Db,
  productId: string,
  targets: { licenseId: string | null; accountId: string | null },
): Promise<TargetToggle[]> {
  const { licenseId, accountId } = targets;
  const ids = [licenseId, accountId].filter((id): id is string => id !== null);
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('flag_toggles as t')
    .innerJoin('flags as f', 'f.id', 't.flag_id')
    .selectAll('t')
    .select('f.key as flag_key')
    .where('t.target_id', 'in', ids)
    .where('f.product_id', '=', productId)
    .execute();
  // A license id never equals an account id, but keep each row to its own scope anyway.
  return rows.filter((t) => (t.scope === 'license' ? t.target_id === licenseId : t.target_id === accountId));
}

/**
 * Every toggle of a product's flags whose target still exists (licenses and accounts can be deleted; their toggles
 * then stop applying). Only for the Unleash client API, which has to hand SDKs the full lists.
 */
export function productToggles(db: Db, productId: string) {
  return db
    .selectFrom('flag_toggles as t')
    .innerJoin('flags as f', 'f.id', 't.flag_id')
    .select(['f.key as flag_key', 't.scope', 't.target_id', 't.enabled'])
    .where('f.product_id', '=', productId)
    .where((eb) =>
      eb.or([
        eb.and([
          eb('t.scope', '=', 'account'),
          eb.exists(eb.selectFrom('accounts as a').select('a.id').whereRef('a.id', '=', 't.target_id')),
        ]),
        eb.and([
          eb('t.scope', '=', 'license'),
          eb.exists(eb.selectFrom('licenses as l').select('l.id').whereRef('l.id', '=', 't.target_id')),
        ]),
      ]),
    )
    .orderBy('t.target_id')
    .execute();
}
