import { ActionIcon, Button, Group, Modal, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { IconDeviceDesktopOff, IconDevices } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Machine } from '../../api/types.ts';
import { useCan } from '../../auth/auth-context.ts';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { notifyError, notifySuccess } from '../../components/notify.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDateTime, fromNow } from '../../i18n/format.ts';
import { DetailCard } from './DetailCard.tsx';
import { useDeactivateMachine, useLicenseMachines } from './licenses-api.ts';

/** The machines activated on a license; managers may deactivate one (frees its seat). */
export function MachinesCard({ licenseId, maxMachines }: { licenseId: string; maxMachines: number | null }) {
  const { t } = useTranslation('licenses');
  const canAct = useCan('license.act');
  const machines = useLicenseMachines(licenseId);
  const deactivate = useDeactivateMachine(licenseId);
  const [confirm, setConfirm] = useState<Machine | null>(null);
  const rows = machines.data?.data ?? [];

  const run = (m: Machine) =>
    deactivate.mutate(m.id, {
      onSuccess: () => {
        setConfirm(null);
        notifySuccess(t('toast.machineDeactivated', { name: m.hostname ?? m.fingerprint }));
      },
      onError: (err) => notifyError(t('toast.machineFailed'), err),
    });

  const count = machines.data ? `${rows.length} / ${maxMachines ?? '∞'}` : '';
  return (
    <DetailCard title={`${t('detail.machines')} ${count}`} testId="license-machines">
      {machines.isPending ? (
        <Skeleton h={80} aria-busy="true" />
      ) : machines.isError ? (
        <QueryError error={machines.error} onRetry={() => void machines.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyHint icon={<IconDevices size={24} />} title={t('machines.empty')} description={t('machines.emptyHint')} />
      ) : (
        <Table.ScrollContainer minWidth={520}>
          <Table verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('machines.host')}</Table.Th>
                <Table.Th>{t('machines.fingerprint')}</Table.Th>
                <Table.Th>{t('machines.activated')}</Table.Th>
                <Table.Th>{t('machines.heartbeat')}</Table.Th>
                {canAct && <Table.Th w={48} />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((m) => (
                <Table.Tr key={m.id} data-testid="machine-row">
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {m.hostname ?? '—'}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {[m.platform, m.ip].filter(Boolean).join(' · ') || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="xs" ff="monospace" maw={180} truncate="end" title={m.fingerprint}>
                      {m.fingerprint}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{formatDateTime(m.createdAt)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{m.lastHeartbeatAt ? fromNow(m.lastHeartbeatAt) : '—'}</Text>
                  </Table.Td>
                  {canAct && (
                    <Table.Td>
                      <Tooltip label={t('machines.deactivate')} withArrow>
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`${t('machines.deactivate')}: ${m.hostname ?? m.fingerprint}`}
                          onClick={() => setConfirm(m)}
                          data-testid="deactivate-machine"
                        >
                          <IconDeviceDesktopOff size={16} />
                        </ActionIcon>
                      </Tooltip>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Modal opened={confirm !== null} onClose={() => setConfirm(null)} title={t('machines.confirmTitle')} centered>
        <Text size="sm">{t('machines.confirm', { name: confirm?.hostname ?? confirm?.fingerprint ?? '' })}</Text>
        <Group justify="flex-end" mt="md" gap="sm">
          <Button variant="default" onClick={() => setConfirm(null)} data-autofocus>
            {t('cancel')}
          </Button>
          <Button
            color="red"
            loading={deactivate.isPending}
            onClick={() => confirm && run(confirm)}
            data-testid="deactivate-confirm"
          >
            {t('machines.deactivate')}
          </Button>
        </Group>
      </Modal>
    </DetailCard>
  );
}
