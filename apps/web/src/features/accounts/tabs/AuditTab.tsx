import { Button, Center, Code, Group, Text, Timeline } from '@mantine/core';
import { IconHistoryOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../../api/types.ts';
import { EmptyHint } from '../../../components/EmptyHint.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime, fromNow } from '../../../i18n/format.ts';
import { TableSkeleton } from '../AccountsTable.tsx';
import { useAccountAudit } from '../accounts-api.ts';

/** The fields an update changed (top level of the before/after snapshots). */
function changedFields(event: AuditEvent): string[] {
  const before = event.before as Record<string, unknown> | null;
  const after = event.after as Record<string, unknown> | null;
  if (!before || !after || typeof before !== 'object' || typeof after !== 'object') return [];
  return Object.keys(after).filter((k) => k !== 'updatedAt' && JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/** Who changed what on this account and its licenses, newest first. */
export function AuditTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation('accounts');
  const query = useAccountAudit(accountId);
  const events = query.data?.pages.flatMap((p) => p.data) ?? [];
  if (query.isPending) return <TableSkeleton rows={4} />;
  if (query.isError && events.length === 0)
    return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (events.length === 0) return <EmptyHint icon={<IconHistoryOff size={26} />} title={t('history.empty')} />;
  return (
    <>
      <Timeline bulletSize={14} lineWidth={2} mt="xs">
        {events.map((e) => {
          const fields = changedFields(e);
          return (
            <Timeline.Item
              key={e.id}
              title={
                <Group gap="xs">
                  <Text size="sm" fw={600}>
                    {t(`history.actions.${e.action}`, { defaultValue: e.action })}
                  </Text>
                  {e.target.type === 'license' && e.after !== null && typeof e.after === 'object' && (
                    <Code fz="xs">{String((e.after as { key?: string }).key ?? '')}</Code>
                  )}
                </Group>
              }
            >
              <Text size="xs" c="dimmed" title={formatDateTime(e.at)}>
                {t('history.by', { actor: e.actor.name, when: fromNow(e.at) })}
              </Text>
              {fields.length > 0 && (
                <Text size="xs" c="dimmed">
                  {t('history.changed', {
                    fields: fields.map((f) => t(`history.fields.${f}`, { defaultValue: f })).join(', '),
                  })}
                </Text>
              )}
            </Timeline.Item>
          );
        })}
      </Timeline>
      {query.hasNextPage && (
        <Center mt="md">
          <Button variant="default" loading={query.isFetchingNextPage} onClick={() => void query.fetchNextPage()}>
            {t('loadMore')}
          </Button>
        </Center>
      )}
    </>
  );
}
