import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { LicenseType } from '../../platform/db/schema.ts';
import { badRequest } from '../../platform/errors.ts';
import { type Cursor, isIsoDate } from '../../platform/http/pagination.ts';
import type { LicenseStatus } from './license-status.ts';
import { licenseStatusSql } from './license-status-sql.ts';
import { type LicenseView, licenseViewQuery } from './licenses.repository.ts';
import type { LicenseSort } from './licenses.schemas.ts';

export interface LicenseListOptions {
  limit: number;
  after: Cursor | null;
  sort: LicenseSort;
  now: Date;
  expiringWindowDays: number;
  /** Product a scoped token is confined to (null = all). */
  scopeProductId: string | null;
  statuses?: LicenseStatus[] | undefined;
  productId?: string | undefined;
  planId?: string | undefined;
  accountId?: string | undefined;
  type?: LicenseType | undefined;
  expiresBefore?: Date | undefined;
  expiresAfter?: Date | undefined;
  q?: string | undefined;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const invalidCursor = () =>
  badRequest('INVALID_CURSOR', 'The cursor is not one this server issued for this sort order', [
    { field: '/querystring/cursor', message: 'is not a valid cursor' },
  ]);

/** Checks a decoded cursor against the sort order; the sort value is an ISO date (null only for endsAt). */
function cursorValue(after: Cursor, sort: LicenseSort): Date | null {
  if (!UUID.test(after.id)) throw invalidCursor();
  if (after.v === null) {
    if (sort === 'createdAt' || sort === '-createdAt') throw invalidCursor();
    return null;
  }
  if (!isIsoDate(after.v)) throw invalidCursor();
  return new Date(after.v);
}

export const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/** The cursor of a row for a sort order: (sort value, id); a null end date is encoded as null. */
export function cursorOf(row: LicenseView, sort: LicenseSort): Cursor {
  const value = sort === 'endsAt' || sort === '-endsAt' ? row.ends_at : row.created_at;
  return { v: value ? value.toISOString() : null, id: row.id };
}

/**
 * One page of licenses (limit + 1 rows, see toPage) in one SQL statement: filters, search, status computed in SQL
 * with the same rules as computeStatus, and keyset pagination on (sort value, id) with null end dates last.
 */
export function listLicenses(db: Db, o: LicenseListOptions): Promise<LicenseView[]> {
  const byEnd = o.sort === 'endsAt' || o.sort === '-endsAt';
  const desc = o.sort.startsWith('-');
  const column = byEnd ? 'l.ends_at' : 'l.created_at';
  const dir = desc ? 'desc' : 'asc';

  let query = licenseViewQuery(db)
    .orderBy(sql.ref(column), (ob) => (desc ? ob.desc() : ob.asc()).nullsLast())
    .orderBy('l.id', dir)
    .limit(o.limit + 1);

  if (o.scopeProductId) query = query.where('l.product_id', '=', o.scopeProductId);
  if (o.productId) query = query.where('l.product_id', '=', o.productId);
  if (o.planId) query = query.where('l.plan_id', '=', o.planId);
  if (o.accountId) query = query.where('l.account_id', '=', o.accountId);
  if (o.type) query = query.where('l.license_type', '=', o.type);
  if (o.expiresBefore) query = query.where('l.ends_at', '<', o.expiresBefore);
  if (o.expiresAfter) query = query.where('l.ends_at', '>', o.expiresAfter);
  if (o.statuses?.length) {
    const statuses = o.statuses;
    query = query.where((eb) => eb(licenseStatusSql(o.now, o.expiringWindowDays), 'in', statuses));
  }
  if (o.q) {
    const text = escapeLike(o.q.trim());
    const contains = `%${text}%`;
    query = query.where((eb) =>
      eb.or([
        eb('l.key', 'ilike', `${text}%`),
        eb('l.name', 'ilike', contains),
        eb('a.name', 'ilike', contains),
        eb('a.crm_id', 'ilike', contains),
        sql<boolean>`exists (select 1 from unnest(${sql.ref('l.domains')}) as d(domain) where d.domain ilike ${contains})`,
      ]),
    );
  }

  if (o.after) {
    const id = o.after.id;
    const value = cursorValue(o.after, o.sort);
    const idAfter = desc ? '<' : '>';
    const valueAfter = desc ? '<' : '>';
    query = query.where((eb) => {
      if (value === null) return eb.and([eb(column, 'is', null), eb('l.id', idAfter, id)]);
      const rest = [eb(column, valueAfter, value), eb.and([eb(column, '=', value), eb('l.id', idAfter, id)])];
      // Null end dates sort after every date, in both directions.
      return eb.or(byEnd ? [...rest, eb(column, 'is', null)] : rest);
    });
  }
  return query.execute();
}
