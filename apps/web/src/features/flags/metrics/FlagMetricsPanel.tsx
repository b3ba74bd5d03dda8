import { BarChart } from '@mantine/charts';
import {
  Card,
  ColorSwatch,
  Group,
  Progress,
  SegmentedControl,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconChartBar } from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyHint } from '../../../components/EmptyHint.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime, formatNumber } from '../../../i18n/format.ts';
import { i18n } from '../../../i18n/i18n.ts';
import { type FlagMetrics, useFlagMetrics } from './flag-metrics-api.ts';
import { barsOf, hoursFor, type MetricsWindow, share, variantRows, WINDOWS } from './metrics-view.ts';

const HOUR_MS = 3_600_000;
const YES_COLOR = 'var(--mantine-color-teal-6)';
const NO_COLOR = 'var(--mantine-color-gray-4)';

const formatPercent = (fraction: number) =>
  new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 1 }).format(fraction);

/** "15 Jan 2026, 14:00 – 15:00": the hour a report counted in (metrics are stored per hour). */
function formatHour(iso: string): string {
  const start = new Date(iso);
  const end = new Date(start.getTime() + HOUR_MS);
  return new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).formatRange(start, end);
}

const barLabel = (iso: string, window: MetricsWindow) =>
  new Intl.DateTimeFormat(
    i18n.language,
    window === '24h' ? { hour: '2-digit', minute: '2-digit' } : { day: 'numeric', month: 'short' },
  ).format(new Date(iso));

/** "● 3,668 on · ● 1,160 off": the counts in the chart's colours (its legend). */
function YesNo({ yes, no }: { yes: number; no: number }) {
  const { t } = useTranslation('flagMetrics');
  return (
    <Group gap="sm" data-testid="flag-metrics-yes-no">
      <Group gap={4} wrap="nowrap">
        <ColorSwatch color={YES_COLOR} size={8} withShadow={false} />
        <Text size="xs" c="dimmed">
          {t('totals.yes', { formatted: formatNumber(yes) })}
        </Text>
      </Group>
      <Group gap={4} wrap="nowrap">
        <ColorSwatch color={NO_COLOR} size={8} withShadow={false} />
        <Text size="xs" c="dimmed">
          {t('totals.no', { formatted: formatNumber(no) })}
        </Text>
      </Group>
    </Group>
  );
}

function Stat({
  label,
  value,
  hint,
  testId,
}: {
  label: string;
  value: string;
  hint?: React.ReactNode;
  testId: string;
}) {
  return (
    <Stack gap={2} miw={0}>
      <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
        {label}
      </Text>
      <Text fz="xl" fw={700} data-testid={testId}>
        {value}
      </Text>
      {hint}
    </Stack>
  );
}

function PanelSkeleton() {
  return (
    <Stack gap="md" data-testid="flag-metrics-loading">
      <SimpleGrid cols={3}>
        {[0, 1, 2].map((i) => (
          <Stack key={i} gap={6}>
            <Skeleton h={10} w="50%" />
            <Skeleton h={24} w="70%" />
          </Stack>
        ))}
      </SimpleGrid>
      <Skeleton h={160} radius="md" />
    </Stack>
  );
}

function Variants({ metrics }: { metrics: FlagMetrics }) {
  const { t } = useTranslation('flagMetrics');
  const rows = variantRows(metrics.totals.variants);
  if (rows.length === 0) return null;
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return (
    <Stack gap="xs" data-testid="flag-metrics-variants">
      <Title order={4} fz="sm">
        {t('variants.title')}
      </Title>
      {rows.map((v) => (
        <Stack key={v.name} gap={2} data-testid="flag-metrics-variant" data-name={v.name}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm" ff="monospace" truncate>
              {v.name}
            </Text>
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {t('variants.count', { count: v.count, formatted: formatNumber(v.count) })} ·{' '}
              {formatPercent(share(v.count, total))}
            </Text>
          </Group>
          <Progress value={share(v.count, total) * 100} size="sm" color="indigo.5" aria-label={v.name} />
        </Stack>
      ))}
    </Stack>
  );
}

function Usage({ metrics, window }: { metrics: FlagMetrics; window: MetricsWindow }) {
  const { t } = useTranslation('flagMetrics');
  const { yes, no } = metrics.totals;
  const total = yes + no;
  const bars = useMemo(
    () => barsOf(metrics.buckets, window).map((b) => ({ ...b, label: barLabel(b.at, window) })),
    [metrics.buckets, window],
  );
  const last = metrics.lastReportedHour;
  return (
    <Stack gap="lg">
      <SimpleGrid cols={{ base: 1, xs: 3 }} spacing="md">
        <Stat label={t('totals.evaluations')} value={formatNumber(total)} testId="flag-metrics-evaluations" />
        <Stat
          label={t('totals.enabled')}
          value={total > 0 ? formatPercent(share(yes, total)) : '—'}
          hint={<YesNo yes={yes} no={no} />}
          testId="flag-metrics-enabled"
        />
        <Stack gap={2} miw={0}>
          <Text size="xs" c="dimmed" tt="uppercase" fw={600}>
            {t('lastReported.label')}
          </Text>
          <Tooltip label={t('lastReported.hint')} multiline w={260} withArrow>
            <Text size="sm" fw={600} data-testid="flag-metrics-last-reported" data-hour={last ?? ''}>
              {last ? formatHour(last) : '—'}
            </Text>
          </Tooltip>
          {metrics.firstReportedHour && (
            <Text size="xs" c="dimmed">
              {t('lastReported.since', { time: formatDateTime(metrics.firstReportedHour) })}
            </Text>
          )}
        </Stack>
      </SimpleGrid>
      {total === 0 ? (
        <Text size="sm" c="dimmed" data-testid="flag-metrics-window-empty">
          {t('windowEmpty')}
        </Text>
      ) : (
        <BarChart
          h={170}
          data={bars}
          dataKey="label"
          type="stacked"
          series={[
            { name: 'yes', label: t('series.yes'), color: 'teal.6' },
            { name: 'no', label: t('series.no'), color: 'gray.4' },
          ]}
          tickLine="none"
          gridAxis="x"
          strokeDasharray="2 4"
          valueFormatter={formatNumber}
          xAxisProps={{ interval: 'preserveStartEnd', minTickGap: 12 }}
          yAxisProps={{ width: 48 }}
          data-testid="flag-metrics-chart"
        />
      )}
      <Variants metrics={metrics} />
    </Stack>
  );
}

/**
 * How often Unleash SDKs evaluated a flag (POST /api/client/metrics, per hour): evaluations, share on, a bar
 * chart of on vs off per hour (24 h) or day (7 d, 30 d), the variants, and when it was last reported.
 */
export function FlagMetricsPanel({ flagId }: { flagId: string }) {
  const { t } = useTranslation('flagMetrics');
  const [window, setWindow] = useState<MetricsWindow>('24h');
  const hours = hoursFor(window, new Date());
  const query = useFlagMetrics(flagId, hours);
  const metrics = query.data;
  const neverReported = metrics?.lastReportedHour === null;

  let body: React.ReactNode;
  if (!metrics && query.isPending) body = <PanelSkeleton />;
  else if (!metrics) body = <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  else if (metrics.lastReportedHour === null) {
    body = (
      <div data-testid="flag-metrics-empty">
        <EmptyHint icon={<IconChartBar size={26} />} title={t('empty.title')} description={t('empty.description')} />
      </div>
    );
  } else body = <Usage metrics={metrics} window={window} />;

  return (
    <Card withBorder radius="lg" padding="lg" data-testid="flag-metrics-panel">
      <Group justify="space-between" mb="md" gap="sm">
        <Title order={3} fz="md">
          {t('title')}
        </Title>
        {!neverReported && (
          <SegmentedControl
            size="xs"
            value={window}
            onChange={(v) => setWindow(v as MetricsWindow)}
            data={WINDOWS.map((w) => ({ value: w, label: t(`window.${w}`) }))}
            aria-label={t('window.label')}
            data-testid="flag-metrics-window"
          />
        )}
      </Group>
      {body}
    </Card>
  );
}
