import { ActionIcon, Badge, Button, Group, Menu, Paper, Select, Skeleton, Table, Text } from '@mantine/core';
import { IconDots, IconPlus, IconUserCheck, IconUserOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAuth } from '../../auth/auth-context.ts';
import { ROLES, type Role } from '../../auth/types.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { CreateUserModal } from './CreateUserModal.tsx';
import { notifyFailed, notifySaved } from './notify.ts';
import { type StaffUser, useUpdateUser, useUsers } from './settings-api.ts';

function UserRow({ user, self }: { user: StaffUser; self: boolean }) {
  const { t } = useTranslation('settings');
  const { t: tShell } = useTranslation('shell');
  const update = useUpdateUser();
  const [confirming, setConfirming] = useState(false);
  const save = (patch: Partial<StaffUser>, message: string) =>
    update.mutate({ id: user.id, ...patch }, { onSuccess: () => notifySaved(message), onError: notifyFailed });
  return (
    <Table.Tr data-testid="user-row" data-email={user.email}>
      <Table.Td>
        <Text size="sm" fw={500}>
          {user.name}
        </Text>
        <Text size="xs" c="dimmed">
          {user.email}
        </Text>
      </Table.Td>
      <Table.Td w={200}>
        <Select
          size="xs"
          aria-label={t('users.roleOf', { name: user.name })}
          value={user.role}
          allowDeselect={false}
          disabled={update.isPending || self}
          data={ROLES.map((r) => ({ value: r, label: tShell(`roles.${r}`) }))}
          onChange={(value) => value && value !== user.role && save({ role: value as Role }, t('users.roleChanged'))}
        />
      </Table.Td>
      <Table.Td>
        {user.disabled ? (
          <Badge color="gray">{t('users.disabled')}</Badge>
        ) : (
          <Badge color="green" variant="light">
            {t('users.active')}
          </Badge>
        )}
      </Table.Td>
      <Table.Td>
        <Text size="sm">{user.lastSignInAt ? formatDateTime(user.lastSignInAt) : t('users.never')}</Text>
      </Table.Td>
      <Table.Td w={48}>
        {!self && (
          <Menu position="bottom-end" withinPortal>
            <Menu.Target>
              <ActionIcon variant="subtle" color="gray" aria-label={t('users.actionsFor', { name: user.name })}>
                <IconDots size={16} />
              </ActionIcon>
            </Menu.Target>
            <Menu.Dropdown>
              {user.disabled ? (
                <Menu.Item
                  leftSection={<IconUserCheck size={16} />}
                  onClick={() => save({ disabled: false }, t('users.enabledDone', { name: user.name }))}
                >
                  {t('users.enable')}
                </Menu.Item>
              ) : (
                <Menu.Item color="red" leftSection={<IconUserOff size={16} />} onClick={() => setConfirming(true)}>
                  {t('users.disable')}
                </Menu.Item>
              )}
            </Menu.Dropdown>
          </Menu>
        )}
        <ConfirmDialog
          opened={confirming}
          title={t('users.disableTitle', { name: user.name })}
          text={t('users.disableText')}
          confirmLabel={t('users.disable')}
          loading={update.isPending}
          onClose={() => setConfirming(false)}
          onConfirm={() => {
            save({ disabled: true }, t('users.disabledDone', { name: user.name }));
            setConfirming(false);
          }}
        />
      </Table.Td>
    </Table.Tr>
  );
}

/** Dashboard users: list, invite or create with a role, change the role, disable. Admins only. */
export function UsersTab() {
  const { t } = useTranslation('settings');
  const { user: me } = useAuth();
  const users = useUsers();
  const [creating, setCreating] = useState(false);
  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed">
          {t('users.intro')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          {t('users.create')}
        </Button>
      </Group>
      {users.isError ? (
        <QueryError error={users.error} onRetry={() => void users.refetch()} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={640}>
            <Table verticalSpacing="sm" aria-label={t('users.label')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('users.name')}</Table.Th>
                  <Table.Th>{t('users.role')}</Table.Th>
                  <Table.Th>{t('users.status')}</Table.Th>
                  <Table.Th>{t('users.lastSignIn')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {users.isPending ? (
                  <Table.Tr>
                    <Table.Td colSpan={5}>
                      <Skeleton h={60} />
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  users.data.map((u) => <UserRow key={u.id} user={u} self={u.id === me?.id} />)
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <CreateUserModal opened={creating} onClose={() => setCreating(false)} />
    </>
  );
}
