import { Alert, Anchor, Button, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useDocumentTitle } from '@mantine/hooks';
import { IconAlertCircle } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { isApiError } from '../../api/errors.ts';
import { authApi } from '../../auth/auth-api.ts';
import { authErrorMessage } from './auth-errors.ts';

const MIN_LENGTH = 12;

/** The page the reset mail links to: /reset-password?token=… */
export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  useDocumentTitle(`${t('reset.title')} · Keyward`);
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const token = params.get('token') ?? '';
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const confirm = useMutation({
    mutationFn: () => authApi.confirmReset(token, password),
    onSuccess: () => navigate('/sign-in?reset=done', { replace: true }),
  });

  const tooShort = password.length > 0 && password.length < MIN_LENGTH;
  const mismatch = touched && repeat !== password;
  const serverFieldError = isApiError(confirm.error, 'VALIDATION_FAILED')
    ? confirm.error.fieldErrors().password
    : undefined;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (password.length >= MIN_LENGTH && password === repeat) confirm.mutate();
  };

  if (!token) {
    return (
      <Stack gap="md">
        <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />}>
          {t('errors.resetTokenInvalid')}
        </Alert>
        <Anchor component={Link} to="/forgot-password" size="sm">
          {t('reset.requestNew')}
        </Anchor>
      </Stack>
    );
  }

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="md">
        <div>
          <Title order={2} fz={22}>
            {t('reset.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('reset.subtitle', { count: MIN_LENGTH })}
          </Text>
        </div>
        {confirm.isError && !serverFieldError && (
          <Alert color="red" variant="light" icon={<IconAlertCircle size={18} />} role="alert">
            {authErrorMessage(t, confirm.error)}
            {isApiError(confirm.error, 'RESET_TOKEN_INVALID') && (
              <Anchor component={Link} to="/forgot-password" size="sm" display="block" mt={6}>
                {t('reset.requestNew')}
              </Anchor>
            )}
          </Alert>
        )}
        <PasswordInput
          label={t('fields.newPassword')}
          autoComplete="new-password"
          required
          autoFocus
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          error={tooShort && touched ? t('errors.passwordTooShort', { count: MIN_LENGTH }) : serverFieldError}
        />
        <PasswordInput
          label={t('fields.repeatPassword')}
          autoComplete="new-password"
          required
          value={repeat}
          onChange={(e) => setRepeat(e.currentTarget.value)}
          onBlur={() => repeat && setTouched(true)}
          error={mismatch ? t('errors.passwordMismatch') : undefined}
        />
        <Group justify="space-between" mt="xs">
          <Anchor component={Link} to="/sign-in" size="sm">
            {t('backToSignIn')}
          </Anchor>
          <Button type="submit" loading={confirm.isPending} disabled={!password || !repeat}>
            {t('reset.submit')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
