import { Button, Center, Loader, Stack, Text } from '@mantine/core';
import { IconPlugConnectedX } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { useAuth } from './auth-context.ts';

/** Shows its children to signed-in users; sends everyone else to /sign-in (and back here afterwards). */
export function RequireAuth({ children }: { children: ReactNode }) {
  const auth = useAuth();
  const location = useLocation();
  const { t } = useTranslation();
  if (auth.status === 'loading') {
    return (
      <Center h="100vh">
        <Loader aria-label={t('loading')} />
      </Center>
    );
  }
  if (auth.status === 'error') {
    return (
      <Center h="100vh">
        <Stack align="center" gap="sm">
          <IconPlugConnectedX size={40} stroke={1.5} />
          <Text fw={600}>{t('serverUnreachable.title')}</Text>
          <Text c="dimmed" size="sm">
            {t('serverUnreachable.description')}
          </Text>
          <Button onClick={auth.retry}>{t('retry')}</Button>
        </Stack>
      </Center>
    );
  }
  if (auth.status === 'signed-out') {
    const from = location.pathname + location.search;
    return <Navigate to={from === '/' ? '/sign-in' : `/sign-in?from=${encodeURIComponent(from)}`} replace />;
  }
  return children;
}
