import { type RawBuilder, sql } from 'kysely';
import { addDays } from '../../platform/clock.ts';
import type { LicenseStatus } from './license-status.ts';

/**
 * The SQL twin of computeStatus (license-status.ts): the same rules, the same precedence
 * (revoked > suspended > pending > expired > in grace > expiring > active), evaluated in the database so lists can
 * filter by status. `now` is the injected clock's time (never SQL now()); the grace period is whole 24-hour days
 * like addDays (an interval of hours, so no time-zone/DST arithmetic). Keep both in step: license-status-sql.test.ts
 * checks that they agree for many licenses.
 *
 * @param license alias of the licenses table in the query
 * @param plan alias of the plans table (for grace_days)
 */
export function licenseStatusSql(
  now: Date,
  expiringWindowDays: number,
  license = 'l',
  plan = 'p',
): RawBuilder<LicenseStatus> {
  const l = (column: string) => sql.ref(`${license}.${column}`);
  const at = sql`cast(${now.toISOString()} as timestamptz)`;
  const expiringUntil = sql`cast(${addDays(now, expiringWindowDays).toISOString()} as timestamptz)`;
  const graceEnd = sql`${l('ends_at')} + ${sql.ref(`${plan}.grace_days`)} * interval '24 hours'`;
  return sql<LicenseStatus>`(case
    when ${l('revoked')} then 'revoked'
    when ${l('suspended')} then 'suspended'
    when ${l('starts_at')} > ${at} then 'pending'
    when ${l('ends_at')} is null then 'active'
    when ${l('ends_at')} <= ${at} then (case when ${graceEnd} > ${at} then 'in_grace' else 'expired' end)
    when ${l('ends_at')} <= ${expiringUntil} then 'expiring'
    else 'active'
  end)`;
}
