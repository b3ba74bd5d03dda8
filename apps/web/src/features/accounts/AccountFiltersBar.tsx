import { Button, Group, Select } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconCalendar, IconX } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { SearchInput } from '../../components/SearchInput.tsx';
import type { useAccountFilters } from './use-account-filters.ts';

type Filters = ReturnType<typeof useAccountFilters>;

/** Search, created range and sort of the Accounts list. */
export function AccountFiltersBar({ filters }: { filters: Filters }) {
  const { t } = useTranslation('accounts');

  return (
    <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
      <SearchInput
        value={filters.q}
        onSearch={filters.setQ}
        placeholder={t('filters.searchPlaceholder')}
        label={t('filters.search')}
        maw={420}
      />
      <DatePickerInput
        type="range"
        allowSingleDateInRange
        clearable
        w={250}
        leftSection={<IconCalendar size={16} />}
        placeholder={t('filters.createdRange')}
        aria-label={t('filters.createdRange')}
        value={filters.range}
        onChange={(value) => filters.setRange([value[0] ? String(value[0]) : null, value[1] ? String(value[1]) : null])}
        valueFormat="ll"
        maxDate={new Date()}
      />
      <Select
        w={190}
        aria-label={t('filters.sort')}
        value={filters.sort}
        allowDeselect={false}
        onChange={(value) => value && filters.setSort(value as Filters['sort'])}
        data={[
          { value: '-createdAt', label: t('sort.newest') },
          { value: 'createdAt', label: t('sort.oldest') },
          { value: 'name', label: t('sort.name') },
        ]}
      />
      {filters.active && (
        <Button variant="subtle" color="gray" onClick={filters.clear} leftSection={<IconX size={14} />}>
          {t('filters.clear')}
        </Button>
      )}
    </Group>
  );
}
