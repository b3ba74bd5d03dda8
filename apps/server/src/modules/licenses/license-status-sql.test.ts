import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { computeStatus, LICENSE_STATUSES } from './license-status.ts';
import { licenseStatusSql } from './license-status-sql.ts';
import { catalog, insertLicenses, insertPlan, statusCases } from './test-fixtures.ts';

// Around the 2026 DST changes in Europe (29 March, 25 October): the SQL must count whole 24-hour days like addDays,
// whatever the session time zone.
const MOMENTS = ['2026-01-15T12:00:00.000Z', '2026-03-30T12:00:00.000Z', '2026-10-26T00:30:00.000Z'];

describe(`licenseStatusSql equals computeStatus (${dbKind})`, () => {
  let t: TestApp;
  let productId: string;
  beforeAll(async () => {
    t = await startTestApp();
    const c = await catalog(t, 'SQLSTAT');
    productId = c.product.id;
    for (const graceDays of [0, 3, 7]) {
      const plan = await insertPlan(t, c.product.id, { name: `grace ${graceDays}`, grace_days: graceDays });
      for (const moment of MOMENTS) {
        for (const windowDays of [7, 30]) {
          await insertLicenses(t, plan, c.account.id, statusCases(new Date(moment), windowDays));
        }
      }
    }
  });
  afterAll(async () => t.close());

  it.each(
    MOMENTS.flatMap((moment) => [7, 30].flatMap((w) => ['UTC', 'Europe/Berlin'].map((tz) => [moment, w, tz] as const))),
  )('at %s, window %i days, session time zone %s', async (moment, windowDays, timeZone) => {
    const now = new Date(moment);
    const rows = await t.kw.database.db.transaction().execute(async (trx) => {
      await sql`select set_config('TimeZone', ${timeZone}, true)`.execute(trx);
      return trx
        .selectFrom('licenses as l')
        .innerJoin('plans as p', 'p.id', 'l.plan_id')
        .select(['l.id', 'l.starts_at', 'l.ends_at', 'l.suspended', 'l.revoked', 'p.grace_days'])
        .select(licenseStatusSql(now, windowDays).as('sql_status'))
        .where('l.product_id', '=', productId)
        .execute();
    });
    expect(rows.length).toBeGreaterThan(1000);
    const mismatches = rows
      .map((r) => ({ ...r, js_status: computeStatus(r, r.grace_days, now, windowDays) }))
      .filter((r) => r.js_status !== r.sql_status);
    expect(mismatches).toEqual([]);
    // The set really exercises every status.
    expect(new Set(rows.map((r) => r.sql_status))).toEqual(new Set(LICENSE_STATUSES));
  });
});
