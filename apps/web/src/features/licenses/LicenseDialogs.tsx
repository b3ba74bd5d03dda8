import type { License } from '../../api/types.ts';
import { DeleteLicenseModal } from './DeleteLicenseModal.tsx';
import { KubernetesSecretModal } from './KubernetesSecretModal.tsx';
import { RevokeLicenseModal } from './RevokeLicenseModal.tsx';
import { SetExpiryModal } from './SetExpiryModal.tsx';

export type LicenseDialog = { kind: 'expiry' | 'revoke' | 'delete' | 'k8s'; license: License };

interface Props {
  dialog: LicenseDialog | null;
  busy: boolean;
  onClose(): void;
  onSetExpiry(license: License, endsAt: string | null): void;
  onRevoke(license: License): void;
  onDelete(license: License): void;
}

/** The dialogs of the per-license actions; one is open at a time. */
export function LicenseDialogs({ dialog, busy, onClose, onSetExpiry, onRevoke, onDelete }: Props) {
  const license = dialog?.license ?? null;
  return (
    <>
      <SetExpiryModal
        license={dialog?.kind === 'expiry' ? license : null}
        busy={busy}
        onClose={onClose}
        onSubmit={onSetExpiry}
      />
      <RevokeLicenseModal
        license={dialog?.kind === 'revoke' ? license : null}
        busy={busy}
        onClose={onClose}
        onConfirm={onRevoke}
      />
      <DeleteLicenseModal
        license={dialog?.kind === 'delete' ? license : null}
        busy={busy}
        onClose={onClose}
        onConfirm={onDelete}
      />
      <KubernetesSecretModal license={dialog?.kind === 'k8s' ? license : null} onClose={onClose} />
    </>
  );
}
