import { Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/format.ts';
import { type ConditionSummary, type FlagAudience, keyedBy, type StrategySummary, shortList } from './flag-summary.ts';

/** Sentences for a strategy summary in the user's language ("25 % of accounts where plan in Business, Trial"). */
export function useSummaryText() {
  const { t } = useTranslation('flags');
  const condition = (c: ConditionSummary) => {
    // Dates in the reader's format (the stored value is ISO-8601).
    const values = c.operator.startsWith('DATE_')
      ? c.values.map((v) => (Number.isNaN(Date.parse(v)) ? v : formatDateTime(v)))
      : c.values;
    const { shown, more } = shortList(values);
    const text = shown.join(', ') + (more > 0 ? ` ${t('summary.more', { count: more })}` : '');
    const op = t(`operators.${c.operator}`, { defaultValue: c.operator });
    return t(c.inverted ? 'summary.conditionNot' : 'summary.condition', { field: c.field, op, values: text });
  };
  const strategy = (s: StrategySummary) => {
    const target = s.target;
    let text =
      target.kind === 'rollout'
        ? t(`summary.rollout.${target.unit}`, { percent: target.percent, field: target.field })
        : target.kind === 'users' || target.kind === 'addresses'
          ? t(`summary.${target.kind}`, { count: target.count })
          : target.kind === 'other'
            ? t('summary.other', { name: target.name })
            : t('summary.everyone');
    const parts = [...s.conditions.map(condition), ...s.segments.map((name) => t('summary.segment', { name }))];
    if (parts.length > 0) text += ` ${t('summary.where')} ${parts.join(` ${t('summary.and')} `)}`;
    return text;
  };
  return { strategy, condition };
}

/** Who gets the flag when it is on: one line per active strategy (any of them switches it on). */
export function FlagAudienceText({ audience, max = 3 }: { audience: FlagAudience; max?: number }) {
  const { t } = useTranslation('flags');
  const text = useSummaryText();
  if (audience.kind !== 'strategies') {
    return (
      <Text size="sm" data-testid="flag-audience">
        {t(audience.kind === 'everyone' ? 'summary.everyoneNoRules' : 'summary.nobody')}
      </Text>
    );
  }
  const shown = audience.strategies.slice(0, max);
  const more = audience.strategies.length - shown.length;
  return (
    <Stack gap={2} data-testid="flag-audience">
      {keyedBy(shown, text.strategy).map(({ key, item }, i) => (
        <Text size="sm" key={key} style={{ overflowWrap: 'anywhere' }}>
          {i > 0 && (
            <Text span size="sm" c="dimmed">
              {t('summary.or')}{' '}
            </Text>
          )}
          {text.strategy(item)}
        </Text>
      ))}
      {more > 0 && (
        <Text size="xs" c="dimmed">
          {t('summary.moreRules', { count: more })}
        </Text>
      )}
    </Stack>
  );
}
