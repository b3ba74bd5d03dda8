import { Alert, Button, Group, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../../api/types.ts';
import { useCan } from '../../../auth/auth-context.ts';
import { accountFormErrors } from '../account-errors.ts';
import { useUpdateAccount } from '../accounts-api.ts';

/** Free-text notes; support staff may edit them too. Ctrl+Enter saves. */
export function NotesTab({ account }: { account: Account }) {
  const { t } = useTranslation('accounts');
  const canEdit = useCan('account.editNotes');
  const [notes, setNotes] = useState(account.notes);
  const update = useUpdateAccount(account.id);
  useEffect(() => setNotes(account.notes), [account.notes]);
  const dirty = notes !== account.notes;
  const errors = accountFormErrors(t, update.error);

  const save = () =>
    update.mutate({ notes }, { onSuccess: () => notifications.show({ color: 'green', message: t('notes.saved') }) });

  if (!canEdit) {
    return account.notes ? (
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {account.notes}
      </Text>
    ) : (
      <Text size="sm" c="dimmed">
        {t('notes.none')}
      </Text>
    );
  }
  return (
    <Stack gap="sm">
      {errors.general && (
        <Alert color="red" variant="light">
          {errors.general}
        </Alert>
      )}
      <Textarea
        aria-label={t('tabs.notes')}
        placeholder={t('notes.placeholder')}
        autosize
        minRows={5}
        maxRows={20}
        value={notes}
        onChange={(e) => setNotes(e.currentTarget.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey) && dirty) save();
        }}
        error={errors.fields.notes}
      />
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {dirty ? t('notes.unsaved') : t('notes.hint')}
        </Text>
        <Group gap="sm">
          {dirty && (
            <Button variant="default" onClick={() => setNotes(account.notes)}>
              {t('common:cancel')}
            </Button>
          )}
          <Button onClick={save} disabled={!dirty} loading={update.isPending}>
            {t('common:save')}
          </Button>
        </Group>
      </Group>
    </Stack>
  );
}
