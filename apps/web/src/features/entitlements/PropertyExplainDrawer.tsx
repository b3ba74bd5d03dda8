import { Alert, Divider, Drawer, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleDashed, IconClockX, IconInfoCircle, IconStack2 } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDate, formatDateTime, formatNumber } from '../../i18n/format.ts';
import { usePropertyExplain, useUsageHistory } from './entitlements-api.ts';
import type { PropertyDef, PropertyExplanation, Target, TraceOutcome } from './entitlements-types.ts';
import { overrideLine, SourceBadge, sourceLabel } from './SourceBadge.tsx';
import { type Step, TraceSteps } from './TraceSteps.tsx';
import { UsageBar } from './UsageBar.tsx';
import { useValueText } from './ValueDisplay.tsx';
import { decidingEntry } from './values.ts';

const OUTCOME: Record<TraceOutcome, { icon: Step['icon']; color: string }> = {
  decided: { icon: IconCircleCheck, color: 'teal' },
  shadowed: { icon: IconStack2, color: 'gray' },
  expired: { icon: IconClockX, color: 'orange' },
  absent: { icon: IconCircleDashed, color: 'gray' },
};

function UsageHistoryList({ licenseId, propertyKey }: { licenseId: string; propertyKey: string }) {
  const { t } = useTranslation('entitlements');
  const history = useUsageHistory(licenseId, propertyKey);
  if (history.isPending) return <Skeleton h={60} />;
  if (history.isError) return <QueryError error={history.error} onRetry={() => void history.refetch()} />;
  const periods = history.data.periods.slice(0, 6);
  const events = history.data.data.slice(0, 5);
  return (
    <Stack gap="sm">
      {periods.length > 1 && (
        <Table fz="xs" verticalSpacing={4} aria-label={t('explain.periods')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('explain.period')}</Table.Th>
              <Table.Th ta="right">{t('explain.used')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {periods.map((p) => (
              <Table.Tr key={p.periodStart}>
                <Table.Td>
                  {formatDate(p.periodStart)} – {p.periodEnd ? formatDate(p.periodEnd) : '…'}
                  {p.current && ` (${t('explain.current')})`}
                </Table.Td>
                <Table.Td ta="right">{formatNumber(p.used)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {events.length === 0 ? (
        <Text size="xs" c="dimmed">
          {t('explain.noUsage')}
        </Text>
      ) : (
        <Stack gap={4}>
          {events.map((e) => (
            <Text key={e.id} size="xs" c={e.accepted ? undefined : 'red.8'}>
              {formatDateTime(e.at)} · {t(`explain.op.${e.op}`, { amount: formatNumber(e.amount) })} →{' '}
              {formatNumber(e.usedAfter)} · {e.actorName}
              {!e.accepted && ` · ${e.code}`}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}

function Explanation({ data, target, metered }: { data: PropertyExplanation; target: Target; metered: boolean }) {
  const { t } = useTranslation('entitlements');
  const valueText = useValueText();
  const { type, unit } = data.property;
  const decider = decidingEntry(data.trace);
  const steps: Step[] = data.trace.map((e, i) => {
    const source = sourceLabel(t, e.source);
    const value = valueText(type, e.value, unit);
    const title =
      e.outcome === 'absent'
        ? t(`explain.absent.${e.source.kind}`)
        : e.outcome === 'decided'
          ? t('explain.decided', { source, value })
          : e.outcome === 'expired'
            ? t('explain.expired', { source, value, date: formatDate(e.source.expiresAt) })
            : t('explain.shadowed', { source, value, decider: decider ? sourceLabel(t, decider.source) : '' });
    return {
      key: `${i}-${e.source.kind}`,
      outcome: e.outcome,
      ...OUTCOME[e.outcome],
      label: t(`explain.outcome.${e.outcome}`),
      title,
      detail: e.outcome === 'absent' ? undefined : (overrideLine(t, e.source) ?? undefined),
      decisive: e.outcome === 'decided',
    };
  });
  return (
    <Stack gap="md">
      <Stack gap={6}>
        <Text size="sm">
          {t(target.kind === 'license' ? 'explain.summaryLicense' : 'explain.summaryAccount', {
            name: data.property.name,
            value: valueText(type, data.value, unit),
          })}
        </Text>
        <SourceBadge source={data.source} />
      </Stack>
      {target.kind === 'account' && (
        <Alert variant="light" color="blue" icon={<IconInfoCircle size={18} />}>
          {t('explain.accountNote')}
        </Alert>
      )}
      <Divider label={t('explain.steps')} labelPosition="left" />
      <TraceSteps steps={steps} label={t('explain.steps')} />
      {(data.usage || (metered && target.kind === 'license')) && (
        <>
          <Divider label={t('explain.usage')} labelPosition="left" />
          {data.usage && <UsageBar usage={data.usage} unit={unit} name={data.property.name} />}
          {target.kind === 'license' && <UsageHistoryList licenseId={target.id} propertyKey={data.property.key} />}
        </>
      )}
    </Stack>
  );
}

/** "Why does this customer have this value?": every candidate layer, highest precedence first, in plain words. */
export function PropertyExplainDrawer({
  def,
  target,
  onClose,
}: {
  def: PropertyDef | null;
  target: Target;
  onClose(): void;
}) {
  const { t } = useTranslation('entitlements');
  // Keeps the last property while the drawer slides out.
  const [shown, setShown] = useState(def);
  if (def && def !== shown) setShown(def);
  const query = usePropertyExplain(shown?.id ?? null, target);
  return (
    <Drawer
      opened={def !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={t('explain.title', { name: shown?.name ?? '' })}
      data-testid="property-explain"
    >
      {query.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={24} w="70%" />
          <Skeleton h={160} />
        </Stack>
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Explanation data={query.data} target={target} metered={shown?.metered ?? false} />
      )}
    </Drawer>
  );
}
