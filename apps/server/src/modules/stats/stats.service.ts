import { productScope, type RequestContext } from '../../platform/auth/actor.ts';
import { addDays, type Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import * as repo from './stats.repository.ts';
import type { OverviewDto } from './stats.schemas.ts';

export interface StatsDeps {
  db: Db;
  clock: Clock;
  expiringWindowDays: number;
}

const TRIAL_DAYS = [7, 30];
const EXPIRING_DAYS = [30, 60, 90];
const WEEKS = 12;
const MONTHS = 6;

const monthStartUtc = (at: Date, offset = 0) => new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + offset, 1));
const monthKey = (at: Date) => at.toISOString().slice(0, 7);

/** The dashboard's home numbers: license counters, renewals and seats, scoped to a product token's product. */
export class StatsService {
  constructor(private readonly deps: StatsDeps) {}

  async overview(ctx: RequestContext): Promise<OverviewDto> {
    const { db, clock, expiringWindowDays } = this.deps;
    const now = clock.now();
    const scope = productScope(ctx.actor);
    const trialBounds = TRIAL_DAYS.map((d) => addDays(now, d));
    const expiringBounds = EXPIRING_DAYS.map((d) => addDays(now, d));
    const weekBounds = Array.from({ length: WEEKS + 1 }, (_, i) => addDays(now, i * 7));
    const monthStart = monthStartUtc(now);
    const from = monthStartUtc(now, -(MONTHS - 1));

    const [licenses, renewals, seats] = await Promise.all([
      repo.licenseCounts(db, { now, expiringWindowDays, scope, trialBounds, expiringBounds, weekBounds }),
      repo.renewalCounts(db, { scope, from, monthStart, to: monthStartUtc(now, 1) }),
      repo.seatsInUse(db, { now, expiringWindowDays, scope }),
    ]);
    const byMonth = new Map(renewals.map((r) => [r.month, r]));
    const thisMonth = byMonth.get(monthKey(monthStart));

    return {
      asOf: now.toISOString(),
      expiringWindowDays,
      licensesByStatus: licenses.byStatus,
      activeLicenses: licenses.byStatus.active + licenses.byStatus.expiring,
      trialsEnding: TRIAL_DAYS.map((days, i) => ({
        days,
        count: licenses.trials[i] ?? 0,
        before: trialBounds[i]!.toISOString(),
      })),
      expiring: EXPIRING_DAYS.map((days, i) => ({
        days,
        count: licenses.expiring[i] ?? 0,
        before: expiringBounds[i]!.toISOString(),
      })),
      expiringByWeek: weekBounds
        .slice(0, WEEKS)
        .map((start, i) => ({ weekStart: start.toISOString(), count: licenses.weeks[i] ?? 0 })),
      renewals: {
        monthStart: monthStart.toISOString(),
        renewed: thisMonth?.renewed ?? 0,
        extended: thisMonth?.extended ?? 0,
        byMonth: Array.from({ length: MONTHS }, (_, i) => {
          const month = monthKey(monthStartUtc(now, i - (MONTHS - 1)));
          const row = byMonth.get(month);
          return { month, count: (row?.renewed ?? 0) + (row?.extended ?? 0) };
        }),
      },
      seatsInUse: seats,
    };
  }
}
