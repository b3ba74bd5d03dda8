import type { RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { NewLicense, PlanRow } from '../../platform/db/schema.ts';
import { recordAuditMany } from '../audit/audit.write.ts';

/** Bulk license import (CSV): look-ups for validation and batch inserts, audited like any change. */

const CHUNK = 1000;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export type PlanWithProduct = PlanRow & { product_code: string };

export function allPlans(db: Db): Promise<PlanWithProduct[]> {
  return db
    .selectFrom('plans as p')
    .innerJoin('products as pr', 'pr.id', 'p.product_id')
    .selectAll('p')
    .select('pr.code as product_code')
    .execute();
}

/** Accounts by id and by CRM id, for the given references. */
export async function findAccounts(db: Db, ids: string[], crmIds: string[]) {
  const byId = new Map<string, string>();
  const byCrmId = new Map<string, string>();
  for (const part of chunks([...new Set(ids)])) {
    const rows = await db.selectFrom('accounts').select('id').where('id', 'in', part).execute();
    for (const r of rows) byId.set(r.id, r.id);
  }
  for (const part of chunks([...new Set(crmIds)])) {
    const rows = await db.selectFrom('accounts').select(['id', 'crm_id']).where('crm_id', 'in', part).execute();
    for (const r of rows) if (r.crm_id) byCrmId.set(r.crm_id, r.id);
  }
  return { byId, byCrmId };
}

/** Which of these license keys exist already. */
export async function existingKeys(db: Db, keys: string[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (const part of chunks([...new Set(keys)])) {
    const rows = await db.selectFrom('licenses').select('key').where('key', 'in', part).execute();
    for (const r of rows) found.add(r.key);
  }
  return found;
}

export interface ImportedLicense {
  values: NewLicense;
  row: number;
}

/**
 * Inserts a batch of licenses and one `license.imported` audit event per license (same transaction, same shape
 * as any change; in bulk, because 10,000 single-row audit inserts would dominate an import).
 */
export async function insertLicenseBatch(
  trx: Db,
  ctx: RequestContext,
  clock: Clock,
  batch: ImportedLicense[],
  source: string,
): Promise<string[]> {
  const inserted = await trx
    .insertInto('licenses')
    .values(batch.map((b) => b.values))
    .returning(['id', 'key'])
    .execute();
  const idByKey = new Map(inserted.map((r) => [r.key, r.id]));
  await recordAuditMany(
    trx,
    ctx,
    clock,
    batch.map(({ values: v, row }) => {
      const id = idByKey.get(v.key)!;
      return {
        action: 'license.imported',
        targetType: 'license',
        targetId: id,
        productId: v.product_id,
        accountId: v.account_id,
        licenseId: id,
        after: {
          id,
          key: v.key,
          name: v.name,
          productId: v.product_id,
          planId: v.plan_id,
          accountId: v.account_id,
          licenseType: v.license_type,
          startsAt: v.starts_at.toISOString(),
          endsAt: v.ends_at?.toISOString() ?? null,
          maxMachines: v.max_machines,
          suspended: v.suspended ?? false,
          revoked: v.revoked ?? false,
          source,
          row,
        },
      };
    }),
  );
  return inserted.map((r) => r.id);
}
