import { Button, Center, Skeleton, Text, Timeline } from '@mantine/core';
import { IconHistory } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { DetailCard } from './DetailCard.tsx';
import { useLicenseAudit } from './licenses-api.ts';

/** "license.extended" → the translated label when there is one, else the code itself. */
function useActionLabel() {
  const { t, i18n } = useTranslation('licenses');
  return (action: string) => {
    const key = `audit.actions.${action.replaceAll('.', '_')}`;
    return i18n.exists(key, { ns: 'licenses' }) ? t(key) : action;
  };
}

const endsAtOf = (v: unknown): string | null | undefined =>
  v && typeof v === 'object' && 'endsAt' in v ? ((v as { endsAt: string | null }).endsAt ?? null) : undefined;

/** "Ends 6 Dec 2027 → 13 Dec 2027" when an event moved the end date. */
function EndChange({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation('licenses');
  const from = endsAtOf(before);
  const to = endsAtOf(after);
  if (from === undefined || to === undefined || from === to) return null;
  return (
    <Text size="sm">
      {t('audit.endChange', { from: from ? formatDate(from) : t('never'), to: to ? formatDate(to) : t('never') })}
    </Text>
  );
}

/** The license's audit history, newest first, a page at a time. */
export function AuditCard({ licenseId }: { licenseId: string }) {
  const { t } = useTranslation('licenses');
  const label = useActionLabel();
  const audit = useLicenseAudit(licenseId);
  const events = audit.data?.pages.flatMap((p) => p.data) ?? [];

  return (
    <DetailCard title={t('detail.history')} testId="license-audit">
      {audit.isPending ? (
        <Skeleton h={120} aria-busy="true" />
      ) : audit.isError && events.length === 0 ? (
        <QueryError error={audit.error} onRetry={() => void audit.refetch()} />
      ) : events.length === 0 ? (
        <EmptyHint icon={<IconHistory size={24} />} title={t('audit.empty')} />
      ) : (
        <>
          <Timeline bulletSize={12} lineWidth={2}>
            {events.map((e) => (
              <Timeline.Item key={e.id} title={label(e.action)} data-testid="audit-event">
                <EndChange before={e.before} after={e.after} />
                <Text size="xs" c="dimmed">
                  {formatDateTime(e.at)} · {e.actor.name}
                </Text>
              </Timeline.Item>
            ))}
          </Timeline>
          {audit.hasNextPage && (
            <Center mt="md">
              <Button
                variant="default"
                size="xs"
                loading={audit.isFetchingNextPage}
                onClick={() => void audit.fetchNextPage()}
              >
                {t('audit.more')}
              </Button>
            </Center>
          )}
        </>
      )}
    </DetailCard>
  );
}
