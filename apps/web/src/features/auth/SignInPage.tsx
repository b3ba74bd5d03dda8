import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertCircle } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/errors.ts';
import { useAuth } from '../../auth/auth-context.ts';
import { authErrorMessage } from './auth-errors.ts';
import { safeReturnPath } from './RedirectIfSignedIn.tsx';

export function SignInPage() {
  const { t } = useTranslation('auth');
  useDocumentTitle(`${t('signIn.title')} · Keyward`);
  const { signIn } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const fieldErrors = isApiError(error, 'VALIDATION_FAILED') ? error.fieldErrors() : {};

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signIn(email.trim(), password);
      navigate(safeReturnPath(params.get('from')), { replace: true });
    } catch (err) {
      setError(err);
      if (isApiError(err, 'INVALID_CREDENTIALS')) setPassword('');
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <div>
          <Title order={2} fz={22}>
            {t('signIn.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('signIn.subtitle')}
          </Text>
        </div>
        {params.get('reset') === 'done' && !error && (
          <Alert color="green" variant="light">
            {t('reset.done')}
          </Alert>
        )}
        {error !== null && !isApiError(error, 'VALIDATION_FAILED') && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
            {authErrorMessage(t, error)}
          </Alert>
        )}
        <TextInput
          label={t('fields.email')}
          type="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(e) => setEmail(e.currentTarget.value)}
          error={fieldErrors.email ? t('errors.emailInvalid') : undefined}
        />
        <PasswordInput
          label={t('fields.password')}
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={fieldErrors.password ? t('errors.passwordRequired') : undefined}
        />
        <Group justify="space-between" mt="xs">
          <Anchor component={Link} to="/forgot-password" size="sm">
            {t('signIn.forgot')}
          </Anchor>
          <Button type="submit" loading={busy} disabled={!email.trim() || !password}>
            {t('signIn.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
