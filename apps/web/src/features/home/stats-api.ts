import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { StatsOverview } from '../../api/types.ts';

export const useOverview = () =>
  useQuery({
    queryKey: ['stats', 'overview'],
    queryFn: ({ signal }) => api.get<StatsOverview>('/v1/stats/overview', undefined, signal),
    refetchInterval: 5 * 60_000,
  });
