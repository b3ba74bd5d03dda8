import { Alert, Button, Group, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../api/errors.ts';

/** A failed load: what went wrong, in words, and a retry button. */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = isApiError(error)
    ? error.status === 0
      ? t('errors.network')
      : error.status === 403
        ? t('errors.forbidden')
        : error.status === 404
          ? t('errors.notFound')
          : error.message
    : t('errors.unexpected');
  return (
    <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />} title={t('errors.loadFailed')}>
      <Group justify="space-between" gap="sm">
        <Text size="sm">{message}</Text>
        {onRetry && (
          <Button size="xs" variant="white" color="red" onClick={onRetry}>
            {t('retry')}
          </Button>
        )}
      </Group>
    </Alert>
  );
}
