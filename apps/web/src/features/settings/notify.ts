import { notifyError, notifySuccess } from '../../components/notify.tsx';
import { i18n } from '../../i18n/i18n.ts';

export { fieldErrorsOf } from '../../components/notify.tsx';

export const notifySaved = (message: string) => notifySuccess(message);

/** A failed change with the server's message (it names the reason, e.g. the last admin). */
export const notifyFailed = (err: unknown) => notifyError(i18n.t('settings:saveFailed'), err);
