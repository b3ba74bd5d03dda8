import { Alert, Button, Group, Modal, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { isApiError } from '../../api/errors.ts';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import { deleteFlag, useInvalidateFlags } from './flags-api.ts';
import type { Flag } from './flags-types.ts';

/**
 * Deleting a flag: refused while toggled for customers (FLAG_IN_USE) unless forced — the API then removes the
 * toggles too; flags that depend on it always block (the API says which).
 */
export function DeleteFlagDialog({ flag, opened, onClose }: { flag: Flag; opened: boolean; onClose(): void }) {
  const { t } = useTranslation('flags');
  const navigate = useNavigate();
  const invalidate = useInvalidateFlags();
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<{ message: string; canForce: boolean } | null>(null);
  useEffect(() => {
    if (opened) setProblem(null);
  }, [opened]);

  const run = async (force: boolean) => {
    setBusy(true);
    try {
      await deleteFlag(flag.id, force);
      invalidate();
      notifySuccess(t('toast.deleted', { key: flag.key }), 'toast-flag-deleted');
      void navigate(`/flags?product=${flag.productId}`);
    } catch (err) {
      const inUse = isApiError(err, 'FLAG_IN_USE');
      setProblem({ message: errorMessage(err), canForce: inUse && !/depend/i.test(errorMessage(err)) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal opened={opened} onClose={onClose} title={t('delete.title', { key: flag.key })} centered>
      <Text size="sm">{t('delete.text')}</Text>
      {problem && (
        <Alert color="red" variant="light" mt="md" data-testid="delete-problem">
          {problem.message}
        </Alert>
      )}
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={onClose}>
          {t('cancel')}
        </Button>
        {problem?.canForce ? (
          <Button color="red" loading={busy} onClick={() => void run(true)}>
            {t('delete.force')}
          </Button>
        ) : (
          <Button color="red" loading={busy} onClick={() => void run(false)} data-testid="flag-delete-confirm">
            {t('delete.confirm')}
          </Button>
        )}
      </Group>
    </Modal>
  );
}
