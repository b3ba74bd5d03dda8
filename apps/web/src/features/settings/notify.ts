import { notifications } from '@mantine/notifications';
import { isApiError } from '../../api/errors.ts';
import { i18n } from '../../i18n/i18n.ts';

export const notifySaved = (message: string) => notifications.show({ color: 'green', message });

/** A failed change as a red notification with the server's message (it names the reason, e.g. the last admin). */
export function notifyFailed(err: unknown) {
  const message = isApiError(err)
    ? err.status === 0
      ? i18n.t('errors.network')
      : err.message
    : i18n.t('errors.unexpected');
  notifications.show({ color: 'red', title: i18n.t('settings:saveFailed'), message });
}

/** Field errors of a 4xx (VALIDATION_FAILED and rule errors with details), for the form (`/body/name` → `name`). */
export const fieldErrorsOf = (err: unknown): Record<string, string> =>
  isApiError(err) && err.status >= 400 && err.status < 500 ? err.fieldErrors() : {};
