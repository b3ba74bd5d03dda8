import { Button, Group, Text, Textarea } from '@mantine/core';
import { IconPencil } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth-context.ts';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import { DetailCard } from './DetailCard.tsx';
import { type LicenseDetail, useUpdateLicense } from './licenses-api.ts';

/** The license's notes; support and managers may edit them (PATCH with only `notes`). */
export function NotesCard({ license }: { license: LicenseDetail }) {
  const { t } = useTranslation('licenses');
  const canEdit = useCan('license.editNotes');
  const [draft, setDraft] = useState<string | null>(null);
  const update = useUpdateLicense(license.id);

  const save = () => {
    if (draft === null) return;
    update.mutate(
      { notes: draft },
      {
        onSuccess: () => {
          setDraft(null);
          notifySuccess(t('toast.notesSaved'), 'toast-notes-saved');
        },
      },
    );
  };

  return (
    <DetailCard
      title={t('detail.notes')}
      testId="license-notes"
      actions={
        canEdit &&
        draft === null && (
          <Button
            size="xs"
            variant="light"
            leftSection={<IconPencil size={14} />}
            onClick={() => setDraft(license.notes)}
            data-testid="edit-notes"
          >
            {t('notes.edit')}
          </Button>
        )
      }
    >
      {draft === null ? (
        license.notes ? (
          <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
            {license.notes}
          </Text>
        ) : (
          <Text size="sm" c="dimmed">
            {t('notes.empty')}
          </Text>
        )
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <Textarea
            aria-label={t('detail.notes')}
            autosize
            minRows={4}
            maxRows={14}
            maxLength={10_000}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && (e.metaKey || e.ctrlKey)) save();
              if (e.key === 'Escape') setDraft(null);
            }}
            error={update.isError ? errorMessage(update.error) : undefined}
            data-autofocus
            autoFocus
            data-testid="notes-input"
          />
          <Group justify="flex-end" mt="sm" gap="sm">
            <Button variant="default" size="xs" onClick={() => setDraft(null)}>
              {t('cancel')}
            </Button>
            <Button type="submit" size="xs" loading={update.isPending} data-testid="save-notes">
              {t('notes.save')}
            </Button>
          </Group>
        </form>
      )}
    </DetailCard>
  );
}
