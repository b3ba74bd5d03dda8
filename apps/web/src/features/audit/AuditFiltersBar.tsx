import { Autocomplete, Badge, Button, CloseButton, Group, Select } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { useDebouncedCallback, useDebouncedValue } from '@mantine/hooks';
import { IconBolt, IconBuildingStore, IconCalendar, IconUser, IconX } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth-context.ts';
import { useAccountName, useAccountOptions, useActorOptions } from './audit-api.ts';
import type { AuditFilters } from './use-audit-filters.ts';

/** Prefixes and the actions the server records, as suggestions; any other text is matched as a prefix too. */
const ACTION_SUGGESTIONS = [
  'license.',
  'account.',
  'machine.',
  'plan.',
  'product.',
  'token.',
  'user.',
  'signing_key.',
  'license.created',
  'license.updated',
  'license.extended',
  'license.renewed',
  'license.suspended',
  'license.reinstated',
  'license.revoked',
  'account.created',
  'account.updated',
  'user.signed_in',
  'user.sign_in_failed',
];

export interface SeenActor {
  id: string;
  name: string;
}

function AccountFilter({ filters }: { filters: AuditFilters }) {
  const { t } = useTranslation('audit');
  const [search, setSearch] = useState('');
  const [debounced] = useDebouncedValue(search, 250);
  const options = useAccountOptions(debounced);
  const selectedName = useAccountName(filters.accountId);
  const data = useMemo(() => {
    const list = (options.data?.data ?? []).map((a) => ({ value: a.id, label: a.name }));
    if (filters.accountId && !list.some((o) => o.value === filters.accountId)) {
      list.unshift({ value: filters.accountId, label: selectedName.data ?? t('filters.selectedAccount') });
    }
    return list;
  }, [options.data, filters.accountId, selectedName.data, t]);
  return (
    <Select
      w={230}
      searchable
      clearable
      leftSection={<IconBuildingStore size={16} />}
      placeholder={t('filters.account')}
      aria-label={t('filters.account')}
      data={data}
      value={filters.accountId}
      onChange={(value) => filters.setAccount(value)}
      searchValue={search}
      onSearchChange={setSearch}
      nothingFoundMessage={options.isFetching ? t('filters.searching') : t('filters.noAccounts')}
      filter={({ options: all }) => all}
    />
  );
}

function ActorFilter({ filters, seen }: { filters: AuditFilters; seen: SeenActor[] }) {
  const { t } = useTranslation('audit');
  const isAdmin = useCan('settings.users');
  const known = useActorOptions(isAdmin);
  const data = useMemo(() => {
    const byId = new Map<string, string>();
    for (const a of known.data ?? []) byId.set(a.id, a.name);
    for (const a of seen) if (!byId.has(a.id)) byId.set(a.id, a.name);
    if (filters.actorId && !byId.has(filters.actorId)) byId.set(filters.actorId, filters.actorId);
    return [...byId].map(([value, label]) => ({ value, label })).sort((a, b) => a.label.localeCompare(b.label));
  }, [known.data, seen, filters.actorId]);
  return (
    <Select
      w={210}
      searchable
      clearable
      leftSection={<IconUser size={16} />}
      placeholder={t('filters.actor')}
      aria-label={t('filters.actor')}
      data={data}
      value={filters.actorId}
      onChange={(value) => filters.setActor(value)}
      nothingFoundMessage={t('filters.noActors')}
    />
  );
}

/** Actor, action prefix, account and date range of the Audit log (all in the URL). */
export function AuditFiltersBar({ filters, seenActors }: { filters: AuditFilters; seenActors: SeenActor[] }) {
  const { t } = useTranslation('audit');
  const [action, setAction] = useState(filters.action);
  const push = useDebouncedCallback((value: string) => filters.setAction(value), 300);
  useEffect(() => setAction(filters.action), [filters.action]);
  // A range applies once both ends are picked (or it is cleared): half a range does not refilter mid-pick.
  const [from, to] = filters.range;
  const [range, setRange] = useState<[string | null, string | null]>([from, to]);
  useEffect(() => setRange([from, to]), [from, to]);

  return (
    <Group gap="sm" mb="md" align="flex-end" wrap="wrap">
      <ActorFilter filters={filters} seen={seenActors} />
      <Autocomplete
        w={230}
        leftSection={<IconBolt size={16} />}
        placeholder={t('filters.actionPlaceholder')}
        aria-label={t('filters.action')}
        data={ACTION_SUGGESTIONS}
        value={action}
        onChange={(value) => {
          setAction(value);
          push(value);
        }}
        rightSection={
          action ? (
            <CloseButton
              size="sm"
              aria-label={t('filters.clearAction')}
              onClick={() => {
                setAction('');
                filters.setAction('');
              }}
            />
          ) : null
        }
      />
      <AccountFilter filters={filters} />
      <DatePickerInput
        type="range"
        allowSingleDateInRange
        clearable
        w={250}
        leftSection={<IconCalendar size={16} />}
        placeholder={t('filters.dateRange')}
        aria-label={t('filters.dateRange')}
        value={range}
        onChange={(value) => {
          const next: [string | null, string | null] = [
            value[0] ? String(value[0]) : null,
            value[1] ? String(value[1]) : null,
          ];
          setRange(next);
          if (Boolean(next[0]) === Boolean(next[1])) filters.setRange(next);
        }}
        valueFormat="ll"
        maxDate={new Date()}
      />
      {filters.licenseId && (
        <Badge
          size="lg"
          variant="light"
          rightSection={<CloseButton size="xs" aria-label={t('filters.clearLicense')} onClick={filters.clearLicense} />}
        >
          {t('filters.license', { id: filters.licenseId.slice(0, 8) })}
        </Badge>
      )}
      {filters.active && (
        <Button variant="subtle" color="gray" onClick={filters.clear} leftSection={<IconX size={14} />}>
          {t('filters.clear')}
        </Button>
      )}
    </Group>
  );
}
