import { QueryClient } from '@tanstack/react-query';
import { isApiError } from '../api/errors.ts';

/** Retries only what may succeed on retry (network errors, 5xx), never 4xx. */
export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 30_000,
      refetchOnWindowFocus: false,
      retry: (count, err) => count < 2 && (!isApiError(err) || err.status === 0 || err.status >= 500),
    },
    mutations: { retry: false },
  },
});
