import {
  ActionIcon,
  Autocomplete,
  Button,
  Checkbox,
  Group,
  Paper,
  Select,
  Stack,
  TagsInput,
  Text,
  TextInput,
} from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import {
  CONTEXT_FIELDS,
  type ConstraintDraft,
  constraintDraft,
  isMultiValue,
  OPERATORS,
  supportsCaseInsensitive,
  withOperator,
} from './flag-form.ts';
import type { IssueMap } from './flag-issues.ts';
import { IssueList } from './IssueList.tsx';

const GROUPS: { key: string; ops: readonly string[] }[] = [
  { key: 'list', ops: ['IN', 'NOT_IN'] },
  { key: 'text', ops: ['STR_CONTAINS', 'STR_STARTS_WITH', 'STR_ENDS_WITH', 'REGEX'] },
  { key: 'number', ops: ['NUM_EQ', 'NUM_GT', 'NUM_GTE', 'NUM_LT', 'NUM_LTE'] },
  { key: 'date', ops: ['DATE_AFTER', 'DATE_BEFORE'] },
  { key: 'version', ops: ['SEMVER_EQ', 'SEMVER_GT', 'SEMVER_GTE', 'SEMVER_LT', 'SEMVER_LTE'] },
  { key: 'network', ops: ['IN_CIDR'] },
];

function ConstraintRow({
  c,
  number,
  issues,
  onChange,
  onRemove,
}: {
  c: ConstraintDraft;
  number: number;
  issues: IssueMap;
  onChange(c: ConstraintDraft): void;
  onRemove(): void;
}) {
  const { t } = useTranslation('flags');
  const mine = issues.get(c.uid) ?? [];
  const valueError = mine.some((i) => i.field.startsWith('value')) || undefined;
  const multi = isMultiValue(c.operator);
  const label = (what: string) => t('constraint.aria', { what, number });
  const operatorData = GROUPS.map((g) => ({
    group: t(`operatorGroups.${g.key}`),
    items: g.ops.map((op) => ({ value: op, label: `${t(`operators.${op}`)} (${op})` })),
  }));
  if (!(OPERATORS as readonly string[]).includes(c.operator)) {
    operatorData.push({ group: t('operatorGroups.other'), items: [{ value: c.operator, label: c.operator }] });
  }
  return (
    <Paper
      withBorder
      p="xs"
      radius="sm"
      data-testid="constraint-row"
      data-invalid={mine.length > 0 || undefined}
      style={mine.length > 0 ? { borderColor: 'var(--mantine-color-red-6)' } : undefined}
    >
      <Group gap="xs" align="flex-start" wrap="wrap">
        <Autocomplete
          w={180}
          data={[...CONTEXT_FIELDS]}
          value={c.contextName}
          onChange={(v) => onChange({ ...c, contextName: v })}
          aria-label={label(t('constraint.field'))}
          placeholder={t('constraint.field')}
          error={mine.some((i) => i.field === 'contextName') || undefined}
          data-testid="constraint-field"
        />
        <Select
          w={220}
          data={operatorData}
          value={c.operator}
          onChange={(v) => v && onChange(withOperator(c, v))}
          allowDeselect={false}
          searchable
          aria-label={label(t('constraint.operator'))}
          error={mine.some((i) => i.field === 'operator') || undefined}
          data-testid="constraint-operator"
        />
        {multi ? (
          <TagsInput
            style={{ flex: '1 1 220px' }}
            value={c.values}
            onChange={(values) => onChange({ ...c, values })}
            placeholder={t('constraint.valuesPlaceholder')}
            aria-label={label(t('constraint.values'))}
            error={valueError}
            clearable
            data-testid="constraint-values"
          />
        ) : (
          <TextInput
            style={{ flex: '1 1 220px' }}
            value={c.value}
            onChange={(e) => onChange({ ...c, value: e.currentTarget.value })}
            placeholder={t(`constraint.placeholder.${c.operator.split('_')[0]}`, {
              defaultValue: t('constraint.valuePlaceholder'),
            })}
            styles={
              c.operator === 'REGEX' ? { input: { fontFamily: 'var(--mantine-font-family-monospace)' } } : undefined
            }
            aria-label={label(t('constraint.value'))}
            error={valueError}
            data-testid="constraint-value"
          />
        )}
        <ActionIcon
          variant="subtle"
          color="red"
          mt={6}
          onClick={onRemove}
          aria-label={t('constraint.remove', { number })}
          data-testid="constraint-remove"
        >
          <IconTrash size={16} />
        </ActionIcon>
      </Group>
      <Group gap="md" mt={6}>
        <Checkbox
          size="xs"
          label={t('constraint.inverted')}
          checked={c.inverted}
          onChange={(e) => onChange({ ...c, inverted: e.currentTarget.checked })}
        />
        {supportsCaseInsensitive(c.operator) && (
          <Checkbox
            size="xs"
            label={t('constraint.caseInsensitive')}
            checked={c.caseInsensitive}
            onChange={(e) => onChange({ ...c, caseInsensitive: e.currentTarget.checked })}
          />
        )}
      </Group>
      <IssueList issues={mine} testId="constraint-issue" />
    </Paper>
  );
}

/** Conditions (all must pass): context field, operator, value(s), "not", case-insensitive; with their problems. */
export function ConstraintsEditor({
  constraints,
  issues,
  onChange,
}: {
  constraints: ConstraintDraft[];
  issues: IssueMap;
  onChange(constraints: ConstraintDraft[]): void;
}) {
  const { t } = useTranslation('flags');
  return (
    <Stack gap="xs">
      {constraints.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('constraint.none')}
        </Text>
      )}
      {constraints.map((c, i) => (
        <ConstraintRow
          key={c.uid}
          c={c}
          number={i + 1}
          issues={issues}
          onChange={(next) => onChange(constraints.map((x) => (x.uid === c.uid ? next : x)))}
          onRemove={() => onChange(constraints.filter((x) => x.uid !== c.uid))}
        />
      ))}
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...constraints, constraintDraft()])}
          data-testid="constraint-add"
        >
          {t('constraint.add')}
        </Button>
      </Group>
    </Stack>
  );
}
