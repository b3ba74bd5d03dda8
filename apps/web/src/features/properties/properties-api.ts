import { useMutation, useQueries, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useInvalidateEntitlements } from '../entitlements/entitlements-api.ts';
import type { Enforcement, PropertyDef, PropertyType } from '../entitlements/entitlements-types.ts';
import type { PropertyBody } from './property-form.ts';

/**
 * The entitlements catalog of a product: property definitions (`useProductProperties` of the entitlements feature)
 * and each plan's values. Query keys start with `entitlements`, so one invalidation refreshes this screen and the
 * "Flags & entitlements" tab of licenses and accounts alike.
 */

/** A plan's stored value of a property (GET /v1/plans/:id/properties). */
export interface StoredPlanValue {
  value: unknown;
  enforcement: Enforcement | null;
  /** Only the enforcement is set: the value comes from the base plan (or the default). */
  inheritsValue: boolean;
  updatedAt: string;
}

export interface PlanPropertyValue {
  property: { id: string; key: string; name: string; type: PropertyType; unit: string };
  /** What the plan gives: its own value, else its base plan's, else the default. */
  value: unknown;
  enforcement: Enforcement | null;
  source: 'plan' | 'base_plan' | 'default';
  planValue: StoredPlanValue | null;
  basePlanValue: StoredPlanValue | null;
  defaultValue: unknown;
}

export interface PlanProperties {
  plan: { id: string; name: string; productId: string; basePlan: { id: string; name: string } | null };
  data: PlanPropertyValue[];
}

/** PUT /v1/plans/:id/properties/:propertyId: a value (and enforcement), or only an enforcement. */
export interface PlanValueBody {
  value?: unknown;
  enforcement?: Enforcement | null;
}

/** The values of several plans (a product has a handful), one query each. */
export const usePlanValues = (planIds: string[]) =>
  useQueries({
    queries: planIds.map((id) => ({
      queryKey: ['entitlements', 'plan-values', id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<PlanProperties>(`/v1/plans/${id}/properties`, undefined, signal),
    })),
  });

/** After a change: this screen, every entitlements view (license, account) and the audit log. */
function useInvalidateCatalog() {
  const queryClient = useQueryClient();
  const invalidateEntitlements = useInvalidateEntitlements();
  return () => {
    invalidateEntitlements();
    void queryClient.invalidateQueries({ queryKey: ['audit'] });
  };
}

/** A change of the catalog; refreshes after success and failure alike (someone else may have changed it). */
function useCatalogChange<I, R>(run: (input: I) => Promise<R>) {
  const invalidate = useInvalidateCatalog();
  return useMutation({ mutationFn: run, onSettled: invalidate });
}

export const useSaveProperty = () =>
  useCatalogChange(({ id, productId, body }: { id: string | null; productId: string; body: Partial<PropertyBody> }) =>
    id
      ? api.patch<PropertyDef>(`/v1/properties/${id}`, body)
      : api.post<PropertyDef>('/v1/properties', { productId, ...body }),
  );

export const useDeleteProperty = () =>
  useCatalogChange(({ id, force }: { id: string; force: boolean }) =>
    api.delete(`/v1/properties/${id}${force ? '?force=true' : ''}`),
  );

export const useSetPlanValue = () =>
  useCatalogChange(({ planId, propertyId, body }: { planId: string; propertyId: string; body: PlanValueBody }) =>
    api.put<PlanPropertyValue>(`/v1/plans/${planId}/properties/${propertyId}`, body),
  );

export const useRemovePlanValue = () =>
  useCatalogChange(({ planId, propertyId }: { planId: string; propertyId: string }) =>
    api.delete(`/v1/plans/${planId}/properties/${propertyId}`),
  );
