import { type Static, Type } from '@sinclair/typebox';

const DateTime = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });

/** A count of licenses ending before `before` (strictly), i.e. within `days` days from `asOf`. */
const EndingWithin = Type.Object({ days: Type.Integer(), count: Count, before: DateTime });

export const Overview = Type.Object(
  {
    asOf: Type.String({ format: 'date-time', description: 'The server time the numbers were computed at' }),
    expiringWindowDays: Type.Integer({ description: 'A license ending within this many days is `expiring`' }),
    licensesByStatus: Type.Object({
      pending: Count,
      active: Count,
      expiring: Count,
      in_grace: Count,
      expired: Count,
      suspended: Count,
      revoked: Count,
    }),
    activeLicenses: Type.Integer({ description: 'Licenses with status active or expiring (valid, not in grace)' }),
    trialsEnding: Type.Array(EndingWithin, {
      description: 'Trial licenses with status active or expiring that end within 7 and 30 days',
    }),
    expiring: Type.Array(EndingWithin, {
      description: 'Licenses with status active or expiring that end within 30, 60 and 90 days',
    }),
    expiringByWeek: Type.Array(Type.Object({ weekStart: DateTime, count: Count }), {
      description: 'Licenses (active or expiring) ending in each of the next 12 weeks, starting now',
    }),
    renewals: Type.Object({
      monthStart: Type.String({ format: 'date-time', description: 'First instant of this month (UTC)' }),
      renewed: Type.Integer({ description: "Audit events 'license.renewed' this month" }),
      extended: Type.Integer({ description: "Audit events 'license.extended' this month" }),
      byMonth: Type.Array(Type.Object({ month: Type.String({ examples: ['2026-01'] }), count: Count }), {
        description: 'Renewals and extensions per month (UTC), the last 6 months including this one',
      }),
    }),
    seatsInUse: Type.Integer({
      description:
        'Live machines (not dead under the heartbeat rule) on licenses that are active, expiring or in grace',
    }),
  },
  { title: 'StatsOverview' },
);
export type OverviewDto = Static<typeof Overview>;
