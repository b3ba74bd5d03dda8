import { Progress, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate, formatNumber } from '../../i18n/format.ts';
import type { UsageState } from './entitlements-types.ts';
import { USAGE_COLORS, usagePercent } from './values.ts';

/** Darker than the bar's colours, for text on white. */
const TEXT_COLORS = { ok: undefined, warning: 'orange.8', exceeded: 'red.8' } as const;

/** Usage against the limit: a bar coloured by status (ok / warning / exceeded) and the period it counts. */
export function UsageBar({ usage, unit, name }: { usage: UsageState; unit: string; name: string }) {
  const { t } = useTranslation('entitlements');
  const percent = usagePercent(usage);
  const used = formatNumber(usage.used);
  const amount = (
    usage.limit === null
      ? t('usage.usedUnlimited', { used, unit })
      : t('usage.usedOf', { used, limit: formatNumber(usage.limit), unit })
  ).replace(/ {2,}/g, ' ');
  const period =
    usage.resetPeriod === 'none'
      ? t('usage.noReset')
      : t(`usage.period.${usage.resetPeriod}`, { date: formatDate(usage.periodEnd) });
  return (
    <Stack gap={4} miw={180} maw={300} data-testid="usage" data-status={usage.status}>
      {percent !== null && (
        <Progress
          value={percent}
          color={USAGE_COLORS[usage.status]}
          size="sm"
          radius="xl"
          aria-label={t('usage.barLabel', { name })}
          aria-valuetext={amount}
        />
      )}
      <Text size="xs" fw={500} c={TEXT_COLORS[usage.status]}>
        {amount}
        {usage.status !== 'ok' && ` · ${t(`usage.status.${usage.status}`)}`}
      </Text>
      <Text size="xs" c="dimmed">
        {period}
      </Text>
    </Stack>
  );
}
