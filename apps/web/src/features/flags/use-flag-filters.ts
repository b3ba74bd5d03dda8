import { useSearchParams } from 'react-router';

export type FlagsTab = 'flags' | 'segments';

/**
 * The Feature flags page's state in the URL (?tab=segments&product=<id>&q=), so a filtered list can be shared and
 * survives a reload. The product filter is shared by both tabs.
 */
export function useFlagFilters() {
  const [params, setParams] = useSearchParams();
  const update = (changes: Record<string, string | null>) =>
    setParams(
      (prev) => {
        const next = new URLSearchParams(prev);
        for (const [key, value] of Object.entries(changes)) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        return next;
      },
      { replace: true },
    );
  const productId = params.get('product') ?? '';
  const q = params.get('q') ?? '';
  return {
    tab: (params.get('tab') === 'segments' ? 'segments' : 'flags') as FlagsTab,
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
