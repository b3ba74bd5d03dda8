import { Button, Group, Modal, PasswordInput, Select, Stack, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../auth/types.ts';
import { fieldErrorsOf } from '../../components/notify.tsx';
import { notifyFailed, notifySaved } from './notify.ts';
import { useCreateUser } from './settings-api.ts';

const MIN_PASSWORD = 12;

/** A new dashboard user with a role; without a password the user gets a link to set one (an invitation). */
export function CreateUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation('settings');
  const { t: tShell } = useTranslation('shell');
  const { t: tCommon } = useTranslation();
  const create = useCreateUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('support');
  const [password, setPassword] = useState('');
  const fields = fieldErrorsOf(create.error);
  const emailTaken = create.error && 'code' in create.error && create.error.code === 'USER_EMAIL_TAKEN';
  const shortPassword = password.length > 0 && password.length < MIN_PASSWORD;

  const close = () => {
    create.reset();
    setEmail('');
    setName('');
    setRole('support');
    setPassword('');
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    create.mutate(
      { email: email.trim(), name: name.trim(), role, ...(password ? { password } : {}) },
      {
        onSuccess: (user) => {
          notifySaved(password ? t('users.created', { email: user.email }) : t('users.invited', { email: user.email }));
          close();
        },
        onError: (err) => {
          if (
            Object.keys(fieldErrorsOf(err)).length === 0 &&
            !(err && 'code' in err && err.code === 'USER_EMAIL_TAKEN')
          )
            notifyFailed(err);
        },
      },
    );
  };

  return (
    <Modal opened={opened} onClose={close} title={t('users.createTitle')} centered>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <TextInput
            label={t('users.email')}
            type="email"
            required
            data-autofocus
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={emailTaken ? t('users.emailTaken') : fields.email ? t('users.emailInvalid') : undefined}
          />
          <TextInput
            label={t('users.name')}
            required
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={fields.name}
          />
          <Select
            label={t('users.role')}
            value={role}
            allowDeselect={false}
            onChange={(value) => value && setRole(value as Role)}
            data={ROLES.map((r) => ({ value: r, label: tShell(`roles.${r}`) }))}
            description={t(`users.roleHelp.${role}`)}
          />
          <PasswordInput
            label={t('users.password')}
            description={t('users.passwordHelp', { count: MIN_PASSWORD })}
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={shortPassword || fields.password ? t('users.passwordTooShort', { count: MIN_PASSWORD }) : undefined}
          />
          <Group justify="flex-end" mt="sm">
            <Button variant="default" onClick={close}>
              {tCommon('cancel')}
            </Button>
            <Button type="submit" loading={create.isPending} disabled={!email.trim() || !name.trim() || shortPassword}>
              {password ? t('users.createSubmit') : t('users.inviteSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
