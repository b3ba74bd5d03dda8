import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Page } from '../../api/types.ts';
import type {
  CustomerFlags,
  Enforcement,
  EntitlementsState,
  FlagExplainResult,
  Override,
  PropertyDef,
  PropertyExplanation,
  Target,
  ToggleScope,
  UsageHistory,
} from './entitlements-types.ts';

/** Query keys all start with `entitlements`: every change invalidates the whole view (it is one answer). */
const KEY = 'entitlements';
const targetQuery = (t: Target) => (t.kind === 'license' ? { licenseId: t.id } : { accountId: t.id });

export const useLicenseEntitlements = (licenseId: string) =>
  useQuery({
    queryKey: [KEY, 'license', licenseId],
    queryFn: ({ signal }) => api.get<EntitlementsState>(`/v1/licenses/${licenseId}/entitlements`, undefined, signal),
  });

/** The product's property definitions (ids, options, units), key order; a product has a handful. */
export const useProductProperties = (productId: string | null) =>
  useQuery({
    queryKey: [KEY, 'properties', productId],
    queryFn: ({ signal }) =>
      api.get<Page<PropertyDef>>('/v1/properties', { productId: productId ?? undefined, limit: 500 }, signal),
    enabled: productId !== null,
    staleTime: 60_000,
  });

/** Active overrides of a license, or of an account (not its licenses') within one product. */
export const useOverrides = (target: Target, productId: string | null) =>
  useQuery({
    queryKey: [KEY, 'overrides', target.kind, target.id, productId],
    queryFn: ({ signal }) =>
      api.get<Page<Override>>(
        '/v1/overrides',
        { ...targetQuery(target), productId: productId ?? undefined, limit: 500 },
        signal,
      ),
    enabled: productId !== null,
  });

export const usePropertyExplain = (propertyId: string | null, target: Target) =>
  useQuery({
    queryKey: [KEY, 'explain', 'property', propertyId, target.kind, target.id],
    queryFn: ({ signal }) =>
      api.get<PropertyExplanation>(`/v1/properties/${propertyId}/explain`, targetQuery(target), signal),
    enabled: propertyId !== null,
  });

export const useUsageHistory = (licenseId: string, propertyKey: string | null) =>
  useQuery({
    queryKey: [KEY, 'usage-history', licenseId, propertyKey],
    queryFn: ({ signal }) =>
      api.get<UsageHistory>(
        `/v1/licenses/${licenseId}/usage/${encodeURIComponent(propertyKey ?? '')}/history`,
        { limit: 10 },
        signal,
      ),
    enabled: propertyKey !== null,
  });

export const useLicenseFlags = (licenseId: string) =>
  useQuery({
    queryKey: [KEY, 'flags', 'license', licenseId],
    queryFn: ({ signal }) => api.get<CustomerFlags>(`/v1/licenses/${licenseId}/flags`, undefined, signal),
  });

export const useAccountFlags = (accountId: string, productId: string | null) =>
  useQuery({
    queryKey: [KEY, 'flags', 'account', accountId, productId],
    queryFn: ({ signal }) =>
      api.get<CustomerFlags>(`/v1/accounts/${accountId}/flags`, { productId: productId ?? undefined }, signal),
    enabled: productId !== null,
  });

/** Explain has no side effects (POST only because it takes a context): a query, not a mutation. */
export const useFlagExplain = (flagId: string | null, target: Target) =>
  useQuery({
    queryKey: [KEY, 'explain', 'flag', flagId, target.kind, target.id],
    queryFn: () => api.post<FlagExplainResult>(`/v1/flags/${flagId}/explain`, targetQuery(target)),
    enabled: flagId !== null,
  });

export interface OverrideInput {
  value: unknown;
  /** null on edit: follow the plan's enforcement again. */
  enforcement?: Enforcement | null;
  reason: string;
  /** null on edit: no expiry. */
  expiresAt?: string | null;
}

export const createOverride = (propertyId: string, target: Target, input: OverrideInput) =>
  api.post<Override>('/v1/overrides', {
    propertyId,
    ...targetQuery(target),
    value: input.value,
    reason: input.reason,
    ...(input.enforcement ? { enforcement: input.enforcement } : {}),
    ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
  });

export const updateOverride = (id: string, input: OverrideInput) => api.patch<Override>(`/v1/overrides/${id}`, input);

export const deleteOverride = (id: string) => api.delete(`/v1/overrides/${id}`);

export const putToggle = (flagId: string, scope: ToggleScope, targetId: string, enabled: boolean, reason: string) =>
  api.put(`/v1/flags/${flagId}/toggles/${scope}/${targetId}`, { enabled, ...(reason ? { reason } : {}) });

export const deleteToggle = (flagId: string, scope: ToggleScope, targetId: string) =>
  api.delete(`/v1/flags/${flagId}/toggles/${scope}/${targetId}`);

/** After a change: this view, and the history (audit) of the license and account. */
export function useInvalidateEntitlements() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: [KEY] });
    void queryClient.invalidateQueries({ queryKey: ['license-audit'] });
    void queryClient.invalidateQueries({ queryKey: ['accounts', 'audit'] });
  };
}

/** Runs a change, then refreshes the view (also after a failure: someone else may have changed it). */
export function useEntitlementChange<I, R>(run: (input: I) => Promise<R>) {
  const invalidate = useInvalidateEntitlements();
  return useMutation({ mutationFn: run, onSettled: invalidate });
}
