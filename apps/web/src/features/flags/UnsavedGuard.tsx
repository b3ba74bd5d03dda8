import { Button, Group, Modal, Text } from '@mantine/core';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useBlocker } from 'react-router';

/** Asks before leaving the page (in the app or closing the tab) while the editor has unsaved changes. */
export function UnsavedGuard({ dirty }: { dirty: boolean }) {
  const { t } = useTranslation('flags');
  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (!dirty) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return (
    <Modal
      opened={blocker.state === 'blocked'}
      onClose={() => blocker.reset?.()}
      title={t('editor.leaveTitle')}
      centered
    >
      <Text size="sm">{t('editor.leaveText')}</Text>
      <Group justify="flex-end" mt="lg">
        <Button variant="default" onClick={() => blocker.reset?.()} data-autofocus>
          {t('editor.stay')}
        </Button>
        <Button color="red" onClick={() => blocker.proceed?.()}>
          {t('editor.leave')}
        </Button>
      </Group>
    </Modal>
  );
}
