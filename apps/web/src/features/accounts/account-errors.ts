import type { TFunction } from 'i18next';
import { isApiError } from '../../api/errors.ts';

/**
 * The API's field details (`/body/emailDomains/1`, `/body/contacts/0/email`) as translated messages keyed by form
 * field (`emailDomains`, `contacts.0.email`), plus a general message for what is not about one field.
 */
export function accountFormErrors(t: TFunction<'accounts'>, err: unknown) {
  const fields: Record<string, string> = {};
  if (!isApiError(err)) return { fields, general: err ? t('errors.unexpected') : null };
  if (err.code === 'ACCOUNT_CRM_ID_TAKEN') return { fields: { crmId: t('errors.crmIdTaken') }, general: null };
  for (const [path, message] of Object.entries(err.fieldErrors())) {
    const [field, index, sub] = path.split('.');
    if (field === 'name') fields.name ??= t('errors.name');
    else if (field === 'crmId') fields.crmId ??= t('errors.crmId');
    else if (field === 'emailDomains') fields.emailDomains ??= t('errors.domain', { index: Number(index) + 1 });
    else if (field === 'contacts' && sub) fields[`contacts.${index}.${sub}`] ??= t(`errors.contact.${sub}`, message);
    else if (field === 'notes') fields.notes ??= t('errors.notes');
    else fields[path] = message;
  }
  const general = Object.keys(fields).length === 0 ? err.message : null;
  return { fields, general };
}
