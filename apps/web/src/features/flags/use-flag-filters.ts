import { useQueryParams } from '../../app/use-query-params.ts';

export type FlagsTab = 'flags' | 'segments' | 'sdks';
const TABS: readonly FlagsTab[] = ['flags', 'segments', 'sdks'];

/**
 * The Feature flags page's state in the URL (?tab=segments|sdks&product=<id>&q=), so a filtered list can be shared and
 * survives a reload. The product filter is shared by the tabs.
 */
export function useFlagFilters() {
  const { params, update } = useQueryParams();
  const productId = params.get('product') ?? '';
  const q = params.get('q') ?? '';
  return {
    tab: TABS.find((tab) => tab === params.get('tab')) ?? 'flags',
    productId,
    q,
    active: Boolean(productId || q),
    setTab: (tab: FlagsTab) => update({ tab: tab === 'flags' ? null : tab, q: null }),
    setProduct: (id: string | null) => update({ product: id }),
    setQ: (value: string) => update({ q: value.trim() ? value : null }),
    clear: () => update({ product: null, q: null }),
  };
}

export type FlagFiltersState = ReturnType<typeof useFlagFilters>;
