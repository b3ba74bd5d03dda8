import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';
import { notifyError, notifySuccess, notifyWithUndo } from '../../components/notify.tsx';
import { formatDate } from '../../i18n/format.ts';
import { copyText, licenseFileName, saveFile } from './browser.ts';
import { type LicenseDialog, LicenseDialogs } from './LicenseDialogs.tsx';
import {
  checkOutLicenseFile,
  deleteLicense,
  extendLicense,
  fetchLicenseKey,
  type LicenseAction,
  type LicenseDetail,
  runLicenseAction,
  setLicenseExpiry,
  useInvalidateLicense,
} from './licenses-api.ts';

/**
 * Every per-license action of the list and the detail page, each with a toast; the dialogs it needs (custom
 * expiry, revoke, delete, Kubernetes Secret) are rendered by `dialogs`.
 */
export function useLicenseActions(opts: { onDeleted?: (license: License) => void } = {}) {
  const { t } = useTranslation('licenses');
  const invalidate = useInvalidateLicense();
  const [dialog, setDialog] = useState<LicenseDialog | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  async function perform<T>(license: License, name: string, run: () => Promise<T>, done: (r: T) => void) {
    setBusy(`${license.id}:${name}`);
    try {
      done(await run());
    } catch (err) {
      notifyError(t(`toast.${name}Failed`), err);
    } finally {
      setBusy(null);
    }
  }

  const endText = (l: LicenseDetail) => (l.endsAt ? formatDate(l.endsAt) : t('never'));

  const undoWeek = (license: License) =>
    perform(
      license,
      'undo',
      () => extendLicense(license.id, -7),
      (updated) => {
        invalidate(license.id, updated);
        notifySuccess(t('toast.undone', { date: endText(updated) }), 'toast-undone');
      },
    );

  const extendWeek = (license: License) =>
    perform(
      license,
      'extend',
      () => extendLicense(license.id, 7),
      (updated) => {
        invalidate(license.id, updated);
        notifyWithUndo(t('toast.extended', { date: endText(updated) }), () => void undoWeek(license), {
          toast: 'toast-extended',
          undo: 'undo-extend',
        });
      },
    );

  const lifecycle = (license: License, action: LicenseAction) =>
    perform(
      license,
      action,
      () => runLicenseAction(license.id, action),
      (updated) => {
        invalidate(license.id, updated);
        notifySuccess(t(`toast.${action}`, { date: endText(updated) }), `toast-${action}`);
      },
    );

  const setExpiry = (license: License, endsAt: string | null) =>
    perform(
      license,
      'setExpiry',
      () => setLicenseExpiry(license.id, endsAt),
      (updated) => {
        invalidate(license.id, updated);
        setDialog(null);
        const message = updated.endsAt ? t('toast.setExpiry', { date: endText(updated) }) : t('toast.setExpiryNever');
        notifySuccess(message, 'toast-set-expiry');
      },
    );

  const remove = (license: License) =>
    perform(
      license,
      'delete',
      () => deleteLicense(license.id),
      () => {
        setDialog(null);
        invalidate();
        notifySuccess(t('toast.delete', { key: license.key }), 'toast-delete');
        opts.onDeleted?.(license);
      },
    );

  const copyKey = (license: License) =>
    perform(
      license,
      'copy',
      () => copyText(license.key),
      () => notifySuccess(t('toast.copiedKey'), 'toast-copied-key'),
    );

  const copyBase64 = (license: License) =>
    perform(
      license,
      'copy',
      async () => copyText((await fetchLicenseKey(license.id)).base64),
      () => notifySuccess(t('toast.copiedBase64'), 'toast-copied-base64'),
    );

  const downloadFile = (license: License) =>
    perform(
      license,
      'download',
      () => checkOutLicenseFile(license.id),
      (file) => {
        saveFile(licenseFileName(license.key), file.certificate, 'application/x-pem-file');
        notifySuccess(t('toast.downloaded', { date: formatDate(file.expiresAt) }), 'toast-downloaded');
      },
    );

  const actions = {
    extendWeek,
    undoWeek,
    renew: (l: License) => lifecycle(l, 'renew'),
    suspend: (l: License) => lifecycle(l, 'suspend'),
    reinstate: (l: License) => lifecycle(l, 'reinstate'),
    copyKey,
    copyBase64,
    downloadFile,
    openExpiry: (license: License) => setDialog({ kind: 'expiry', license }),
    openRevoke: (license: License) => setDialog({ kind: 'revoke', license }),
    openDelete: (license: License) => setDialog({ kind: 'delete', license }),
    openKubernetes: (license: License) => setDialog({ kind: 'k8s', license }),
  };

  const dialogs = (
    <LicenseDialogs
      dialog={dialog}
      busy={busy !== null}
      onClose={() => setDialog(null)}
      onSetExpiry={(l, endsAt) => void setExpiry(l, endsAt)}
      onRevoke={(l) => void lifecycle(l, 'revoke').then(() => setDialog(null))}
      onDelete={(l) => void remove(l)}
    />
  );

  return { actions, dialogs, busy, isBusy: (id: string, name?: string) => busy?.startsWith(`${id}:${name ?? ''}`) };
}

export type LicenseActions = ReturnType<typeof useLicenseActions>['actions'];
