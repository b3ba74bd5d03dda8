import { ActionIcon, Anchor, CopyButton, Group, Table, Text, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconKeyOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { License } from '../../../api/types.ts';
import { links } from '../../../app/links.ts';
import { EmptyHint } from '../../../components/EmptyHint.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { StatusBadge } from '../../../components/StatusBadge.tsx';
import { formatDate, fromNow } from '../../../i18n/format.ts';
import { TableSkeleton } from '../AccountsTable.tsx';
import { useAccountLicenses } from '../accounts-api.ts';

function KeyCell({ license }: { license: License }) {
  const { t } = useTranslation('accounts');
  const href = links.license(license.id);
  return (
    <Group gap={4} wrap="nowrap">
      {href ? (
        <Anchor component={Link} to={href} ff="monospace" size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
          {license.key}
        </Anchor>
      ) : (
        <Text ff="monospace" size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
          {license.key}
        </Text>
      )}
      <CopyButton value={license.key} timeout={1500}>
        {({ copied, copy }) => (
          <Tooltip label={copied ? t('licenses.copied') : t('licenses.copyKey')} withArrow>
            <ActionIcon
              variant="subtle"
              color={copied ? 'teal' : 'gray'}
              onClick={copy}
              aria-label={t('licenses.copyKey')}
            >
              {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
            </ActionIcon>
          </Tooltip>
        )}
      </CopyButton>
    </Group>
  );
}

/** The account's licenses with their computed status. */
export function LicensesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation('accounts');
  const query = useAccountLicenses(accountId);
  const licenses = query.data?.pages.flatMap((p) => p.data) ?? [];
  if (query.isPending) return <TableSkeleton rows={3} />;
  if (query.isError) return <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  if (licenses.length === 0) {
    return (
      <EmptyHint icon={<IconKeyOff size={26} />} title={t('licenses.empty')} description={t('licenses.emptyHint')} />
    );
  }
  return (
    <Table.ScrollContainer minWidth={600}>
      <Table verticalSpacing="sm" highlightOnHover>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('licenses.key')}</Table.Th>
            <Table.Th visibleFrom="lg">{t('licenses.product')}</Table.Th>
            <Table.Th>{t('licenses.status')}</Table.Th>
            <Table.Th>{t('licenses.ends')}</Table.Th>
            <Table.Th ta="right">{t('licenses.machines')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {licenses.map((l) => (
            <Table.Tr key={l.id}>
              <Table.Td>
                <KeyCell license={l} />
                {l.name && (
                  <Text size="xs" c="dimmed">
                    {l.name}
                  </Text>
                )}
                <Text size="xs" c="dimmed" hiddenFrom="lg">
                  {l.product.name} · {l.plan.name}
                </Text>
              </Table.Td>
              <Table.Td visibleFrom="lg">
                <Text size="sm">{l.product.name}</Text>
                <Text size="xs" c="dimmed">
                  {l.plan.name} · {t(`licenses.types.${l.licenseType}`)}
                </Text>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <StatusBadge status={l.status} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {l.endsAt ? (
                  <>
                    <Text size="sm">{formatDate(l.endsAt)}</Text>
                    <Text size="xs" c="dimmed">
                      {fromNow(l.endsAt)}
                    </Text>
                  </>
                ) : (
                  <Text size="sm" c="dimmed">
                    {t('licenses.never')}
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">
                <Text size="sm">
                  {l.machineCount}
                  {l.maxMachines !== null && (
                    <Text span c="dimmed">
                      {' '}
                      / {l.maxMachines}
                    </Text>
                  )}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
