import { Alert, Button, Group, Paper, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconArrowRight } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/QueryError.tsx';
import { AccountSelect } from './AccountSelect.tsx';
import type { Plan } from './licenses-api.ts';
import { PlanSelect } from './PlanSelect.tsx';

interface Props {
  accountId: string | null;
  planId: string | null;
  plans: { data: Plan[]; error: unknown; retry(): void; loading: boolean };
  onAccount(id: string | null): void;
  onPlan(id: string | null): void;
  onNext(): void;
}

function PlanSummary({ plan }: { plan: Plan }) {
  const { t } = useTranslation('licenses');
  const items: [string, string][] = [
    [t('fields.type'), t(`type.${plan.licenseType}`)],
    [t('plan.duration'), plan.durationDays === null ? t('never') : t('plan.days', { count: plan.durationDays })],
    [t('plan.grace'), t('plan.days', { count: plan.graceDays })],
    [t('fields.seats'), plan.maxMachines === null ? t('plan.unlimited') : String(plan.maxMachines)],
  ];
  return (
    <Paper withBorder radius="md" p="md" bg="gray.0" data-testid="plan-summary">
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="sm">
        {items.map(([label, value]) => (
          <Stack key={label} gap={0}>
            <Text size="xs" c="dimmed">
              {label}
            </Text>
            <Text size="sm" fw={600}>
              {value}
            </Text>
          </Stack>
        ))}
      </SimpleGrid>
      {plan.entitlements.length > 0 && (
        <Text size="xs" c="dimmed" mt="sm">
          {t('fields.entitlements')}: {plan.entitlements.join(', ')}
        </Text>
      )}
    </Paper>
  );
}

/** Step 1: who the license is for, and from which plan. */
export function PickStep({ accountId, planId, plans, onAccount, onPlan, onNext }: Props) {
  const { t } = useTranslation('licenses');
  const plan = plans.data.find((p) => p.id === planId);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        if (accountId && plan) onNext();
      }}
    >
      <Stack gap="md" maw={640}>
        <AccountSelect
          label={t('new.account')}
          placeholder={t('new.accountPlaceholder')}
          value={accountId}
          onChange={onAccount}
          required
          data-testid="new-account"
        />
        {plans.error ? (
          <QueryError error={plans.error} onRetry={plans.retry} />
        ) : !plans.loading && plans.data.length === 0 ? (
          <Alert color="yellow" variant="light">
            {t('new.noPlans')}
          </Alert>
        ) : (
          <PlanSelect
            label={t('new.plan')}
            placeholder={plans.loading ? t('loading') : t('new.planPlaceholder')}
            plans={plans.data}
            value={planId}
            onChange={onPlan}
            required
            data-testid="new-plan"
          />
        )}
        {plan && <PlanSummary plan={plan} />}
        <Group justify="flex-end">
          <Button
            type="submit"
            rightSection={<IconArrowRight size={16} />}
            disabled={!accountId || !plan}
            data-testid="new-next"
          >
            {t('new.next')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
