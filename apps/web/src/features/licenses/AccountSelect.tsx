import { Select, type SelectProps } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
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
