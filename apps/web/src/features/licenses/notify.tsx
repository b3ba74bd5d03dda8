import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../../api/errors.ts';
import { i18n } from '../../i18n/i18n.ts';

const t = (key: string, options?: Record<string, unknown>) => i18n.t(key, { ns: 'licenses', ...options });

export const notifySuccess = (message: string, testId?: string) =>
  notifications.show({ color: 'teal', message, ...(testId ? { 'data-testid': testId } : {}) });

/** The API's message (it names the reason, e.g. the role), or a generic one. */
export function errorMessage(err: unknown): string {
  if (isApiError(err)) {
    if (err.status === 0) return t('errors.network');
    return err.message;
  }
  return t('errors.unexpected');
}

export const notifyError = (title: string, err: unknown) =>
  notifications.show({ color: 'red', title, message: errorMessage(err), autoClose: 8000 });

/** A success toast with an Undo button (kept open 10 s). */
export function notifyWithUndo(message: string, onUndo: () => void, testId: string) {
  const id = notifications.show({
    color: 'teal',
    autoClose: 10_000,
    'data-testid': testId,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">{message}</Text>
        <Button
          size="compact-sm"
          variant="light"
          style={{ flexShrink: 0 }}
          data-testid="undo-extend"
          onClick={() => {
            notifications.hide(id);
            onUndo();
          }}
        >
          {t('actions.undo')}
        </Button>
      </Group>
    ),
  });
  return id;
}
