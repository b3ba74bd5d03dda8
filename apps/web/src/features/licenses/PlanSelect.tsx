import { Select, type SelectProps } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { Plan } from './licenses-api.ts';

type Props = Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  plans: Plan[];
  value: string | null;
  onChange(id: string | null): void;
};

/** Plans grouped by product (searchable). */
export function PlanSelect({ plans, value, onChange, ...props }: Props) {
  const { t } = useTranslation('licenses');
  const data = useMemo(() => {
    const groups = new Map<string, { value: string; label: string }[]>();
    for (const p of [...plans].sort(
      (a, b) => a.product.name.localeCompare(b.product.name) || a.name.localeCompare(b.name),
    )) {
      const items = groups.get(p.product.name) ?? [];
      items.push({ value: p.id, label: `${p.name} (${t(`type.${p.licenseType}`)})` });
      groups.set(p.product.name, items);
    }
    return [...groups].map(([group, items]) => ({ group, items }));
  }, [plans, t]);
  return <Select searchable data={data} value={value} onChange={onChange} {...props} />;
}
