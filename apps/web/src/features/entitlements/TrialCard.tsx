import { Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, fromNow } from '../../i18n/format.ts';
import type { TrialState } from './entitlements-types.ts';

const PHASE_COLORS: Record<TrialState['phase'], string> = {
  not_started: 'blue',
  active: 'teal',
  grace: 'orange',
  ended: 'red',
};

function Fact({ label, children, hint }: { label: string; children: ReactNode; hint?: string | undefined }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text size="sm" fw={500} component="div">
        {children}
      </Text>
      {hint && (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      )}
    </Stack>
  );
}

/** The license's term as the server computed it: days left, end, grace end, soft or hard expiry. */
export function TrialCard({ trial }: { trial: TrialState }) {
  const { t } = useTranslation('entitlements');
  return (
    <Card withBorder radius="lg" padding="lg" data-testid="trial-card">
      <Group justify="space-between" mb="md" gap="sm">
        <Group gap="sm">
          <Title order={3} fz="lg">
            {trial.isTrial ? t('trial.titleTrial') : t('trial.titleTerm')}
          </Title>
          <Badge color={PHASE_COLORS[trial.phase]} variant="light" data-testid="trial-phase">
            {t(`trial.phase.${trial.phase}`)}
          </Badge>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="lg" verticalSpacing="md">
        <Fact label={t('trial.daysLeft')}>
          <Text fz={22} fw={700} lh={1.1} data-testid="trial-days-left">
            {trial.daysLeft === null ? '∞' : trial.daysLeft}
          </Text>
        </Fact>
        <Fact label={t('trial.endsAt')} hint={trial.endsAt ? fromNow(trial.endsAt) : undefined}>
          {trial.endsAt ? formatDate(trial.endsAt) : t('trial.never')}
        </Fact>
        <Fact
          label={t('trial.graceEndsAt')}
          hint={trial.graceEndsAt && trial.graceEndsAt !== trial.endsAt ? fromNow(trial.graceEndsAt) : undefined}
        >
          {trial.graceEndsAt
            ? trial.graceEndsAt === trial.endsAt
              ? t('trial.noGrace')
              : formatDate(trial.graceEndsAt)
            : '—'}
        </Fact>
        {trial.endsAt ? (
          <Fact
            label={t('trial.expiry')}
            hint={trial.softExpiry ? t('trial.softExpiryHint') : t('trial.hardExpiryHint')}
          >
            {trial.softExpiry ? t('trial.softExpiry') : t('trial.hardExpiry')}
          </Fact>
        ) : (
          <Fact label={t('trial.expiry')}>—</Fact>
        )}
      </SimpleGrid>
    </Card>
  );
}
