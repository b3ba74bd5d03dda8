import { Table, Text } from '@mantine/core';
import { IconDeviceDesktopOff } from '@tabler/icons-react';
import { useQueries } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../../api/client.ts';
import type { Machine, Page } from '../../../api/types.ts';
import { EmptyHint } from '../../../components/EmptyHint.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime, fromNow } from '../../../i18n/format.ts';
import { TableSkeleton } from '../AccountsTable.tsx';
import { useAccountLicenses } from '../accounts-api.ts';

/** Machines activated on any of the account's licenses (one request per license that has machines). */
export function MachinesTab({ accountId }: { accountId: string }) {
  const { t } = useTranslation('accounts');
  const licenses = useAccountLicenses(accountId);
  const withMachines = (licenses.data?.pages.flatMap((p) => p.data) ?? []).filter((l) => l.machineCount > 0);
  const machines = useQueries({
    queries: withMachines.map((l) => ({
      queryKey: ['machines', 'byLicense', l.id],
      queryFn: ({ signal }: { signal: AbortSignal }) =>
        api.get<Page<Machine>>(`/v1/licenses/${l.id}/machines`, { limit: 100 }, signal),
    })),
  });

  if (licenses.isPending || machines.some((m) => m.isPending)) return <TableSkeleton rows={3} />;
  const failed = licenses.error ?? machines.find((m) => m.isError)?.error;
  if (failed) return <QueryError error={failed} onRetry={() => void licenses.refetch()} />;

  const rows = withMachines.flatMap((license, i) =>
    (machines[i]?.data?.data ?? []).map((machine) => ({ machine, license })),
  );
  if (rows.length === 0) {
    return (
      <EmptyHint
        icon={<IconDeviceDesktopOff size={26} />}
        title={t('machines.empty')}
        description={t('machines.emptyHint')}
      />
    );
  }
  return (
    <Table.ScrollContainer minWidth={640}>
      <Table verticalSpacing="sm">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('machines.host')}</Table.Th>
            <Table.Th>{t('machines.license')}</Table.Th>
            <Table.Th>{t('machines.lastSeen')}</Table.Th>
            <Table.Th visibleFrom="md">{t('machines.activated')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map(({ machine: m, license }) => (
            <Table.Tr key={m.id}>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {m.hostname ?? t('machines.unnamed')}
                </Text>
                <Text size="xs" c="dimmed" ff="monospace" truncate maw={260}>
                  {m.fingerprint}
                </Text>
                {m.platform && (
                  <Text size="xs" c="dimmed">
                    {m.platform}
                    {m.ip ? ` · ${m.ip}` : ''}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {license.key}
                </Text>
                <Text size="xs" c="dimmed">
                  {license.product.name}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{fromNow(m.lastHeartbeatAt ?? m.createdAt)}</Text>
              </Table.Td>
              <Table.Td visibleFrom="md">
                <Text size="sm">{formatDateTime(m.createdAt)}</Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
