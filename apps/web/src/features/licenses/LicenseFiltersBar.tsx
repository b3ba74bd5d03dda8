import { Button, Group, MultiSelect, Select } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconCalendar, IconX } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { LICENSE_STATUSES, type LicenseStatus, type LicenseType } from '../../api/types.ts';
import { SearchInput } from '../../components/SearchInput.tsx';
import { AccountSelect } from './AccountSelect.tsx';
import { LICENSE_TYPES, type LicenseSort, pickerDate } from './license-filters.ts';
import { usePlans, useProducts } from './licenses-api.ts';
import type { useLicenseFilters } from './use-license-filters.ts';

type Filters = ReturnType<typeof useLicenseFilters>;

/** Search, status, catalog, account, type, expiry range and sort of the Licenses list (all in the URL). */
export function LicenseFiltersBar({ filters }: { filters: Filters }) {
  const { t } = useTranslation('licenses');
  const { t: tc } = useTranslation();
  const f = filters.filters;
  const products = useProducts();
  const plans = usePlans();
  const planOptions = useMemo(
    () =>
      (plans.data?.data ?? [])
        .filter((p) => !f.productId || p.productId === f.productId)
        .map((p) => ({ value: p.id, label: f.productId ? p.name : `${p.product.name} · ${p.name}` })),
    [plans.data, f.productId],
  );

  return (
    <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
      <SearchInput
        value={filters.filters.q}
        onSearch={filters.setQ}
        placeholder={t('filters.searchPlaceholder')}
        label={t('filters.search')}
        maw={380}
        testId="license-search"
      />
      <MultiSelect
        w={250}
        aria-label={t('filters.status')}
        placeholder={f.status.length ? undefined : t('filters.anyStatus')}
        data={LICENSE_STATUSES.map((s) => ({ value: s, label: tc(`status.${s}`) }))}
        value={f.status}
        onChange={(v) => filters.setStatus(v as LicenseStatus[])}
        clearable
        data-testid="filter-status"
      />
      <Select
        w={170}
        aria-label={t('filters.type')}
        placeholder={t('filters.anyType')}
        data={LICENSE_TYPES.map((v) => ({ value: v, label: t(`type.${v}`) }))}
        value={f.type}
        onChange={(v) => filters.setType(v as LicenseType | null)}
        clearable
      />
      <Select
        w={180}
        aria-label={t('filters.product')}
        placeholder={t('filters.anyProduct')}
        data={(products.data?.data ?? []).map((p) => ({ value: p.id, label: p.name }))}
        value={f.productId}
        onChange={(v) => filters.set('productId', v)}
        clearable
        searchable
      />
      <Select
        w={200}
        aria-label={t('filters.plan')}
        placeholder={t('filters.anyPlan')}
        data={planOptions}
        value={f.planId}
        onChange={(v) => filters.set('planId', v)}
        clearable
        searchable
      />
      <AccountSelect
        w={220}
        aria-label={t('filters.account')}
        placeholder={t('filters.anyAccount')}
        value={f.accountId}
        onChange={(v) => filters.set('accountId', v)}
      />
      <DatePickerInput
        w={175}
        clearable
        leftSection={<IconCalendar size={16} />}
        aria-label={t('filters.expiresAfter')}
        placeholder={t('filters.expiresAfter')}
        valueFormat="ll"
        value={pickerDate(f.expiresAfter)}
        onChange={(v) => filters.set('expiresAfter', v ? String(v) : null)}
      />
      <DatePickerInput
        w={175}
        clearable
        leftSection={<IconCalendar size={16} />}
        aria-label={t('filters.expiresBefore')}
        placeholder={t('filters.expiresBefore')}
        valueFormat="ll"
        value={pickerDate(f.expiresBefore)}
        onChange={(v) => filters.set('expiresBefore', v ? String(v) : null)}
      />
      <Select
        w={200}
        aria-label={t('filters.sort')}
        value={f.sort}
        allowDeselect={false}
        onChange={(v) => v && filters.setSort(v as LicenseSort)}
        data={[
          { value: '-createdAt', label: t('sort.newest') },
          { value: 'createdAt', label: t('sort.oldest') },
          { value: 'endsAt', label: t('sort.expiresSoonest') },
          { value: '-endsAt', label: t('sort.expiresLatest') },
        ]}
        data-testid="license-sort"
      />
      {filters.active && (
        <Button variant="subtle" color="gray" onClick={filters.clear} leftSection={<IconX size={14} />}>
          {t('filters.clear')}
        </Button>
      )}
    </Group>
  );
}
