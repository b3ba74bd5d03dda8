import { Anchor, Button, Card, Skeleton, Stack, Table, Text, Tooltip } from '@mantine/core';
import { IconFlag, IconPlus } from '@tabler/icons-react';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ListBody } from '../../components/ListBody.tsx';
import { formatDateTime, fromNow } from '../../i18n/format.ts';
import { FilterBar } from './FilterBar.tsx';
import { FlagAudienceText } from './FlagSummary.tsx';
import { summarizeFlag } from './flag-summary.ts';
import { useFlags, useSegments } from './flags-api.ts';
import type { Flag } from './flags-types.ts';
import { KillSwitch } from './KillSwitch.tsx';
import type { FlagFiltersState } from './use-flag-filters.ts';

function FlagRow({
  flag,
  segmentNames,
  showProduct,
}: {
  flag: Flag;
  segmentNames: Map<number, string>;
  showProduct: boolean;
}) {
  const { t } = useTranslation('flags');
  return (
    <Table.Tr data-testid="flag-list-row" data-key={flag.key}>
      <Table.Td maw={260}>
        <Anchor
          component={Link}
          to={`/flags/${flag.id}`}
          ff="monospace"
          fw={600}
          size="sm"
          style={{ overflowWrap: 'anywhere' }}
        >
          {flag.key}
        </Anchor>
        {showProduct && (
          <Text size="xs" c="dimmed">
            {flag.product.name}
          </Text>
        )}
      </Table.Td>
      <Table.Td maw={260}>
        <Text size="sm" lineClamp={2} c={flag.description ? undefined : 'dimmed'}>
          {flag.description || '—'}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {t(`types.${flag.type}`)}
        </Text>
      </Table.Td>
      <Table.Td>
        <KillSwitch flag={flag} size="sm" />
      </Table.Td>
      <Table.Td maw={340}>
        <FlagAudienceText audience={summarizeFlag(flag.strategies, segmentNames)} max={2} />
      </Table.Td>
      <Table.Td>
        <Tooltip label={formatDateTime(flag.updatedAt)}>
          <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {fromNow(flag.updatedAt)}
          </Text>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}

/** The Flags tab: product filter and search (in the URL), the flags with their kill switch and who gets them. */
export function FlagsTab({ filters, onNew }: { filters: FlagFiltersState; onNew: (() => void) | null }) {
  const { t } = useTranslation('flags');
  const flags = useFlags({ productId: filters.productId || undefined, q: filters.q || undefined });
  const segments = useSegments(filters.productId || undefined);
  const segmentNames = useMemo(() => new Map((segments.data?.data ?? []).map((s) => [s.id, s.name])), [segments.data]);
  const rows = flags.data?.data ?? [];

  const newButton = onNew ? (
    <Button leftSection={<IconPlus size={16} />} onClick={onNew}>
      {t('new.button')}
    </Button>
  ) : undefined;

  return (
    <Stack gap={0}>
      <FilterBar filters={filters} searchLabel={t('filters.searchFlags')} />
      <Card withBorder padding={0} radius="md">
        <ListBody
          pending={flags.isPending}
          error={flags.error}
          showError={flags.isError && !flags.data}
          onRetry={() => void flags.refetch()}
          empty={rows.length === 0}
          filtered={{ active: filters.active, clear: filters.clear }}
          skeleton={
            <Stack gap="sm" aria-busy="true">
              {[0, 1, 2, 3].map((i) => (
                <Skeleton key={i} h={36} />
              ))}
            </Stack>
          }
          t={(key) => t(`list.${key}`)}
          emptyIcon={<IconFlag size={26} />}
          emptyAction={
            <Stack gap="xs" align="center">
              {newButton}
              <Anchor href="/docs#/Feature%20flags" target="_blank" size="sm">
                {t('list.empty.docs')}
              </Anchor>
            </Stack>
          }
        >
          <Table.ScrollContainer minWidth={940}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="flags-list">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('columns.key')}</Table.Th>
                  <Table.Th>{t('columns.description')}</Table.Th>
                  <Table.Th>{t('columns.type')}</Table.Th>
                  <Table.Th>{t('columns.enabled')}</Table.Th>
                  <Table.Th>{t('columns.audience')}</Table.Th>
                  <Table.Th>{t('columns.updated')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((flag) => (
                  <FlagRow key={flag.id} flag={flag} segmentNames={segmentNames} showProduct={!filters.productId} />
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </ListBody>
      </Card>
    </Stack>
  );
}
