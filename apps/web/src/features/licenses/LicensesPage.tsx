import { Button, Card, Group, Select, Text } from '@mantine/core';
import { IconChevronLeft, IconChevronRight, IconLicense } from '@tabler/icons-react';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';
import { useCan } from '../../auth/auth-context.ts';
import { ListBody } from '../../components/ListBody.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { BulkBar } from './BulkBar.tsx';
import { LicenseFiltersBar } from './LicenseFiltersBar.tsx';
import { LicensesTable, LicensesTableSkeleton } from './LicensesTable.tsx';
import { useLicensesPage } from './licenses-api.ts';
import { NewLicenseButton } from './NewLicenseButton.tsx';
import { useCursorPages } from './use-cursor-pages.ts';
import { useLicenseActions } from './use-license-actions.tsx';
import { useLicenseFilters } from './use-license-filters.ts';

const PAGE_SIZES = ['25', '50', '100'];

export function LicensesPage() {
  const { t } = useTranslation('licenses');
  const canIssue = useCan('license.issue');
  const filters = useLicenseFilters();
  const [limit, setLimit] = useState(25);
  const pages = useCursorPages(`${JSON.stringify(filters.apiQuery)}|${limit}`);
  const list = useLicensesPage(filters.apiQuery, limit, pages.cursor);
  const licenses = list.data?.data ?? [];
  const [selected, setSelected] = useState<Map<string, License>>(new Map());
  const { actions, dialogs, isBusy } = useLicenseActions({
    onDeleted: (l) => setSelected((s) => new Map([...s].filter(([id]) => id !== l.id))),
  });

  // Selected licenses of this page follow the server (after an action or a bulk extend, the CSV has the new dates).
  useEffect(() => {
    const fresh = list.data?.data ?? [];
    setSelected((s) => {
      if (!fresh.some((l) => s.has(l.id) && s.get(l.id) !== l)) return s;
      const next = new Map(s);
      for (const l of fresh) if (next.has(l.id)) next.set(l.id, l);
      return next;
    });
  }, [list.data]);

  const toggle = (l: License) =>
    setSelected((s) => {
      const next = new Map(s);
      if (next.has(l.id)) next.delete(l.id);
      else next.set(l.id, l);
      return next;
    });
  const toggleAll = (checked: boolean) =>
    setSelected((s) => {
      const next = new Map(s);
      for (const l of licenses) {
        if (checked) next.set(l.id, l);
        else next.delete(l.id);
      }
      return next;
    });

  const newButton = canIssue && <NewLicenseButton accountId={filters.filters.accountId} />;

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} actions={newButton} />
      <LicenseFiltersBar filters={filters} />
      <Card withBorder radius="lg" padding={0} style={{ opacity: list.isPlaceholderData ? 0.6 : 1 }}>
        <ListBody
          pending={list.isPending}
          error={list.error}
          showError={list.isError && !list.data}
          onRetry={() => void list.refetch()}
          empty={licenses.length === 0}
          filtered={filters}
          skeleton={<LicensesTableSkeleton />}
          t={t}
          emptyIcon={<IconLicense size={26} />}
          emptyAction={newButton || undefined}
        >
          <LicensesTable
            licenses={licenses}
            selected={selected}
            onToggle={toggle}
            onToggleAll={toggleAll}
            actions={actions}
            isBusy={(id) => Boolean(isBusy(id))}
          />
        </ListBody>
      </Card>
      {list.data && (licenses.length > 0 || pages.page > 1) && (
        <Group justify="space-between" mt="md" gap="sm">
          <Group gap="xs">
            <Text size="sm" c="dimmed">
              {t('pagination.rows')}
            </Text>
            <Select
              w={84}
              size="xs"
              aria-label={t('pagination.rows')}
              data={PAGE_SIZES}
              value={String(limit)}
              allowDeselect={false}
              onChange={(v) => v && setLimit(Number(v))}
            />
          </Group>
          <Group gap="xs">
            <Text size="sm" c="dimmed" data-testid="page-number">
              {t('pagination.page', { page: pages.page })}
            </Text>
            <Button
              variant="default"
              size="xs"
              leftSection={<IconChevronLeft size={14} />}
              disabled={pages.page === 1}
              onClick={pages.previous}
            >
              {t('pagination.previous')}
            </Button>
            <Button
              variant="default"
              size="xs"
              rightSection={<IconChevronRight size={14} />}
              disabled={!list.data.nextCursor || list.isPlaceholderData}
              onClick={() => list.data?.nextCursor && pages.next(list.data.nextCursor)}
              data-testid="next-page"
            >
              {t('pagination.next')}
            </Button>
          </Group>
        </Group>
      )}
      {selected.size > 0 && <BulkBar selected={[...selected.values()]} onClear={() => setSelected(new Map())} />}
      {dialogs}
    </>
  );
}
