import { Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SearchInput } from '../../components/SearchInput.tsx';
import { ProductSelect } from './ProductSelect.tsx';
import type { FlagFiltersState } from './use-flag-filters.ts';

/** Product filter and search (debounced), both kept in the URL. */
export function FilterBar({ filters, searchLabel }: { filters: FlagFiltersState; searchLabel: string }) {
  const { t } = useTranslation('flags');
  return (
    <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
      <ProductSelect
        w={260}
        clearable
        placeholder={t('filters.allProducts')}
        aria-label={t('filters.product')}
        value={filters.productId || null}
        onChange={(id) => filters.setProduct(id)}
        data-testid="product-filter"
      />
      <SearchInput
        value={filters.q}
        onSearch={filters.setQ}
        placeholder={searchLabel}
        label={searchLabel}
        testId="flag-search"
      />
    </Group>
  );
}
