import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';

/** Read side of what Unleash SDKs report (POST /api/client/register and /api/client/metrics). */

export const MAX_HOURS = 24 * 90;

const DateTime = Type.String({ format: 'date-time' });
const Count = Type.Integer({ minimum: 0 });
const VariantCounts = Type.Record(Type.String(), Count, { description: 'Evaluations per variant name' });

export const FlagMetricsParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const FlagMetricsQuery = Type.Object(
  {
    hours: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_HOURS,
        default: 24,
        description: `The window: this many hours up to and including the current one (1–${MAX_HOURS}, default 24)`,
      }),
    ),
  },
  { additionalProperties: false },
);
export type FlagMetricsInput = Static<typeof FlagMetricsQuery>;

const Bucket = Type.Object(
  {
    hour: Type.String({ format: 'date-time', description: 'Start of the hour (UTC)' }),
    yes: Count,
    no: Count,
    variants: VariantCounts,
  },
  { title: 'FlagMetricsBucket' },
);

export const FlagMetrics = Type.Object(
  {
    flagId: Type.String({ format: 'uuid' }),
    flagKey: Type.String(),
    productId: Type.String({ format: 'uuid' }),
    hours: Type.Integer(),
    from: Type.String({ format: 'date-time', description: 'Start of the first hour of the window (inclusive)' }),
    to: Type.String({ format: 'date-time', description: 'End of the current hour (exclusive)' }),
    buckets: Type.Array(Bucket, {
      description: 'One per hour of the window, oldest first; hours without reports are included with zeros',
    }),
    totals: Type.Object({ yes: Count, no: Count, variants: VariantCounts }),
    firstReportedHour: Type.Union([DateTime, Type.Null()], {
      description: 'The earliest hour any SDK reported this flag (any time, not only in the window); null: never',
    }),
    lastReportedHour: Type.Union([DateTime, Type.Null()], {
      description: 'The latest hour any SDK reported this flag (any time, not only in the window); null: never',
    }),
  },
  { title: 'FlagMetrics' },
);
export type FlagMetricsDto = Static<typeof FlagMetrics>;

export const ListFlagClientsQuery = Type.Object(
  {
    ...PageQuery,
    productId: Type.Optional(Type.String({ format: 'uuid' })),
    since: Type.Optional(
      Type.String({ format: 'date-time', description: 'Only instances seen at or after this time' }),
    ),
  },
  { additionalProperties: false },
);
export type ListFlagClientsInput = Static<typeof ListFlagClientsQuery>;

export const FlagClient = Type.Object(
  {
    appName: Type.String(),
    instanceId: Type.String(),
    sdkVersion: Type.String({ description: 'As the SDK reports it, e.g. unleash-client-node:6.1.0 (may be empty)' }),
    strategies: Type.Array(Type.String(), { description: 'Strategy names the SDK implements' }),
    intervalMs: Type.Union([Type.Integer(), Type.Null()], { description: 'Its metrics interval, if it said' }),
    startedAt: Type.Union([DateTime, Type.Null()]),
    registeredAt: Type.String({ format: 'date-time', description: 'First registration' }),
    lastSeenAt: Type.String({ format: 'date-time', description: 'Last registration or metrics report' }),
    stale: Type.Boolean({
      description: 'Not seen for more than 3 metrics intervals (60 s when the SDK gave none)',
    }),
    token: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
    product: Type.Object({ id: Type.String({ format: 'uuid' }), code: Type.String(), name: Type.String() }),
  },
  { title: 'FlagClient' },
);
export type FlagClientDto = Static<typeof FlagClient>;
