import { Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format.ts';
import { useSummaryText } from './FlagSummary.tsx';
import { conditionOf, keyedBy, summarizeStrategy } from './flag-summary.ts';
import { useSegments } from './flags-api.ts';
import type { Flag, VariantDefinition } from './flags-types.ts';

function VariantsTable({ variants }: { variants: VariantDefinition[] }) {
  const { t } = useTranslation('flags');
  if (variants.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('variant.none')}
      </Text>
    );
  return (
    <Table.ScrollContainer minWidth={420}>
      <Table>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('variant.name')}</Table.Th>
            <Table.Th>{t('variant.weight')}</Table.Th>
            <Table.Th>{t('variant.payload')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {variants.map((v) => (
            <Table.Tr key={v.name}>
              <Table.Td ff="monospace">{v.name}</Table.Td>
              <Table.Td>{`${formatNumber(v.weight / 10)} %`}</Table.Td>
              <Table.Td>
                {v.payload ? (
                  <Text size="sm" ff="monospace" lineClamp={2}>{`${v.payload.type}: ${v.payload.value}`}</Text>
                ) : (
                  '—'
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The definition as text, for roles that may not change it (no controls). */
export function DefinitionView({ flag }: { flag: Flag }) {
  const { t } = useTranslation('flags');
  const text = useSummaryText();
  const segments = useSegments(flag.productId);
  const names = new Map((segments.data?.data ?? []).map((s) => [s.id, s.name]));
  return (
    <Stack gap="md" data-testid="definition-view">
      <Title order={3} fz="lg">
        {t('editor.title')}
      </Title>
      <Card withBorder radius="md">
        <Text size="sm" c={flag.description ? undefined : 'dimmed'} data-testid="flag-description-text">
          {flag.description || t('editor.noDescription')}
        </Text>
      </Card>
      <Stack gap="xs">
        <Title order={4} fz="md">
          {t('editor.strategies')}
        </Title>
        {flag.strategies.length === 0 && <Text size="sm">{t('summary.everyoneNoRules')}</Text>}
        {keyedBy(flag.strategies, (x) => JSON.stringify(x)).map(({ key, item: s }, i) => (
          <Card withBorder radius="md" key={key} data-testid="strategy-view">
            <Group gap="xs" mb={4}>
              <Badge variant="light" radius="sm">
                {t('strategy.number', { number: i + 1 })}
              </Badge>
              <Text size="sm" fw={500}>
                {s.title || t(`strategyTypes.${s.name}`, { defaultValue: s.name })}
              </Text>
              {s.disabled && <Badge color="gray">{t('strategy.paused')}</Badge>}
            </Group>
            <Text size="sm" data-testid="strategy-summary">
              {text.strategy(summarizeStrategy(s, names))}
            </Text>
            {(s.constraints ?? []).length > 1 && (
              <Stack gap={0} mt={4}>
                {keyedBy((s.constraints ?? []).map(conditionOf), text.condition).map(({ key, item }) => (
                  <Text size="xs" c="dimmed" key={key}>
                    {text.condition(item)}
                  </Text>
                ))}
              </Stack>
            )}
            {(s.variants ?? []).length > 0 && <VariantsTable variants={s.variants ?? []} />}
          </Card>
        ))}
      </Stack>
      <Card withBorder radius="md">
        <Title order={4} fz="md" mb="xs">
          {t('editor.variants')}
        </Title>
        <VariantsTable variants={flag.variants} />
      </Card>
      <Card withBorder radius="md">
        <Title order={4} fz="md" mb="xs">
          {t('editor.dependencies')}
        </Title>
        {flag.dependencies.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('dependency.none')}
          </Text>
        ) : (
          flag.dependencies.map((d) => (
            <Text size="sm" key={d.feature}>
              {t(d.enabled === false ? 'dependency.textOff' : 'dependency.textOn', { key: d.feature })}
              {d.variants?.length ? ` ${t('dependency.textVariants', { variants: d.variants.join(', ') })}` : ''}
            </Text>
          ))
        )}
      </Card>
    </Stack>
  );
}
