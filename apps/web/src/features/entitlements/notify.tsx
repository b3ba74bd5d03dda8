import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../../api/errors.ts';
import { i18n } from '../../i18n/i18n.ts';

const t = (key: string) => i18n.t(key, { ns: 'entitlements' });

/** The API's message (it names the reason), or a generic one. */
export function errorMessage(err: unknown): string {
  if (isApiError(err)) return err.status === 0 ? i18n.t('errors.network') : err.message;
  return i18n.t('errors.unexpected');
}

export const notifyFailed = (title: string, err: unknown) =>
  notifications.show({ color: 'red', title, message: errorMessage(err), autoClose: 8000 });

/** A success toast; with `onUndo`, an Undo button (kept open 10 s). */
export function notifyDone(message: string, testId: string, onUndo?: () => void) {
  if (!onUndo) {
    notifications.show({ color: 'teal', message, 'data-testid': testId });
    return;
  }
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
          data-testid="entitlements-undo"
          onClick={() => {
            notifications.hide(id);
            onUndo();
          }}
        >
          {t('undo')}
        </Button>
      </Group>
    ),
  });
}
