import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Account, AuditEvent, Page } from '../../api/types.ts';

/** The query of GET /v1/audit-events the filters make (undefined = not filtered). */
export interface AuditQuery {
  action?: string | undefined;
  actorId?: string | undefined;
  accountId?: string | undefined;
  licenseId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

const PAGE_SIZE = 50;

/** The audit log, newest first, a page at a time (keyset cursor). */
export const useAuditEvents = (query: AuditQuery) =>
  useInfiniteQuery({
    queryKey: ['audit', 'list', query],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>('/v1/audit-events', { ...query, limit: PAGE_SIZE, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.nextCursor,
    placeholderData: keepPreviousData,
  });

/** Accounts matching a search, for the account filter. */
export const useAccountOptions = (q: string) =>
  useQuery({
    queryKey: ['accounts', 'options', q],
    queryFn: ({ signal }) => api.get<Page<Account>>('/v1/accounts', { q: q.trim(), limit: 20, sort: 'name' }, signal),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });

/** One account by id (the label of the selected account filter). */
export const useAccountName = (id: string | null) =>
  useQuery({
    queryKey: ['accounts', 'detail', id],
    queryFn: ({ signal }) => api.get<Account>(`/v1/accounts/${id}`, undefined, signal),
    enabled: Boolean(id),
    select: (a) => a.name,
  });

interface Named {
  id: string;
  name: string;
  email?: string;
}

/** Dashboard users and API tokens as actor choices (admins only: others may not list them). */
export const useActorOptions = (enabled: boolean) =>
  useQuery({
    queryKey: ['audit', 'actors'],
    enabled,
    staleTime: 60_000,
    queryFn: async ({ signal }) => {
      const [users, tokens] = await Promise.all([
        api.get<Page<Named>>('/v1/users', { limit: 500 }, signal),
        api.get<Page<Named>>('/v1/tokens', { limit: 500 }, signal),
      ]);
      return [
        ...users.data.map((u) => ({ id: u.id, name: u.name || (u.email ?? u.id), kind: 'user' as const })),
        ...tokens.data.map((t) => ({ id: t.id, name: t.name, kind: 'token' as const })),
      ];
    },
  });
