import { Button, Checkbox, Group, Modal, Stack, Text } from '@mantine/core';
import { DatePickerInput } from '@mantine/dates';
import { IconCalendar } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';
import { formatDate } from '../../i18n/format.ts';
import { expiryInstant } from './form-defaults.ts';

interface Props {
  license: License | null;
  busy: boolean;
  onClose(): void;
  onSubmit(license: License, endsAt: string | null): void;
}

/** Set a custom end date, or "never expires". */
export function SetExpiryModal({ license, busy, onClose, onSubmit }: Props) {
  const { t } = useTranslation('licenses');
  const [date, setDate] = useState<string | null>(null);
  const [never, setNever] = useState(false);

  useEffect(() => {
    if (!license) return;
    setDate(license.endsAt ? dayjs(license.endsAt).format('YYYY-MM-DD') : null);
    setNever(license.endsAt === null);
  }, [license]);

  const submit = () => {
    if (!license || (!never && !date)) return;
    onSubmit(license, never ? null : expiryInstant(date!, license.endsAt));
  };

  return (
    <Modal opened={license !== null} onClose={onClose} title={t('expiry.title')} centered>
      {license && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <Stack gap="md">
            <Text size="sm" c="dimmed">
              {t('expiry.current', { date: license.endsAt ? formatDate(license.endsAt) : t('never') })}
            </Text>
            <DatePickerInput
              label={t('expiry.date')}
              leftSection={<IconCalendar size={16} />}
              value={never ? null : date}
              onChange={(v) => setDate(v ? String(v) : null)}
              disabled={never}
              minDate={dayjs(license.startsAt).format('YYYY-MM-DD')}
              valueFormat="ll"
              popoverProps={{ withinPortal: true }}
              data-testid="expiry-date"
              data-autofocus
            />
            <Checkbox
              label={t('expiry.never')}
              checked={never}
              onChange={(e) => setNever(e.currentTarget.checked)}
              data-testid="expiry-never"
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={onClose}>
                {t('cancel')}
              </Button>
              <Button type="submit" loading={busy} disabled={!never && !date} data-testid="expiry-save">
                {t('expiry.save')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
