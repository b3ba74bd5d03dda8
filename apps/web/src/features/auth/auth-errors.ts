import type { TFunction } from 'i18next';
import { isApiError } from '../../api/errors.ts';

/** A sign-in or password-reset error as one sentence for the user. */
export function authErrorMessage(t: TFunction<'auth'>, err: unknown): string {
  if (!isApiError(err)) return t('errors.unexpected');
  const minutes = err.retryAfter ? Math.max(1, Math.ceil(err.retryAfter / 60)) : null;
  switch (err.code) {
    case 'INVALID_CREDENTIALS':
      return t('errors.invalidCredentials');
    case 'SIGN_IN_THROTTLED':
      return minutes ? t('errors.throttledFor', { count: minutes }) : t('errors.throttled');
    case 'RATE_LIMITED':
      return minutes ? t('errors.rateLimitedFor', { count: minutes }) : t('errors.rateLimited');
    case 'RESET_TOKEN_INVALID':
      return t('errors.resetTokenInvalid');
    case 'NETWORK_ERROR':
      return t('errors.network');
    default:
      return err.status >= 500 ? t('errors.server') : err.message;
  }
}
