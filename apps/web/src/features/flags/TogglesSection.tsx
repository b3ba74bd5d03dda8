import { ActionIcon, Anchor, Badge, Card, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconTrash, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { links } from '../../app/links.ts';
import { useCan } from '../../auth/auth-context.ts';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { notifyError, notifySuccess, notifyWithUndo } from '../../components/notify.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { deleteFlagToggle, putFlagToggle, useFlagToggles, useInvalidateFlags } from './flags-api.ts';
import type { FlagToggle } from './flags-types.ts';

function Customer({ toggle }: { toggle: FlagToggle }) {
  const { t } = useTranslation('flags');
  const href = toggle.scope === 'license' ? links.license(toggle.targetId) : links.account(toggle.targetId);
  const name = toggle.targetName ?? toggle.targetId;
  return (
    <Stack gap={2}>
      {href ? (
        <Anchor component={Link} to={href} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {name}
        </Anchor>
      ) : (
        <Text size="sm">{name}</Text>
      )}
      <Badge size="xs" variant="light" color={toggle.scope === 'license' ? 'blue' : 'grape'}>
        {t(`toggles.scope.${toggle.scope}`)}
      </Badge>
    </Stack>
  );
}

/** The customers this flag is switched on or off for (GET /v1/flags/:id/toggles); the account team removes them. */
export function TogglesSection({ flag }: { flag: { id: string; key: string } }) {
  const { t } = useTranslation('flags');
  const canToggle = useCan('flags.toggle');
  const toggles = useFlagToggles(flag.id);
  const invalidate = useInvalidateFlags();
  const [busy, setBusy] = useState<string | null>(null);

  const remove = async (toggle: FlagToggle) => {
    const id = `${toggle.scope}:${toggle.targetId}`;
    setBusy(id);
    try {
      await deleteFlagToggle(toggle);
    } catch (err) {
      notifyError(t('toast.toggleRemoveFailed'), err);
      return;
    } finally {
      setBusy(null);
      invalidate();
    }
    notifyWithUndo(
      t('toast.toggleRemoved', { name: toggle.targetName ?? toggle.targetId }),
      () =>
        void putFlagToggle(toggle)
          .then(() => notifySuccess(t('toast.undone'), 'toast-undone'))
          .catch((err: unknown) => notifyError(t('toast.undoFailed'), err))
          .finally(invalidate),
      { toast: 'toast-toggle-removed', undo: 'flags-undo' },
    );
  };

  const rows = toggles.data?.data ?? [];
  return (
    <Card withBorder radius="md" data-testid="toggles-section">
      <Title order={3} fz="lg" mb={4}>
        {t('toggles.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('toggles.hint')}
      </Text>
      {toggles.isPending ? (
        <Stack gap="xs" aria-busy="true">
          <Skeleton h={32} />
          <Skeleton h={32} />
        </Stack>
      ) : toggles.isError ? (
        <QueryError error={toggles.error} onRetry={() => void toggles.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyHint icon={<IconUsers size={24} />} title={t('toggles.empty')} description={t('toggles.emptyHint')} />
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table verticalSpacing="xs" data-testid="toggles-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('toggles.customer')}</Table.Th>
                <Table.Th>{t('toggles.state')}</Table.Th>
                <Table.Th>{t('toggles.reason')}</Table.Th>
                <Table.Th>{t('toggles.author')}</Table.Th>
                {canToggle && <Table.Th />}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((toggle) => (
                <Table.Tr key={`${toggle.scope}:${toggle.targetId}`} data-testid="toggle-row">
                  <Table.Td maw={240}>
                    <Customer toggle={toggle} />
                  </Table.Td>
                  <Table.Td>
                    <Badge color={toggle.enabled ? 'teal' : 'red'} variant="light">
                      {toggle.enabled ? t('state.on') : t('state.off')}
                    </Badge>
                  </Table.Td>
                  <Table.Td maw={260}>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {toggle.reason || '—'}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{toggle.authorName}</Text>
                    <Tooltip label={formatDateTime(toggle.updatedAt)}>
                      <Text size="xs" c="dimmed">
                        {formatDate(toggle.updatedAt)}
                      </Text>
                    </Tooltip>
                  </Table.Td>
                  {canToggle && (
                    <Table.Td>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        loading={busy === `${toggle.scope}:${toggle.targetId}`}
                        onClick={() => void remove(toggle)}
                        aria-label={t('toggles.remove', { name: toggle.targetName ?? toggle.targetId })}
                        data-testid="toggle-remove"
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Table.Td>
                  )}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
    </Card>
  );
}
