import {
  ActionIcon,
  Autocomplete,
  Badge,
  Card,
  Divider,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  Slider,
  Stack,
  Switch,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconArrowDown, IconArrowUp, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { ConstraintsEditor } from './ConstraintsEditor.tsx';
import { useSummaryText } from './FlagSummary.tsx';
import { newStrategy, STICKINESS, STRATEGY_TYPES, type StrategyDraft, toStrategy } from './flag-form.ts';
import type { IssueMap } from './flag-issues.ts';
import { summarizeStrategy } from './flag-summary.ts';
import type { Segment } from './flags-types.ts';
import { IssueList } from './IssueList.tsx';
import { VariantsEditor } from './VariantsEditor.tsx';

export interface StrategyCardProps {
  strategy: StrategyDraft;
  index: number;
  count: number;
  flagKey: string;
  segments: Segment[];
  issues: IssueMap;
  onChange(s: StrategyDraft): void;
  onMove(by: -1 | 1): void;
  onRemove(): void;
}

function RolloutFields({
  s,
  issues,
  onChange,
}: {
  s: StrategyDraft;
  issues: IssueMap;
  onChange(s: StrategyDraft): void;
}) {
  const { t } = useTranslation('flags');
  const mine = issues.get(s.uid) ?? [];
  const err = (field: string) => mine.some((i) => i.field === `parameters/${field}`) || undefined;
  const stickiness = [...STICKINESS] as string[];
  return (
    <Stack gap="xs">
      <Text size="sm" fw={500} id={`${s.uid}-rollout`}>
        {t('strategy.rollout')}
      </Text>
      <Group gap="md" align="center" wrap="nowrap">
        <Slider
          style={{ flex: 1 }}
          min={0}
          max={100}
          step={1}
          value={s.rollout}
          onChange={(rollout) => onChange({ ...s, rollout })}
          label={(v) => `${v} %`}
          marks={[{ value: 0 }, { value: 25 }, { value: 50 }, { value: 75 }, { value: 100 }]}
          aria-labelledby={`${s.uid}-rollout`}
          data-testid="rollout-slider"
        />
        <NumberInput
          w={100}
          min={0}
          max={100}
          clampBehavior="strict"
          allowDecimal={false}
          suffix=" %"
          value={s.rollout}
          onChange={(v) => onChange({ ...s, rollout: typeof v === 'number' ? v : Number(v) || 0 })}
          aria-label={t('strategy.rolloutPercent')}
          error={err('rollout')}
          data-testid="rollout-percent"
        />
      </Group>
      <Group gap="sm" grow align="flex-start">
        <Autocomplete
          label={t('strategy.stickiness')}
          description={t('strategy.stickinessHint')}
          data={stickiness.map((v) => ({ value: v, label: t(`stickiness.${v}`, { defaultValue: v }) }))}
          value={s.stickiness}
          onChange={(stickiness) => onChange({ ...s, stickiness })}
          error={err('stickiness')}
          data-testid="rollout-stickiness"
        />
        <TextInput
          label={t('strategy.groupId')}
          description={t('strategy.groupIdHint')}
          value={s.groupId}
          onChange={(e) => onChange({ ...s, groupId: e.currentTarget.value })}
          error={err('groupId')}
        />
      </Group>
    </Stack>
  );
}

/** One strategy ("rule") of a flag: type, parameters, conditions, segments, its own variants, with its problems. */
export function StrategyCard(p: StrategyCardProps) {
  const { t } = useTranslation('flags');
  const summary = useSummaryText();
  const s = p.strategy;
  const mine = p.issues.get(s.uid) ?? [];
  const names = new Map(p.segments.map((x) => [x.id, x.name]));
  const types: string[] = (STRATEGY_TYPES as readonly string[]).includes(s.name)
    ? [...STRATEGY_TYPES]
    : [...STRATEGY_TYPES, s.name];
  const change = (patch: Partial<StrategyDraft>) => p.onChange({ ...s, ...patch });
  const paramError = (field: string) => mine.some((i) => i.field === `parameters/${field}`) || undefined;

  return (
    <Card
      withBorder
      radius="md"
      padding="md"
      data-testid="strategy-card"
      data-name={s.name}
      data-invalid={mine.length > 0 || undefined}
    >
      <Group justify="space-between" wrap="wrap" gap="xs" mb="xs">
        <Group gap="xs">
          <Badge variant="light" size="lg" radius="sm">
            {t('strategy.number', { number: p.index + 1 })}
          </Badge>
          <Select
            w={200}
            data={types.map((v) => ({ value: v, label: t(`strategyTypes.${v}`, { defaultValue: v }) }))}
            value={s.name}
            onChange={(name) =>
              name &&
              p.onChange({
                ...newStrategy(name, p.flagKey),
                uid: s.uid,
                id: s.id,
                title: s.title,
                disabled: s.disabled,
                constraints: s.constraints,
                segments: s.segments,
                variants: s.variants,
              })
            }
            allowDeselect={false}
            aria-label={t('strategy.type', { number: p.index + 1 })}
            data-testid="strategy-type"
          />
        </Group>
        <Group gap={4}>
          <Switch
            size="sm"
            mr="sm"
            label={t('strategy.active')}
            checked={!s.disabled}
            onChange={(e) => change({ disabled: !e.currentTarget.checked })}
          />
          <ActionIcon
            variant="subtle"
            disabled={p.index === 0}
            onClick={() => p.onMove(-1)}
            aria-label={t('strategy.up', { number: p.index + 1 })}
          >
            <IconArrowUp size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            disabled={p.index === p.count - 1}
            onClick={() => p.onMove(1)}
            aria-label={t('strategy.down', { number: p.index + 1 })}
          >
            <IconArrowDown size={16} />
          </ActionIcon>
          <ActionIcon
            variant="subtle"
            color="red"
            onClick={p.onRemove}
            aria-label={t('strategy.remove', { number: p.index + 1 })}
            data-testid="strategy-remove"
          >
            <IconTrash size={16} />
          </ActionIcon>
        </Group>
      </Group>
      <Text size="sm" c="dimmed" mb="sm" data-testid="strategy-summary">
        {summary.strategy(summarizeStrategy(toStrategy(s), names))}
      </Text>
      <Stack gap="sm">
        <TextInput
          label={t('strategy.title')}
          placeholder={t('strategy.titlePlaceholder')}
          value={s.title}
          onChange={(e) => change({ title: e.currentTarget.value })}
          maxLength={200}
        />
        {s.name === 'flexibleRollout' && <RolloutFields s={s} issues={p.issues} onChange={p.onChange} />}
        {s.name === 'userWithId' && (
          <TagsInput
            label={t('strategy.userIds')}
            description={t('strategy.userIdsHint')}
            value={s.userIds}
            onChange={(userIds) => change({ userIds })}
            error={paramError('userIds')}
            clearable
          />
        )}
        {s.name === 'remoteAddress' && (
          <TagsInput
            label={t('strategy.ips')}
            description={t('strategy.ipsHint')}
            value={s.ips}
            onChange={(ips) => change({ ips })}
            error={paramError('IPs')}
            clearable
          />
        )}
        <Divider label={t('strategy.conditions')} labelPosition="left" />
        <ConstraintsEditor
          constraints={s.constraints}
          issues={p.issues}
          onChange={(constraints) => change({ constraints })}
        />
        <MultiSelect
          label={t('strategy.segments')}
          description={t('strategy.segmentsHint')}
          data={[
            ...p.segments.map((x) => ({ value: String(x.id), label: x.name })),
            ...s.segments.filter((id) => !names.has(id)).map((id) => ({ value: String(id), label: `#${id}` })),
          ]}
          value={s.segments.map(String)}
          onChange={(ids) => change({ segments: ids.map(Number) })}
          nothingFoundMessage={t('strategy.noSegments')}
          searchable
          clearable
          data-testid="strategy-segments"
        />
        <VariantsEditor variants={s.variants} issues={p.issues} onChange={(variants) => change({ variants })} compact />
        <IssueList issues={mine} testId="strategy-issue" />
      </Stack>
    </Card>
  );
}
