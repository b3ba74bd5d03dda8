import {
  ActionIcon,
  Autocomplete,
  Button,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format.ts';
import { PAYLOAD_TYPES, STICKINESS, toVariants, type VariantDraft, variantDraft } from './flag-form.ts';
import type { IssueMap } from './flag-issues.ts';
import { IssueList } from './IssueList.tsx';

const percent = (perMille: number) => `${formatNumber(perMille / 10)} %`;

function VariantRow({
  v,
  number,
  served,
  issues,
  onChange,
  onRemove,
}: {
  v: VariantDraft;
  number: number;
  /** The weight it will be saved with (variable weights share what is left). */
  served: number;
  issues: IssueMap;
  onChange(v: VariantDraft): void;
  onRemove(): void;
}) {
  const { t } = useTranslation('flags');
  const mine = issues.get(v.uid) ?? [];
  const err = (field: string) => mine.some((i) => i.field.startsWith(field)) || undefined;
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="variant-row" data-invalid={mine.length > 0 || undefined}>
      <Group gap="xs" align="flex-end" wrap="wrap">
        <TextInput
          w={180}
          label={t('variant.name')}
          value={v.name}
          onChange={(e) => onChange({ ...v, name: e.currentTarget.value })}
          error={err('name')}
          maxLength={100}
          data-testid="variant-name"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('variant.weight')}
          </Text>
          <SegmentedControl
            size="xs"
            value={v.weightType}
            onChange={(w) => onChange({ ...v, weightType: w as VariantDraft['weightType'], weight: served })}
            data={[
              { value: 'variable', label: t('variant.auto') },
              { value: 'fix', label: t('variant.fixed') },
            ]}
            aria-label={t('variant.weightType', { number })}
          />
        </Stack>
        {v.weightType === 'fix' ? (
          <NumberInput
            w={110}
            min={0}
            max={100}
            decimalScale={1}
            suffix=" %"
            value={v.weight / 10}
            onChange={(n) => onChange({ ...v, weight: Math.round((typeof n === 'number' ? n : Number(n) || 0) * 10) })}
            aria-label={t('variant.weightPercent', { number })}
            error={err('weight')}
            data-testid="variant-weight"
          />
        ) : (
          <Text size="sm" c="dimmed" pb={8} data-testid="variant-weight-auto">
            {percent(served)}
          </Text>
        )}
        <Select
          w={130}
          label={t('variant.payload')}
          data={[{ value: '', label: t('variant.noPayload') }, ...PAYLOAD_TYPES.map((p) => ({ value: p, label: p }))]}
          value={v.payloadType}
          onChange={(p) => onChange({ ...v, payloadType: (p ?? '') as VariantDraft['payloadType'] })}
          allowDeselect={false}
          error={err('payload/type')}
        />
        <ActionIcon variant="subtle" color="red" mb={6} onClick={onRemove} aria-label={t('variant.remove', { number })}>
          <IconTrash size={16} />
        </ActionIcon>
      </Group>
      {v.payloadType && (
        <Textarea
          mt="xs"
          autosize
          minRows={1}
          maxRows={8}
          styles={
            v.payloadType === 'json' ? { input: { fontFamily: 'var(--mantine-font-family-monospace)' } } : undefined
          }
          aria-label={t('variant.payloadValue', { number })}
          placeholder={t(`variant.payloadPlaceholder.${v.payloadType}`)}
          value={v.payloadValue}
          onChange={(e) => onChange({ ...v, payloadValue: e.currentTarget.value })}
          error={err('payload/value')}
        />
      )}
      {v.overrides.length > 0 && (
        <Text size="xs" c="dimmed" mt={4}>
          {t('variant.overrides', { count: v.overrides.length })}
        </Text>
      )}
      <IssueList issues={mine} testId="variant-issue" />
    </Paper>
  );
}

/**
 * Weighted variants (the flag's, or one strategy's): name, fixed or automatic weight, payload; one stickiness for
 * all of them (Unleash SDKs use the first variant's).
 */
export function VariantsEditor({
  variants,
  issues,
  onChange,
  compact = false,
}: {
  variants: VariantDraft[];
  issues: IssueMap;
  onChange(variants: VariantDraft[]): void;
  /** Inside a strategy: a heading and nothing more while there are none. */
  compact?: boolean;
}) {
  const { t } = useTranslation('flags');
  const served = toVariants(variants).map((v) => v.weight);
  const stickiness = variants[0]?.stickiness ?? 'default';
  const add = () => onChange([...variants, { ...variantDraft(), stickiness }]);
  return (
    <Stack gap="xs" data-testid={compact ? 'strategy-variants' : 'flag-variants'}>
      {compact && (
        <Text size="sm" fw={500}>
          {t('variant.strategyHeading')}
        </Text>
      )}
      {!compact && variants.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('variant.none')}
        </Text>
      )}
      {variants.length > 0 && (
        <Autocomplete
          w={260}
          label={t('variant.stickiness')}
          data={STICKINESS.map((v) => ({ value: v, label: t(`stickiness.${v}`) }))}
          value={stickiness}
          onChange={(value) => onChange(variants.map((v) => ({ ...v, stickiness: value })))}
        />
      )}
      {variants.map((v, i) => (
        <VariantRow
          key={v.uid}
          v={v}
          number={i + 1}
          served={served[i] ?? 0}
          issues={issues}
          onChange={(next) => onChange(variants.map((x) => (x.uid === v.uid ? next : x)))}
          onRemove={() => onChange(variants.filter((x) => x.uid !== v.uid))}
        />
      ))}
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          onClick={add}
          data-testid="variant-add"
        >
          {t('variant.add')}
        </Button>
      </Group>
    </Stack>
  );
}
