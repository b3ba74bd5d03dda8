import { Alert, Button, Code, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';

interface Props {
  license: License | null;
  busy: boolean;
  onClose(): void;
  onConfirm(license: License): void;
}

/** Deleting removes the license and its machines (the API records it in the audit log): type the key to confirm. */
export function DeleteLicenseModal({ license, busy, onClose, onConfirm }: Props) {
  const { t } = useTranslation('licenses');
  const [typed, setTyped] = useState('');
  const [shownFor, setShownFor] = useState<string | null>(null);
  // A new license in the dialog starts with an empty confirmation.
  if ((license?.id ?? null) !== shownFor) {
    setShownFor(license?.id ?? null);
    setTyped('');
  }
  const matches = license !== null && typed.trim() === license.key;

  return (
    <Modal opened={license !== null} onClose={onClose} title={t('delete.title')} centered size="lg">
      {license && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (matches) onConfirm(license);
          }}
        >
          <Stack gap="md">
            <Alert color="red" variant="light" icon={<IconTrash size={18} />}>
              {t('delete.warning', { account: license.account.name, count: license.machineCount })}
            </Alert>
            <Text size="sm">{t('delete.typeKey')}</Text>
            <Code block style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
              {license.key}
            </Code>
            <TextInput
              label={t('delete.keyLabel')}
              value={typed}
              onChange={(e) => setTyped(e.currentTarget.value)}
              ff="monospace"
              autoComplete="off"
              spellCheck={false}
              data-autofocus
              data-testid="delete-confirm-input"
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                {t('cancel')}
              </Button>
              <Button type="submit" color="red" disabled={!matches} loading={busy} data-testid="delete-confirm">
                {t('delete.confirm')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
