import { Alert, Anchor, Button, Group, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertCircle, IconMailCheck } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { authApi } from '../../auth/auth-api.ts';
import { authErrorMessage } from './auth-errors.ts';

export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  useDocumentTitle(`${t('forgot.title')} · Keyward`);
  const [email, setEmail] = useState('');
  const request = useMutation({ mutationFn: (address: string) => authApi.requestReset(address) });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    request.mutate(email.trim());
  };

  if (request.isSuccess) {
    return (
      <Stack gap="md">
        <Alert color="green" variant="light" icon={<IconMailCheck size={18} />} title={t('forgot.sentTitle')}>
          {t('forgot.sent', { email: email.trim() })}
        </Alert>
        <Anchor component={Link} to="/sign-in" size="sm">
          {t('backToSignIn')}
        </Anchor>
      </Stack>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <div>
          <Title order={2} fz={22}>
            {t('forgot.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('forgot.subtitle')}
          </Text>
        </div>
        {request.isError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
            {authErrorMessage(t, request.error)}
          </Alert>
        )}
        <TextInput
          label={t('fields.email')}
          type="email"
          autoComplete="email"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
        />
        <Group justify="space-between" mt="xs">
          <Anchor component={Link} to="/sign-in" size="sm">
            {t('backToSignIn')}
          </Anchor>
          <Button type="submit" loading={request.isPending} disabled={!email.includes('@')}>
            {t('forgot.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
