import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import type { Page } from '../../../api/types.ts';

/** GET /v1/flags/:id/metrics (apps/server/src/modules/flag-metrics/flag-metrics.schemas.ts). */
export interface FlagMetricsBucket {
  /** Start of the hour (UTC). */
  hour: string;
  yes: number;
  no: number;
  variants: Record<string, number>;
}

export interface FlagMetrics {
  flagId: string;
  flagKey: string;
  productId: string;
  hours: number;
  from: string;
  to: string;
  /** Every hour of the window, oldest first (zeros where nothing was reported). */
  buckets: FlagMetricsBucket[];
  totals: { yes: number; no: number; variants: Record<string, number> };
  firstReportedHour: string | null;
  lastReportedHour: string | null;
}

/** GET /v1/flag-clients: an SDK instance registered through the Unleash client API. */
export interface FlagClient {
  appName: string;
  instanceId: string;
  sdkVersion: string;
  strategies: string[];
  intervalMs: number | null;
  startedAt: string | null;
  registeredAt: string;
  lastSeenAt: string;
  /** Not seen for more than 3 metrics intervals (computed by the server). */
  stale: boolean;
  token: { id: string; name: string };
  product: { id: string; code: string; name: string };
}

/** SDKs report every minute: look again about as often. */
const REFRESH_MS = 60_000;

export const useFlagMetrics = (flagId: string, hours: number) =>
  useQuery({
    queryKey: ['flag-metrics', flagId, hours],
    queryFn: ({ signal }) => api.get<FlagMetrics>(`/v1/flags/${flagId}/metrics`, { hours }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: REFRESH_MS,
  });

const PAGE_SIZE = 50;

export const useFlagClients = (productId: string | null) =>
  useInfiniteQuery({
    queryKey: ['flag-clients', productId],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<FlagClient>>(
        '/v1/flag-clients',
        { productId: productId ?? undefined, limit: PAGE_SIZE, cursor: pageParam },
        signal,
      ),
    getNextPageParam: (last) => last.nextCursor,
    refetchInterval: REFRESH_MS,
  });
