import { ActionIcon, Anchor, Badge, Button, Card, Group, Skeleton, Stack, Text, Title, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { links } from '../../app/links.ts';
import { useCan } from '../../auth/auth-context.ts';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { notifyError, notifySuccess, notifyWithUndo } from '../../components/notify.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { AddToggleModal } from './AddToggleModal.tsx';
import { deleteFlagToggle, putFlagToggle, useFlagToggles, useInvalidateFlags } from './flags-api.ts';
import type { FlagToggle } from './flags-types.ts';

function Customer({ toggle }: { toggle: FlagToggle }) {
  const href = toggle.scope === 'license' ? links.license(toggle.targetId) : links.account(toggle.targetId);
  const name = toggle.targetName ?? toggle.targetId;
  return (
    <>
      {href ? (
        <Anchor component={Link} to={href} size="sm" fw={500} style={{ overflowWrap: 'anywhere' }}>
          {name}
        </Anchor>
      ) : (
        <Text size="sm">{name}</Text>
      )}
    </>
  );
}

/** The customers this flag is switched on or off for (GET /v1/flags/:id/toggles); the account team removes them. */
export function TogglesSection({ flag }: { flag: { id: string; key: string; productId: string } }) {
  const { t } = useTranslation('flags');
  const canToggle = useCan('flags.toggle');
  const toggles = useFlagToggles(flag.id);
  const invalidate = useInvalidateFlags();
  const [busy, setBusy] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);

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
      <Group justify="space-between" gap="xs" mb={4}>
        <Title order={3} fz="lg">
          {t('toggles.title')}
        </Title>
        {canToggle && (
          <Button
            size="compact-sm"
            variant="light"
            leftSection={<IconPlus size={14} />}
            onClick={() => setAdding(true)}
            data-testid="add-toggle"
          >
            {t('toggles.add')}
          </Button>
        )}
      </Group>
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
        <Stack gap={0} component="ul" p={0} m={0} style={{ listStyle: 'none' }} data-testid="toggles-list">
          {rows.map((toggle, i) => (
            <Group
              component="li"
              key={`${toggle.scope}:${toggle.targetId}`}
              justify="space-between"
              align="flex-start"
              wrap="nowrap"
              gap="sm"
              py="xs"
              style={i === 0 ? undefined : { borderTop: '1px solid var(--mantine-color-default-border)' }}
              data-testid="toggle-row"
            >
              <Stack gap={4} style={{ minWidth: 0, flex: 1 }}>
                <Customer toggle={toggle} />
                <Group gap={6}>
                  <Badge color={toggle.enabled ? 'teal' : 'red'} variant="light">
                    {toggle.enabled ? t('state.on') : t('state.off')}
                  </Badge>
                  <Badge size="sm" variant="light" color={toggle.scope === 'license' ? 'blue' : 'grape'}>
                    {t(`toggles.scope.${toggle.scope}`)}
                  </Badge>
                </Group>
                {toggle.reason && (
                  <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                    {toggle.reason}
                  </Text>
                )}
                <Tooltip label={formatDateTime(toggle.updatedAt)}>
                  <Text size="xs" c="dimmed" w="fit-content">
                    {t('toggles.byOn', { author: toggle.authorName, date: formatDate(toggle.updatedAt) })}
                  </Text>
                </Tooltip>
              </Stack>
              {canToggle && (
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
              )}
            </Group>
          ))}
        </Stack>
      )}
      {canToggle && <AddToggleModal flag={flag} opened={adding} onClose={() => setAdding(false)} />}
    </Card>
  );
}
