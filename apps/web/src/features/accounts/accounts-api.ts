import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Account, AuditEvent, License, Machine, Page } from '../../api/types.ts';

export interface AccountFilters {
  q: string;
  createdAfter: string | null;
  createdBefore: string | null;
  sort: 'createdAt' | '-createdAt' | 'name';
}

export interface AccountInput {
  name: string;
  crmId?: string | null;
  emailDomains?: string[];
  contacts?: { name: string; email: string; role?: string }[];
  notes?: string;
}

const PAGE_SIZE = 25;

/** Accounts, a page at a time (keyset cursor), filtered on the server. */
export function useAccountsList(filters: AccountFilters) {
  return useInfiniteQuery({
    queryKey: ['accounts', 'list', filters],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<Account>>(
        '/v1/accounts',
        {
          q: filters.q.trim(),
          createdAfter: filters.createdAfter,
          createdBefore: filters.createdBefore,
          sort: filters.sort,
          limit: PAGE_SIZE,
          cursor: pageParam,
        },
        signal,
      ),
    getNextPageParam: (last) => last.nextCursor,
  });
}

export const useAccount = (id: string) =>
  useQuery({
    queryKey: ['accounts', 'detail', id],
    queryFn: ({ signal }) => api.get<Account>(`/v1/accounts/${id}`, undefined, signal),
  });

export function useCreateAccount() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AccountInput) => api.post<Account>('/v1/accounts', input),
    onSuccess: (account) => {
      queryClient.setQueryData(['accounts', 'detail', account.id], account);
      void queryClient.invalidateQueries({ queryKey: ['accounts', 'list'] });
    },
  });
}

export function useUpdateAccount(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: Partial<AccountInput>) => api.patch<Account>(`/v1/accounts/${id}`, input),
    onSuccess: (account) => {
      queryClient.setQueryData(['accounts', 'detail', id], account);
      void queryClient.invalidateQueries({ queryKey: ['accounts', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['accounts', 'audit', id] });
    },
  });
}

/** All licenses of an account (pages of 100 until done: an account rarely has more than a few). */
export const useAccountLicenses = (accountId: string) =>
  useInfiniteQuery({
    queryKey: ['licenses', 'byAccount', accountId],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<License>>('/v1/licenses', { accountId, limit: 100, cursor: pageParam, sort: 'endsAt' }, signal),
    getNextPageParam: (last) => last.nextCursor,
  });

export const useLicenseMachines = (licenseId: string) =>
  useQuery({
    queryKey: ['machines', 'byLicense', licenseId],
    queryFn: ({ signal }) => api.get<Page<Machine>>(`/v1/licenses/${licenseId}/machines`, { limit: 100 }, signal),
  });

export const useAccountAudit = (accountId: string) =>
  useInfiniteQuery({
    queryKey: ['accounts', 'audit', accountId],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>(`/v1/accounts/${accountId}/audit-events`, { limit: 25, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.nextCursor,
  });
