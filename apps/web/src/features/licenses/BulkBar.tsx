import { Button, Card, Group, NumberInput, Text } from '@mantine/core';
import { IconCalendarPlus, IconFileSpreadsheet, IconX } from '@tabler/icons-react';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { License } from '../../api/types.ts';
import { useCan } from '../../auth/auth-context.ts';
import { notifyError, notifySuccess } from '../../components/notify.tsx';
import { saveFile } from './browser.ts';
import { licensesToCsv } from './csv.ts';
import classes from './licenses.module.css';
import { extendLicense, useInvalidateLicense } from './licenses-api.ts';

interface Props {
  selected: License[];
  onClear(): void;
}

/** What to do with the selected licenses: extend all by N days, export them as CSV. */
export function BulkBar({ selected, onClear }: Props) {
  const { t } = useTranslation('licenses');
  const canAct = useCan('license.act');
  const invalidate = useInvalidateLicense();
  const [days, setDays] = useState<number | string>(7);
  const [running, setRunning] = useState(false);
  const n = typeof days === 'number' ? days : Number.parseInt(days, 10);
  const valid = Number.isInteger(n) && n !== 0 && Math.abs(n) <= 3650;

  const extendAll = async () => {
    setRunning(true);
    const withEnd = selected.filter((l) => l.endsAt !== null && !l.revoked);
    const results = await Promise.allSettled(withEnd.map((l) => extendLicense(l.id, n)));
    setRunning(false);
    invalidate();
    const failed = results.filter((r) => r.status === 'rejected');
    const skipped = selected.length - withEnd.length;
    const done = results.length - failed.length;
    if (done > 0) notifySuccess(t('bulk.extended', { count: done, days: n }), 'toast-bulk-extended');
    if (skipped > 0) notifySuccess(t('bulk.skipped', { count: skipped }));
    if (failed[0]) notifyError(t('bulk.failed', { count: failed.length }), failed[0].reason);
  };

  const exportCsv = () => {
    saveFile(`licenses-${dayjs().format('YYYY-MM-DD')}.csv`, licensesToCsv(selected), 'text/csv;charset=utf-8');
    notifySuccess(t('bulk.exported', { count: selected.length }), 'toast-exported');
  };

  return (
    <Card withBorder radius="lg" shadow="md" padding="sm" className={classes.bulkBar} data-testid="bulk-bar">
      <Group justify="space-between" gap="sm">
        <Text fw={600} size="sm" aria-live="polite">
          {t('bulk.selected', { count: selected.length })}
        </Text>
        <Group gap="sm">
          {canAct && (
            <Group gap={6} wrap="nowrap">
              <NumberInput
                w={90}
                size="sm"
                aria-label={t('bulk.days')}
                value={days}
                onChange={setDays}
                min={-3650}
                max={3650}
                allowDecimal={false}
                suffix={` ${t('bulk.daysSuffix')}`}
                data-testid="bulk-days"
              />
              <Button
                leftSection={<IconCalendarPlus size={16} />}
                onClick={() => void extendAll()}
                loading={running}
                disabled={!valid}
                data-testid="bulk-extend"
              >
                {t('bulk.extend')}
              </Button>
            </Group>
          )}
          <Button
            variant="default"
            leftSection={<IconFileSpreadsheet size={16} />}
            onClick={exportCsv}
            data-testid="bulk-export"
          >
            {t('bulk.export')}
          </Button>
          <Button variant="subtle" color="gray" leftSection={<IconX size={16} />} onClick={onClear}>
            {t('bulk.clear')}
          </Button>
        </Group>
      </Group>
    </Card>
  );
}
