import { Select, type SelectProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useProducts } from '../licenses/licenses-api.ts';

type Props = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  value: string | null;
  onChange(id: string | null): void;
};

/** The catalog's products (name and code); flags and segments belong to one. */
export function ProductSelect({ value, onChange, ...props }: Props) {
  const { t } = useTranslation('flags');
  const products = useProducts();
  const data = (products.data?.data ?? []).map((p) => ({ value: p.id, label: `${p.name} (${p.code})` }));
  return (
    <Select
      data={data}
      value={value}
      onChange={onChange}
      searchable
      nothingFoundMessage={products.isPending ? t('loading') : t('filters.noProduct')}
      {...props}
    />
  );
}
