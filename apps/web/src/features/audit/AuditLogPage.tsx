import { Button, Center, Paper, Text } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { AuditEventsTable } from './AuditEventsTable.tsx';
import { AuditFiltersBar, type SeenActor } from './AuditFiltersBar.tsx';
import { useAuditEvents } from './audit-api.ts';
import { useAuditFilters } from './use-audit-filters.ts';

/** Every change, newest first, filtered by actor, action, account and date; each event expands to its diff. */
export function AuditLogPage() {
  const { t } = useTranslation('audit');
  const filters = useAuditFilters();
  const events = useAuditEvents(filters.query);
  const list = useMemo(() => events.data?.pages.flatMap((p) => p.data) ?? [], [events.data]);
  const seenActors = useMemo(() => {
    const byId = new Map<string, SeenActor>();
    for (const e of list) if (e.actor.id) byId.set(e.actor.id, { id: e.actor.id, name: e.actor.name });
    return [...byId.values()];
  }, [list]);

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <AuditFiltersBar filters={filters} seenActors={seenActors} />
      {events.isError && !events.data ? (
        <QueryError error={events.error} onRetry={() => void events.refetch()} />
      ) : (
        <Paper withBorder radius="md" p={0} style={{ overflow: 'hidden' }}>
          {!events.isPending && list.length === 0 ? (
            <EmptyHint
              icon={<IconHistory size={22} />}
              title={filters.active ? t('empty.filteredTitle') : t('empty.title')}
              description={filters.active ? t('empty.filteredDescription') : t('empty.description')}
              action={
                filters.active ? (
                  <Button variant="light" onClick={filters.clear}>
                    {t('filters.clear')}
                  </Button>
                ) : undefined
              }
            />
          ) : (
            <AuditEventsTable events={list} loading={events.isPending} />
          )}
        </Paper>
      )}
      {events.isError && events.data && <QueryError error={events.error} onRetry={() => void events.fetchNextPage()} />}
      {list.length > 0 && (
        <Center mt="md">
          {events.hasNextPage ? (
            <Button variant="default" loading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
              {t('loadMore')}
            </Button>
          ) : (
            <Text size="sm" c="dimmed">
              {t('end', { count: list.length })}
            </Text>
          )}
        </Center>
      )}
    </>
  );
}
