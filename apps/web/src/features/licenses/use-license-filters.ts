import { useMemo } from 'react';
import type { LicenseStatus, LicenseType } from '../../api/types.ts';
import { useQueryParams } from '../../app/use-query-params.ts';
import {
  FILTER_KEYS,
  hasActiveFilters,
  type LicenseFilters,
  type LicenseSort,
  parseLicenseFilters,
  toApiQuery,
} from './license-filters.ts';

type Single = 'productId' | 'planId' | 'accountId' | 'expiresBefore' | 'expiresAfter';

/** The Licenses list filters, read from and written to the URL (so Home's counter links and shared links work). */
export function useLicenseFilters() {
  const { params, update } = useQueryParams();
  const key = params.toString();
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the params' value
  const filters = useMemo(() => parseLicenseFilters(params), [key]);
  const apiQuery = useMemo(() => toApiQuery(filters), [filters]);

  return {
    filters,
    apiQuery,
    active: hasActiveFilters(filters),
    setStatus: (status: LicenseStatus[]) => update({ status: status.join(',') || null }),
    setType: (type: LicenseType | null) => update({ type }),
    set: (name: Single, value: string | null) =>
      update(
        name === 'productId' && value !== filters.productId ? { productId: value, planId: null } : { [name]: value },
      ),
    setQ: (q: string) => update({ q: q.trim() ? q : null }),
    setSort: (sort: LicenseSort) => update({ sort: sort === '-createdAt' ? null : sort }),
    clear: () => update(Object.fromEntries(FILTER_KEYS.map((k) => [k, null]))),
  };
}

export type LicenseFiltersState = ReturnType<typeof useLicenseFilters> & { filters: LicenseFilters };
