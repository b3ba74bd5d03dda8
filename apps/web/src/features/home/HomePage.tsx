import { Alert, SimpleGrid, Stack } from '@mantine/core';
import {
  IconAlarm,
  IconCalendarDue,
  IconCircleCheck,
  IconDeviceDesktop,
  IconHourglassLow,
  IconRefresh,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { StatsOverview } from '../../api/types.ts';
import { links } from '../../app/links.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDateTime } from '../../i18n/format.ts';
import { HomeCharts } from './HomeCharts.tsx';
import { StatCard, StatCardSkeleton } from './StatCard.tsx';
import { useOverview } from './stats-api.ts';

const VALID = 'active,expiring';

function Counters({ stats }: { stats: StatsOverview }) {
  const { t } = useTranslation('home');
  const [trials7, trials30] = stats.trialsEnding;
  const [exp30, ...laterExp] = stats.expiring;
  const monthFrom = stats.renewals.monthStart;
  return (
    <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="lg">
      <StatCard
        label={t('counters.active')}
        hint={t('counters.activeHint')}
        value={stats.activeLicenses}
        icon={<IconCircleCheck size={22} />}
        color="green"
        href={links.licenses({ status: VALID })}
      />
      <StatCard
        label={t('counters.trialsEnding', { days: trials7?.days ?? 7 })}
        value={trials7?.count ?? 0}
        icon={<IconHourglassLow size={22} />}
        color="blue"
        href={links.licenses({ type: 'trial', status: VALID, expiresBefore: trials7?.before })}
        more={
          trials30 && [
            {
              label: t('counters.withinDays', { count: trials30.count, days: trials30.days }),
              href: links.licenses({ type: 'trial', status: VALID, expiresBefore: trials30.before }),
            },
          ]
        }
      />
      <StatCard
        label={t('counters.expiring', { days: exp30?.days ?? 30 })}
        value={exp30?.count ?? 0}
        icon={<IconCalendarDue size={22} />}
        color="yellow"
        href={links.licenses({ status: VALID, expiresBefore: exp30?.before, sort: 'endsAt' })}
        more={laterExp.map((e) => ({
          label: t('counters.withinDays', { count: e.count, days: e.days }),
          href: links.licenses({ status: VALID, expiresBefore: e.before, sort: 'endsAt' }),
        }))}
      />
      <StatCard
        label={t('counters.inGrace')}
        hint={t('counters.inGraceHint')}
        value={stats.licensesByStatus.in_grace}
        icon={<IconAlarm size={22} />}
        color="orange"
        href={links.licenses({ status: 'in_grace', sort: 'endsAt' })}
      />
      <StatCard
        label={t('counters.renewals')}
        value={stats.renewals.renewed + stats.renewals.extended}
        icon={<IconRefresh size={22} />}
        color="indigo"
        href={links.auditLog({ action: 'license.renewed', from: monthFrom })}
        more={[
          {
            label: t('counters.renewed', { count: stats.renewals.renewed }),
            href: links.auditLog({ action: 'license.renewed', from: monthFrom }),
          },
          {
            label: t('counters.extended', { count: stats.renewals.extended }),
            href: links.auditLog({ action: 'license.extended', from: monthFrom }),
          },
        ]}
      />
      <StatCard
        label={t('counters.seats')}
        hint={t('counters.seatsHint')}
        value={stats.seatsInUse}
        icon={<IconDeviceDesktop size={22} />}
        color="grape"
        href={links.licenses({ status: 'active,expiring,in_grace' })}
      />
    </SimpleGrid>
  );
}

export function HomePage() {
  const { t } = useTranslation('home');
  const overview = useOverview();
  const stats = overview.data;
  const empty = stats && Object.values(stats.licensesByStatus).every((n) => n === 0);
  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={stats ? t('asOf', { time: formatDateTime(stats.asOf) }) : t('subtitle')}
      />
      {overview.isError && !stats ? (
        <QueryError error={overview.error} onRetry={() => void overview.refetch()} />
      ) : !stats ? (
        <SimpleGrid cols={{ base: 1, xs: 2, lg: 3 }} spacing="lg">
          {['a', 'b', 'c', 'd', 'e', 'f'].map((key) => (
            <StatCardSkeleton key={key} />
          ))}
        </SimpleGrid>
      ) : (
        <Stack gap="lg">
          {empty && (
            <Alert variant="light" color="indigo" title={t('empty.title')}>
              {t('empty.description')}
            </Alert>
          )}
          <Counters stats={stats} />
          <HomeCharts stats={stats} />
        </Stack>
      )}
    </>
  );
}
