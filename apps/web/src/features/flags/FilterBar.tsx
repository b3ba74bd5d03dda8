import { CloseButton, Group, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProductSelect } from './ProductSelect.tsx';
import type { FlagFiltersState } from './use-flag-filters.ts';

/** Product filter and search (debounced), both kept in the URL. */
export function FilterBar({ filters, searchLabel }: { filters: FlagFiltersState; searchLabel: string }) {
  const { t } = useTranslation('flags');
  const [text, setText] = useState(filters.q);
  const push = useDebouncedCallback((value: string) => filters.setQ(value), 250);
  useEffect(() => setText(filters.q), [filters.q]);
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
      <TextInput
        style={{ flex: '1 1 240px' }}
        maw={420}
        leftSection={<IconSearch size={16} />}
        placeholder={searchLabel}
        aria-label={searchLabel}
        value={text}
        data-testid="flag-search"
        onChange={(e) => {
          setText(e.currentTarget.value);
          push(e.currentTarget.value);
        }}
        rightSection={
          text ? (
            <CloseButton
              size="sm"
              aria-label={t('filters.clearSearch')}
              onClick={() => {
                setText('');
                filters.setQ('');
              }}
            />
          ) : null
        }
      />
    </Group>
  );
}
