import { Modal } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';
import { KeyFormats } from './KeyFormats.tsx';

/** The license as a Kubernetes Secret (YAML) and the kubectl command creating it, each with a copy button. */
export function KubernetesSecretModal({ license, onClose }: { license: License | null; onClose(): void }) {
  const { t } = useTranslation('licenses');
  return (
    <Modal
      opened={license !== null}
      onClose={onClose}
      title={license ? `${t('k8s.title')} · ${license.name || license.key}` : t('k8s.title')}
      size="xl"
      centered
    >
      {license && <KeyFormats licenseId={license.id} only="k8s" />}
    </Modal>
  );
}
