import { Badge, Stack, Text } from '@mantine/core';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../i18n/format.ts';
import type { SourceKind, ValueSource } from './entitlements-types.ts';

export const SOURCE_COLORS: Record<SourceKind, string> = {
  license_override: 'grape',
  account_override: 'violet',
  plan: 'blue',
  base_plan: 'cyan',
  default: 'gray',
};

/** "License override", "Plan Business", "Base plan Business", "Default". */
export function sourceLabel(t: TFunction<'entitlements'>, source: Pick<ValueSource, 'kind' | 'planName'>): string {
  if ((source.kind === 'plan' || source.kind === 'base_plan') && source.planName) {
    return t(`source.${source.kind}Named`, { name: source.planName });
  }
  return t(`source.${source.kind}`);
}

/** "“Deal #4711” · by Ann · until 30 Jun 2027": what an override says about itself. */
export function overrideLine(
  t: TFunction<'entitlements'>,
  s: Pick<ValueSource, 'reason' | 'authorName' | 'expiresAt'>,
): string | null {
  const parts = [
    s.reason ? t('source.reason', { reason: s.reason }) : null,
    s.authorName ? t('source.by', { name: s.authorName }) : null,
    s.expiresAt ? t('source.until', { date: formatDate(s.expiresAt) }) : null,
  ].filter((p): p is string => p !== null);
  return parts.length ? parts.join(' · ') : null;
}

/** Where a value comes from, with the override's reason, author and expiry on a line below. */
export function SourceBadge({ source }: { source: ValueSource }) {
  const { t } = useTranslation('entitlements');
  const line = overrideLine(t, source);
  return (
    <Stack gap={2} align="flex-start" data-testid="value-source" data-kind={source.kind}>
      <Badge
        variant="light"
        color={SOURCE_COLORS[source.kind]}
        tt="none"
        fw={600}
        h="auto"
        py={2}
        maw="100%"
        styles={{ label: { whiteSpace: 'normal', overflow: 'visible', textAlign: 'left' } }}
      >
        {sourceLabel(t, source)}
      </Badge>
      {line && (
        <Text size="xs" c="dimmed" maw={280} style={{ overflowWrap: 'anywhere' }}>
          {line}
        </Text>
      )}
    </Stack>
  );
}
