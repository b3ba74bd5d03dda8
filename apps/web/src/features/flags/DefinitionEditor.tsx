import {
  Alert,
  Button,
  Card,
  Group,
  List,
  Paper,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { IconAlertTriangle, IconBraces, IconForms, IconPlus } from '@tabler/icons-react';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors.ts';
import { errorMessage, notifySuccess } from '../../components/notify.tsx';
import { DependenciesEditor } from './DependenciesEditor.tsx';
import {
  draftFromJson,
  type FlagDraft,
  fromFlag,
  isDirty,
  move,
  newStrategy,
  STRATEGY_TYPES,
  toDefinition,
} from './flag-form.ts';
import { allIssues, FLAG_ISSUES, type IssueMap, type PlacedIssue, placeFlagIssues } from './flag-issues.ts';
import { keyedBy } from './flag-summary.ts';
import { updateFlag, useFlags, useInvalidateFlags, useSegments, useStoreFlag } from './flags-api.ts';
import { FLAG_TYPES, type Flag, type FlagType } from './flags-types.ts';
import { IssueList } from './IssueList.tsx';
import { StrategyCard } from './StrategyCard.tsx';
import { UnsavedGuard } from './UnsavedGuard.tsx';
import { VariantsEditor } from './VariantsEditor.tsx';

/** "Rule 1 › Condition 2" for the problems summary. */
function useLocationText() {
  const { t } = useTranslation('flags');
  return (issue: PlacedIssue) =>
    issue.location
      .map((l) => (l.kind === 'field' ? l.name : t(`issueAt.${l.kind}`, { number: l.index + 1 })))
      .join(' › ');
}

function ProblemsAlert({ issues, general }: { issues: IssueMap; general: string | null }) {
  const { t } = useTranslation('flags');
  const where = useLocationText();
  const list = allIssues(issues);
  if (list.length === 0 && !general) return null;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={18} />}
      title={t('editor.notSaved')}
      data-testid="save-error"
    >
      {general && <Text size="sm">{general}</Text>}
      {list.length > 0 && (
        <List size="sm" spacing={2} mt={general ? 'xs' : 0}>
          {keyedBy(list, (x) => `${x.field}:${x.message}`).map(({ key, item: issue }) => (
            <List.Item key={key}>
              {where(issue) && <Text span fw={500} size="sm">{`${where(issue)}: `}</Text>}
              {issue.field && <Text span ff="monospace" size="sm">{`${issue.field} `}</Text>}
              {issue.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}

/** The flag's definition for admins: details, strategies, variants, dependencies; one Save, dirty tracking. */
export function DefinitionEditor({ flag }: { flag: Flag }) {
  const { t } = useTranslation('flags');
  const invalidate = useInvalidateFlags();
  const store = useStoreFlag();
  const [baseline, setBaseline] = useState<FlagDraft>(() => fromFlag(flag));
  const [draft, setDraft] = useState<FlagDraft>(baseline);
  const [issues, setIssues] = useState<IssueMap>(new Map());
  const [general, setGeneral] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [mode, setMode] = useState<'form' | 'json'>('form');
  const [json, setJson] = useState('');
  const [jsonError, setJsonError] = useState<string | null>(null);
  const segments = useSegments(flag.productId);
  const siblings = useFlags({ productId: flag.productId });
  const dirty = isDirty(draft, baseline);

  // Someone (or the kill switch) changed the flag: follow it while nothing is edited, else say so.
  const server = useMemo(() => fromFlag(flag), [flag]);
  const serverChanged = isDirty(server, baseline);
  useEffect(() => {
    if (!serverChanged) return;
    if (!dirty) {
      setBaseline(server);
      setDraft(server);
    }
  }, [serverChanged, dirty, server]);

  const edit = (patch: Partial<FlagDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const discard = () => {
    setBaseline(server);
    setDraft(server);
    setIssues(new Map());
    setGeneral(null);
    setJsonError(null);
    setMode('form');
  };

  const save = async (toSave: FlagDraft) => {
    setSaving(true);
    setIssues(new Map());
    setGeneral(null);
    try {
      const saved = await updateFlag(flag.id, toDefinition(toSave));
      store(saved);
      const fresh = fromFlag(saved);
      setBaseline(fresh);
      setDraft(fresh);
      notifySuccess(t('toast.saved', { key: flag.key }), 'toast-flag-saved');
    } catch (err) {
      const details = isApiError(err) && err.status >= 400 && err.status < 500 ? err.details : [];
      setIssues(placeFlagIssues(toSave, details));
      setGeneral(details.length > 0 ? t('editor.fixProblems', { count: details.length }) : errorMessage(err));
      // Show the first problem where it is (the Save bar may be far below it).
      requestAnimationFrame(() =>
        document
          .querySelector('[data-testid="definition-editor"] [data-invalid="true"], [data-testid="save-error"]')
          ?.scrollIntoView({ block: 'center', behavior: 'smooth' }),
      );
    } finally {
      setSaving(false);
      invalidate();
    }
  };

  const applyJson = (): FlagDraft | null => {
    const parsed = draftFromJson(json, flag);
    if ('error' in parsed) {
      setJsonError(t('editor.jsonInvalid', { error: parsed.error }));
      return null;
    }
    setJsonError(null);
    setDraft(parsed.draft);
    return parsed.draft;
  };

  const switchMode = (next: 'form' | 'json') => {
    if (next === 'json') {
      setJson(JSON.stringify(toDefinition(draft), null, 2));
      setMode('json');
    } else if (applyJson()) setMode('form');
  };

  const submit = () => {
    const toSave = mode === 'json' ? applyJson() : draft;
    if (toSave) void save(toSave);
  };

  const parents = (siblings.data?.data ?? []).filter((f) => f.id !== flag.id);
  const flagIssues = issues.get(FLAG_ISSUES) ?? [];

  return (
    <Stack gap="md" data-testid="definition-editor">
      <UnsavedGuard dirty={dirty} />
      <Group justify="space-between">
        <Title order={3} fz="lg">
          {t('editor.title')}
        </Title>
        <SegmentedControl
          size="xs"
          value={mode}
          onChange={(v) => switchMode(v as 'form' | 'json')}
          data={[
            {
              value: 'form',
              label: (
                <Group gap={4} wrap="nowrap">
                  <IconForms size={14} />
                  {t('editor.form')}
                </Group>
              ),
            },
            {
              value: 'json',
              label: (
                <Group gap={4} wrap="nowrap">
                  <IconBraces size={14} />
                  {t('editor.json')}
                </Group>
              ),
            },
          ]}
          aria-label={t('editor.mode')}
          data-testid="editor-mode"
        />
      </Group>
      <ProblemsAlert issues={issues} general={general} />
      {serverChanged && dirty && (
        <Alert color="yellow" variant="light" icon={<IconAlertTriangle size={18} />}>
          {t('editor.changedElsewhere')}
        </Alert>
      )}
      {mode === 'json' ? (
        <Card withBorder radius="md">
          <Textarea
            label={t('editor.jsonLabel')}
            description={t('editor.jsonHint')}
            autosize
            minRows={12}
            maxRows={40}
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            value={json}
            onChange={(e) => setJson(e.currentTarget.value)}
            error={jsonError}
            spellCheck={false}
            data-testid="definition-json"
          />
        </Card>
      ) : (
        <>
          <Card withBorder radius="md">
            <Stack gap="sm">
              <Textarea
                label={t('fields.description')}
                autosize
                minRows={2}
                maxLength={2000}
                value={draft.description}
                onChange={(e) => edit({ description: e.currentTarget.value })}
                data-testid="flag-description"
              />
              <Select
                w={240}
                label={t('fields.type')}
                data={FLAG_TYPES.map((v) => ({ value: v, label: t(`types.${v}`) }))}
                value={draft.type}
                onChange={(v) => v && edit({ type: v as FlagType })}
                allowDeselect={false}
              />
            </Stack>
          </Card>
          <Stack gap="xs">
            <Title order={4} fz="md">
              {t('editor.strategies')}
            </Title>
            <Text size="sm" c="dimmed">
              {draft.strategies.length === 0 ? t('editor.noStrategies') : t('editor.strategiesHint')}
            </Text>
            {draft.strategies.map((s, i) => (
              <StrategyCard
                key={s.uid}
                strategy={s}
                index={i}
                count={draft.strategies.length}
                flagKey={flag.key}
                segments={segments.data?.data ?? []}
                issues={issues}
                onChange={(next) => edit({ strategies: draft.strategies.map((x) => (x.uid === s.uid ? next : x)) })}
                onMove={(by) => edit({ strategies: move(draft.strategies, i, by) })}
                onRemove={() => edit({ strategies: draft.strategies.filter((x) => x.uid !== s.uid) })}
              />
            ))}
            <Group gap="xs">
              {STRATEGY_TYPES.map((name) => (
                <Button
                  key={name}
                  size="xs"
                  variant="light"
                  leftSection={<IconPlus size={14} />}
                  onClick={() => edit({ strategies: [...draft.strategies, newStrategy(name, flag.key)] })}
                  data-testid={`add-strategy-${name}`}
                >
                  {t(`strategyTypes.${name}`)}
                </Button>
              ))}
            </Group>
          </Stack>
          <Card withBorder radius="md">
            <Title order={4} fz="md" mb={4}>
              {t('editor.variants')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('editor.variantsHint')}
            </Text>
            <VariantsEditor variants={draft.variants} issues={issues} onChange={(variants) => edit({ variants })} />
          </Card>
          <Card withBorder radius="md">
            <Title order={4} fz="md" mb={4}>
              {t('editor.dependencies')}
            </Title>
            <Text size="sm" c="dimmed" mb="sm">
              {t('editor.dependenciesHint')}
            </Text>
            <DependenciesEditor
              dependencies={draft.dependencies}
              parents={parents}
              issues={issues}
              onChange={(dependencies) => edit({ dependencies })}
            />
          </Card>
          <IssueList issues={flagIssues} testId="flag-issue" />
        </>
      )}
      <Paper
        withBorder
        shadow={dirty ? 'md' : undefined}
        p="sm"
        radius="md"
        pos={dirty ? 'sticky' : 'static'}
        bottom={8}
        style={{ zIndex: 5 }}
        data-testid="save-bar"
        data-dirty={String(dirty)}
      >
        <Group justify="space-between" gap="sm">
          <Text size="sm" c={dirty ? undefined : 'dimmed'}>
            {dirty ? t('editor.unsaved') : t('editor.saved')}
          </Text>
          <Group gap="sm">
            <Button variant="default" disabled={!dirty && mode === 'form'} onClick={discard} data-testid="discard">
              {t('editor.discard')}
            </Button>
            <Button onClick={submit} loading={saving} disabled={!dirty && mode === 'form'} data-testid="save-flag">
              {t('editor.save')}
            </Button>
          </Group>
        </Group>
      </Paper>
    </Stack>
  );
}
