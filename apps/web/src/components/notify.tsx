import { Button, Group, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { isApiError } from '../api/errors.ts';
import { i18n } from '../i18n/i18n.ts';

/*
 * The dashboard's toasts: one place for success, failure (with the API's message) and success-with-Undo, so every
 * screen reports the same way. Strings come from the `common` namespace or from the caller.
 */

/** The API's message (it names the reason, e.g. the role or the last admin), or a generic one. */
export function errorMessage(err: unknown): string {
  if (isApiError(err)) return err.status === 0 ? i18n.t('common:errors.network') : err.message;
  return i18n.t('common:errors.unexpected');
}

/** Field errors of a 4xx (VALIDATION_FAILED and rule errors with details), for a form (`/body/name` → `name`). */
export const fieldErrorsOf = (err: unknown): Record<string, string> =>
  isApiError(err) && err.status >= 400 && err.status < 500 ? err.fieldErrors() : {};

export const notifySuccess = (message: string, testId?: string) =>
  notifications.show({ color: 'teal', message, ...(testId ? { 'data-testid': testId } : {}) });

/** A failed change: red, titled, with the server's message; kept open 8 s. */
export const notifyError = (title: string, err: unknown) =>
  notifications.show({ color: 'red', title, message: errorMessage(err), autoClose: 8000 });

/** A success toast with an Undo button (kept open 10 s); returns the notification's id. */
export function notifyWithUndo(message: string, onUndo: () => void, testIds: { toast: string; undo: string }) {
  const id = notifications.show({
    color: 'teal',
    autoClose: 10_000,
    'data-testid': testIds.toast,
    message: (
      <Group justify="space-between" wrap="nowrap" gap="sm">
        <Text size="sm">{message}</Text>
        <Button
          size="compact-sm"
          variant="light"
          style={{ flexShrink: 0 }}
          data-testid={testIds.undo}
          onClick={() => {
            notifications.hide(id);
            onUndo();
          }}
        >
          {i18n.t('common:undo')}
        </Button>
      </Group>
    ),
  });
  return id;
}
