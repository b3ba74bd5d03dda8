import { BarChart, DonutChart } from '@mantine/charts';
import { Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { LICENSE_STATUSES, type LicenseStatus, type StatsOverview } from '../../api/types.ts';
import { links } from '../../app/links.ts';
import { STATUS_COLORS, StatusBadge } from '../../components/StatusBadge.tsx';
import { formatNumber } from '../../i18n/format.ts';
import { i18n } from '../../i18n/i18n.ts';
import classes from './home.module.css';

const shortDate = (iso: string) =>
  new Intl.DateTimeFormat(i18n.language, { day: 'numeric', month: 'short' }).format(new Date(iso));
const monthName = (month: string) =>
  new Intl.DateTimeFormat(i18n.language, { month: 'short', timeZone: 'UTC' }).format(new Date(`${month}-01T00:00:00Z`));

/** Bar labels for non-empty bars only (a row of zeros is noise). */
const hideZero = (value: unknown) => (Number(value) ? formatNumber(Number(value)) : '');

function ChartCard({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Card withBorder radius="lg" padding="lg">
      <Title order={3} fz="md" mb="md">
        {title}
      </Title>
      {children}
    </Card>
  );
}

function StatusRow({ status, count }: { status: LicenseStatus; count: number }) {
  const href = links.licenses({ status });
  const row = (
    <Group justify="space-between" wrap="nowrap" gap="xs">
      <StatusBadge status={status} size="sm" />
      <Text size="sm" fw={600}>
        {formatNumber(count)}
      </Text>
    </Group>
  );
  return href ? (
    <Link to={href} className={classes.statusRow}>
      {row}
    </Link>
  ) : (
    <div className={classes.statusRow}>{row}</div>
  );
}

function StatusChart({ stats }: { stats: StatsOverview }) {
  const { t } = useTranslation('home');
  const total = LICENSE_STATUSES.reduce((sum, s) => sum + stats.licensesByStatus[s], 0);
  const data = LICENSE_STATUSES.filter((s) => stats.licensesByStatus[s] > 0).map((s) => ({
    name: t(`common:status.${s}`),
    value: stats.licensesByStatus[s],
    color: `${STATUS_COLORS[s]}.6`,
  }));
  return (
    <ChartCard title={t('charts.byStatus')}>
      <Group align="center" gap="lg" wrap="nowrap">
        <DonutChart data={data} size={132} thickness={18} chartLabel={formatNumber(total)} withTooltip={false} />
        <Stack gap={4} style={{ flex: 1 }} miw={0}>
          {LICENSE_STATUSES.map((s) => (
            <StatusRow key={s} status={s} count={stats.licensesByStatus[s]} />
          ))}
        </Stack>
      </Group>
    </ChartCard>
  );
}

/** Licenses by status, ending per week, renewals per month. */
export function HomeCharts({ stats }: { stats: StatsOverview }) {
  const { t } = useTranslation('home');
  const weeks = stats.expiringByWeek.map((w) => ({ week: shortDate(w.weekStart), count: w.count }));
  const months = stats.renewals.byMonth.map((m) => ({ month: monthName(m.month), count: m.count }));
  const series = (color: string) => [{ name: 'count', label: t('charts.licenses'), color }];
  return (
    <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} spacing="lg">
      <StatusChart stats={stats} />
      <ChartCard title={t('charts.endingByWeek')}>
        <BarChart
          h={150}
          data={weeks}
          dataKey="week"
          series={series('yellow.6')}
          tickLine="none"
          gridAxis="none"
          withYAxis={false}
          withBarValueLabel
          valueLabelProps={{ formatter: hideZero }}
          valueFormatter={formatNumber}
          xAxisProps={{ interval: 2 }}
        />
      </ChartCard>
      <ChartCard title={t('charts.renewalsByMonth')}>
        <BarChart
          h={150}
          data={months}
          dataKey="month"
          series={[{ name: 'count', label: t('charts.renewals'), color: 'indigo.5' }]}
          tickLine="none"
          gridAxis="none"
          withYAxis={false}
          withBarValueLabel
          valueLabelProps={{ formatter: hideZero }}
          valueFormatter={formatNumber}
        />
      </ChartCard>
    </SimpleGrid>
  );
}
