import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { SearchResults } from '../../api/types.ts';

/** GET /v1/search, debounced while typing; keeps showing the previous results until the new ones arrive. */
export function useSearch(text: string) {
  const [debounced] = useDebouncedValue(text.trim(), 180);
  const query = useQuery({
    queryKey: ['search', debounced],
    queryFn: ({ signal }) => api.get<SearchResults>('/v1/search', { q: debounced, limit: 6 }, signal),
    enabled: debounced.length > 0,
    placeholderData: keepPreviousData,
    staleTime: 10_000,
  });
  return { ...query, term: debounced, settled: debounced === text.trim() && !query.isFetching };
}
