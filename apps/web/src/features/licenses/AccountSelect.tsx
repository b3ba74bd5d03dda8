import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api/client.ts';
import type { License, Page } from '../../api/types.ts';
import { useAccountById, useAccountSearch } from './licenses-api.ts';

type Props = Omit<SelectProps, 'data' | 'value' | 'onChange' | 'searchValue' | 'onSearchChange'> & {
  value: string | null;
  onChange(id: string | null): void;
};

/** A searchable account picker: the search goes to GET /v1/accounts?q= (debounced). */
export function AccountSelect({ value, onChange, ...props }: Props) {
  const { t } = useTranslation('licenses');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const current = useAccountById(value);
  const currentName = current.data?.name;
  // While the input shows the chosen account's name, list every account rather than only that one.
  const query = currentName !== undefined && search === currentName ? '' : debounced;
  const results = useAccountSearch(query);

  const data = useMemo(() => {
    const items = (results.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }));
    if (value && currentName && !items.some((i) => i.value === value)) items.unshift({ value, label: currentName });
    return items;
  }, [results.data, value, currentName]);

  return (
    <Select
      searchable
      clearable
      allowDeselect={false}
      data={data}
      value={value}
      onChange={(id) => onChange(id)}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? t('loading') : t('accountPicker.none')}
      {...props}
    />
  );
}

type LicenseProps = Props & {
  /** Only this product's licenses (a flag's "Try it"). */
  productId?: string | undefined;
};

/** A searchable license picker: key (exact or prefix), license or account name, domain (GET /v1/licenses?q=). */
export function LicenseSelect({ value, onChange, productId, ...props }: LicenseProps) {
  const { t } = useTranslation('licenses');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const [chosen, setChosen] = useState<{ value: string; label: string } | null>(null);
  const q = chosen && search === chosen.label ? '' : debounced.trim();
  const results = useQuery({
    queryKey: ['licenses', 'picker', productId ?? null, q],
    queryFn: ({ signal }) =>
      api.get<Page<License>>('/v1/licenses', { q: q || undefined, productId, limit: 20 }, signal),
    placeholderData: keepPreviousData,
  });
  const data = useMemo(() => {
    const items = (results.data?.data ?? []).map((l) => ({
      value: l.id,
      label: `${l.name || l.key.slice(0, 12)} · ${l.account.name}`,
    }));
    if (value && chosen?.value === value && !items.some((i) => i.value === value)) items.unshift(chosen);
    return items;
  }, [results.data, value, chosen]);

  return (
    <Select
      searchable
      clearable
      allowDeselect={false}
      data={data}
      value={value}
      onChange={(id, option) => {
        setChosen(id && option ? { value: id, label: option.label } : null);
        onChange(id);
      }}
      searchValue={search}
      onSearchChange={setSearch}
      filter={({ options }) => options}
      nothingFoundMessage={results.isFetching ? t('loading') : t('licensePicker.none')}
      {...props}
    />
  );
}
