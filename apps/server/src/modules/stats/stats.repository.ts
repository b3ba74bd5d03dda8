import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { LicenseStatus } from '../licenses/license-status.ts';
import { licenseStatusSql } from '../licenses/license-status-sql.ts';

export type StatusCounts = Record<LicenseStatus, number>;

export interface LicenseCountsOptions {
  now: Date;
  expiringWindowDays: number;
  /** Product a scoped token is confined to (null = all). */
  scope: string | null;
  /** Cut-offs (exclusive) for trials ending soon. */
  trialBounds: Date[];
  /** Cut-offs (exclusive) for licenses ending soon. */
  expiringBounds: Date[];
  /** Start instants of consecutive weeks; the last one is the end of the last week. */
  weekBounds: Date[];
}

export interface LicenseCounts {
  byStatus: StatusCounts;
  trials: number[];
  expiring: number[];
  weeks: number[];
}

const STATUSES: LicenseStatus[] = ['pending', 'active', 'expiring', 'in_grace', 'expired', 'suspended', 'revoked'];
const VALID = sql`s.status in ('active', 'expiring')`;
const ts = (d: Date) => sql`cast(${d.toISOString()} as timestamptz)`;

/** Every license counter of the overview in one statement: status computed in SQL, conditional counts. */
export async function licenseCounts(db: Db, o: LicenseCountsOptions): Promise<LicenseCounts> {
  const status = licenseStatusSql(o.now, o.expiringWindowDays);
  const scope = o.scope === null ? sql`true` : sql`l.product_id = ${o.scope}`;
  const columns = [
    ...STATUSES.map((st) => sql`count(*) filter (where s.status = ${st})::int`),
    ...o.trialBounds.map(
      (b) => sql`count(*) filter (where ${VALID} and s.license_type = 'trial' and s.ends_at < ${ts(b)})::int`,
    ),
    ...o.expiringBounds.map((b) => sql`count(*) filter (where ${VALID} and s.ends_at < ${ts(b)})::int`),
    ...o.weekBounds.slice(1).map((end, i) => {
      const start = o.weekBounds[i] as Date;
      return sql`count(*) filter (where ${VALID} and s.ends_at >= ${ts(start)} and s.ends_at < ${ts(end)})::int`;
    }),
  ];
  const { rows } = await sql<{ counts: number[] }>`
    with s as (
      select l.license_type, l.ends_at, ${status} as status
      from licenses l join plans p on p.id = l.plan_id
      where ${scope}
    )
    select array[${sql.join(columns)}] as counts from s`.execute(db);
  const counts = (rows[0]?.counts ?? []).map(Number);
  let i = 0;
  const take = (n: number) => {
    const part = counts.slice(i, i + n);
    i += n;
    return part;
  };
  const statusCounts = take(STATUSES.length);
  return {
    byStatus: Object.fromEntries(STATUSES.map((st, k) => [st, statusCounts[k] ?? 0])) as StatusCounts,
    trials: take(o.trialBounds.length),
    expiring: take(o.expiringBounds.length),
    weeks: take(o.weekBounds.length - 1),
  };
}

export interface AuditCountsOptions {
  scope: string | null;
  /** Start of the first month counted. */
  from: Date;
  /** Start of this month (renewed/extended are counted from here). */
  monthStart: Date;
  /** Start of the next month (exclusive end). */
  to: Date;
}

/** Renewals and extensions per UTC month ('YYYY-MM'), split by action for this month; one statement. */
export async function renewalCounts(db: Db, o: AuditCountsOptions) {
  const scope = o.scope === null ? sql`true` : sql`product_id = ${o.scope}`;
  const { rows } = await sql<{ month: string; renewed: number; extended: number }>`
    select to_char(date_trunc('month', at at time zone 'UTC'), 'YYYY-MM') as month,
      count(*) filter (where action = 'license.renewed')::int as renewed,
      count(*) filter (where action = 'license.extended')::int as extended
    from audit_events
    where action in ('license.renewed', 'license.extended') and at >= ${ts(o.from)} and at < ${ts(o.to)} and ${scope}
    group by 1`.execute(db);
  return rows.map((r) => ({ month: r.month, renewed: Number(r.renewed), extended: Number(r.extended) }));
}

/** Live machines (the heartbeat rule of the client API) on licenses that are active, expiring or in grace. */
export async function seatsInUse(db: Db, o: { now: Date; expiringWindowDays: number; scope: string | null }) {
  const status = licenseStatusSql(o.now, o.expiringWindowDays);
  const scope = o.scope === null ? sql`true` : sql`l.product_id = ${o.scope}`;
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n
    from machines m join licenses l on l.id = m.license_id join plans p on p.id = l.plan_id
    where ${scope}
      and ${status} in ('active', 'expiring', 'in_grace')
      and (p.heartbeat_interval_seconds is null
        or coalesce(m.last_heartbeat_at, m.created_at)
          >= ${ts(o.now)} - make_interval(secs => p.heartbeat_interval_seconds))`.execute(db);
  return Number(rows[0]?.n ?? 0);
}
