import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import type { FlagExplainResult } from '../entitlements/entitlements-types.ts';
import type { Constraint, Flag, FlagDefinitionInput, FlagToggle, FlagType, Segment } from './flags-types.ts';

/** Query keys start with `flags`; a change invalidates them all (and the customers' flag views). */
const KEY = 'flags';

export interface FlagFilters {
  productId?: string | undefined;
  q?: string | undefined;
}

/** One page of 500 flags in key order (a product has tens; the list filters by product and key). */
export const useFlags = (filters: FlagFilters) =>
  useQuery({
    queryKey: [KEY, 'list', filters],
    queryFn: ({ signal }) =>
      api.get<Page<Flag>>('/v1/flags', { productId: filters.productId, q: filters.q?.trim(), limit: 500 }, signal),
    placeholderData: keepPreviousData,
  });

export const useFlag = (id: string) =>
  useQuery({
    queryKey: [KEY, 'detail', id],
    queryFn: ({ signal }) => api.get<Flag>(`/v1/flags/${id}`, undefined, signal),
  });

/** A product's segments (or every product's), name order. */
export const useSegments = (productId: string | undefined, q?: string) =>
  useQuery({
    queryKey: [KEY, 'segments', productId ?? null, q ?? ''],
    queryFn: ({ signal }) =>
      api.get<Page<Segment>>('/v1/flag-segments', { productId, q: q?.trim(), limit: 500 }, signal),
    placeholderData: keepPreviousData,
  });

export const useFlagToggles = (flagId: string) =>
  useQuery({
    queryKey: [KEY, 'toggles', flagId],
    queryFn: ({ signal }) => api.get<Page<FlagToggle>>(`/v1/flags/${flagId}/toggles`, { limit: 500 }, signal),
  });

export interface NewFlag {
  productId: string;
  key: string;
  type: FlagType;
  description: string;
}

export const createFlag = (input: NewFlag) => api.post<Flag>('/v1/flags', { ...input, enabled: false });
export const updateFlag = (id: string, input: FlagDefinitionInput) => api.patch<Flag>(`/v1/flags/${id}`, input);
export const deleteFlag = (id: string, force = false) => api.delete(`/v1/flags/${id}${force ? '?force=true' : ''}`);

export interface SegmentInput {
  name: string;
  description: string;
  constraints: Constraint[];
}
export const createSegment = (productId: string, input: SegmentInput) =>
  api.post<Segment>('/v1/flag-segments', { productId, ...input });
export const updateSegment = (id: number, input: SegmentInput) => api.patch<Segment>(`/v1/flag-segments/${id}`, input);
export const deleteSegment = (id: number) => api.delete(`/v1/flag-segments/${id}`);

export const putFlagToggle = (t: Pick<FlagToggle, 'flagId' | 'scope' | 'targetId' | 'enabled' | 'reason'>) =>
  api.put(`/v1/flags/${t.flagId}/toggles/${t.scope}/${t.targetId}`, {
    enabled: t.enabled,
    ...(t.reason ? { reason: t.reason } : {}),
  });
export const deleteFlagToggle = (t: Pick<FlagToggle, 'flagId' | 'scope' | 'targetId'>) =>
  api.delete(`/v1/flags/${t.flagId}/toggles/${t.scope}/${t.targetId}`);

export interface ExplainInput {
  licenseId?: string;
  accountId?: string;
  context?: { properties?: Record<string, string>; userId?: string; sessionId?: string; remoteAddress?: string };
}
export const explainFlag = (flagId: string, input: ExplainInput) =>
  api.post<FlagExplainResult>(`/v1/flags/${flagId}/explain`, input);

/** After a change: every flag view, and the customers' "Flags & entitlements" (they evaluate the flags). */
export function useInvalidateFlags() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: [KEY] });
    void queryClient.invalidateQueries({ queryKey: ['entitlements'] });
  };
}

/** Puts a flag the server returned into the cache (the detail page shows it without a refetch). */
export function useStoreFlag() {
  const queryClient = useQueryClient();
  return (flag: Flag) => queryClient.setQueryData([KEY, 'detail', flag.id], flag);
}
