import { Alert, Button, Code, Group, Modal, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';

interface Props {
  license: License | null;
  busy: boolean;
  onClose(): void;
  onConfirm(license: License): void;
}

/** Revoking is final: confirm first. */
export function RevokeLicenseModal({ license, busy, onClose, onConfirm }: Props) {
  const { t } = useTranslation('licenses');
  return (
    <Modal opened={license !== null} onClose={onClose} title={t('revoke.title')} centered>
      {license && (
        <Stack gap="md">
          <Alert color="red" variant="light" icon={<IconAlertTriangle size={18} />}>
            {t('revoke.warning')}
          </Alert>
          <Text size="sm">
            {t('revoke.question', { account: license.account.name })} <Code>{license.key}</Code>
          </Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose} data-autofocus>
              {t('cancel')}
            </Button>
            <Button color="red" loading={busy} onClick={() => onConfirm(license)} data-testid="revoke-confirm">
              {t('revoke.confirm')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
