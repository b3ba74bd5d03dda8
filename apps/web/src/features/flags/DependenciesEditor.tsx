import { ActionIcon, Button, Group, Paper, Select, Stack, TagsInput, Text } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { type DependencyDraft, dependencyDraft } from './flag-form.ts';
import type { IssueMap } from './flag-issues.ts';
import type { Flag } from './flags-types.ts';
import { IssueList } from './IssueList.tsx';

/** Parent flags of the same product (one level, like Unleash): must be on (optionally with a variant) or off. */
export function DependenciesEditor({
  dependencies,
  parents,
  issues,
  onChange,
}: {
  dependencies: DependencyDraft[];
  /** The product's other flags. */
  parents: Flag[];
  issues: IssueMap;
  onChange(dependencies: DependencyDraft[]): void;
}) {
  const { t } = useTranslation('flags');
  const keys = parents.map((f) => f.key);
  return (
    <Stack gap="xs" data-testid="dependencies">
      {dependencies.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('dependency.none')}
        </Text>
      )}
      {dependencies.map((d, i) => {
        const mine = issues.get(d.uid) ?? [];
        const parent = parents.find((f) => f.key === d.feature);
        const update = (patch: Partial<DependencyDraft>) =>
          onChange(dependencies.map((x) => (x.uid === d.uid ? { ...x, ...patch } : x)));
        return (
          <Paper key={d.uid} withBorder p="xs" radius="sm" data-testid="dependency-row">
            <Group gap="xs" align="flex-end" wrap="wrap">
              <Select
                w={240}
                label={t('dependency.parent')}
                data={keys.includes(d.feature) || !d.feature ? keys : [d.feature, ...keys]}
                value={d.feature || null}
                onChange={(feature) => update({ feature: feature ?? '', variants: [] })}
                searchable
                nothingFoundMessage={t('dependency.noParents')}
                error={mine.some((x) => x.field.startsWith('feature')) || undefined}
                data-testid="dependency-parent"
              />
              <Select
                w={200}
                label={t('dependency.when')}
                data={[
                  { value: 'on', label: t('dependency.mustBeOn') },
                  { value: 'off', label: t('dependency.mustBeOff') },
                ]}
                value={d.enabled ? 'on' : 'off'}
                onChange={(v) => update({ enabled: v !== 'off', variants: v === 'off' ? [] : d.variants })}
                allowDeselect={false}
              />
              {d.enabled && (
                <TagsInput
                  style={{ flex: '1 1 200px' }}
                  label={t('dependency.variants')}
                  placeholder={t('dependency.anyVariant')}
                  data={(parent?.variants ?? []).map((v) => v.name)}
                  value={d.variants}
                  onChange={(variants) => update({ variants })}
                  error={mine.some((x) => x.field.startsWith('variants')) || undefined}
                />
              )}
              <ActionIcon
                variant="subtle"
                color="red"
                mb={6}
                onClick={() => onChange(dependencies.filter((x) => x.uid !== d.uid))}
                aria-label={t('dependency.remove', { number: i + 1 })}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
            <IssueList issues={mine} testId="dependency-issue" />
          </Paper>
        );
      })}
      <Group>
        <Button
          size="compact-sm"
          variant="subtle"
          leftSection={<IconPlus size={14} />}
          onClick={() => onChange([...dependencies, dependencyDraft()])}
          disabled={parents.length === 0}
        >
          {t('dependency.add')}
        </Button>
      </Group>
    </Stack>
  );
}
