import { Badge, Divider, Drawer, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconCircleCheck, IconCircleX, IconGavel, IconPlayerSkipForward } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDate } from '../../i18n/format.ts';
import { useFlagExplain } from './entitlements-api.ts';
import type { FlagExplainResult, FlagTraceStep, Target, ToggleBrief } from './entitlements-types.ts';
import { type Step, TraceSteps } from './TraceSteps.tsx';
import { parseStepSubject, toggleStepEffect } from './values.ts';

const OUTCOME: Record<FlagTraceStep['outcome'], { icon: Step['icon']; color: string }> = {
  pass: { icon: IconCircleCheck, color: 'teal' },
  fail: { icon: IconCircleX, color: 'red' },
  skip: { icon: IconPlayerSkipForward, color: 'gray' },
  decide: { icon: IconGavel, color: 'blue' },
};

/**
 * A step in plain words: known steps (the switch, per-customer toggles, "no rule matched") are worded here in the
 * user's language; for rules and conditions the engine's own sentence is shown under a translated title.
 */
function stepText(
  t: TFunction<'entitlements'>,
  step: FlagTraceStep,
  toggles: Pick<FlagExplainResult, 'licenseToggle' | 'accountToggle'>,
): { title: string; detail?: string } {
  const s = parseStepSubject(step.subject);
  switch (s.kind) {
    case 'customerToggle': {
      const toggle = s.who === 'license' ? toggles.licenseToggle : s.who === 'account' ? toggles.accountToggle : null;
      if (!s.who || !toggle) return { title: t('flagStep.noCustomerToggle') };
      const key = `${s.who === 'license' ? 'thisLicense' : 'wholeAccount'}_${toggle.enabled ? 'on' : 'off'}`;
      const title =
        t(`why.${key}`, { author: toggle.authorName }) +
        (toggle.reason ? `: ${t('source.reason', { reason: toggle.reason })}` : '');
      // Skipped: the server says why after a dash ("not applied: the license's own toggle takes precedence").
      const why = step.outcome === 'skip' ? step.detail.split(' — ').slice(1).join(' — ') : '';
      return why ? { title, detail: why } : { title };
    }
    case 'flag':
      if (step.outcome === 'pass') return { title: t('flagStep.flagOn') };
      return step.detail.includes('kill switch') ? { title: t('flagStep.flagOff') } : { title: step.detail };
    case 'dependency':
      return { title: t('flagStep.dependency', { name: s.name }), detail: step.detail };
    case 'dependencies':
      return { title: t('flagStep.dependencyFailed') };
    case 'result':
      return { title: t('flagStep.noMatch') };
    case 'toggle': {
      const effect = toggleStepEffect(s, step.outcome);
      if (step.outcome === 'skip') return { title: t(`flagStep.toggleRule.${s.who}`), detail: step.detail };
      if (effect) return { title: t(`flagStep.toggle_${effect}.${s.who}`) };
      return { title: t(s.list === 'off' ? `flagStep.noToggle_off.${s.who}` : `flagStep.noToggle_on.${s.who}`) };
    }
    case 'strategy': {
      const name = t(`strategyName.${s.name}`, { defaultValue: s.name });
      const title =
        t('flagStep.strategy', { number: s.number, name }) +
        (s.title ? ` ${t('source.reason', { reason: s.title })}` : '');
      return { title, detail: step.outcome === 'decide' ? t('flagStep.strategyMatched') : step.detail };
    }
    case 'segment':
      return { title: t('flagStep.segment', { id: s.id }), detail: step.detail };
    case 'constraint':
      return { title: t('flagStep.constraint', { field: s.field, operator: s.operator }), detail: step.detail };
    case 'variant':
      return { title: t('flagStep.variant'), detail: step.detail };
    case 'strategies':
    case 'other':
      return { title: step.detail };
  }
}

function ToggleLine({ label, toggle }: { label: string; toggle: ToggleBrief | null }) {
  const { t } = useTranslation('entitlements');
  return (
    <Group gap={6} wrap="nowrap" align="flex-start">
      <Text size="sm" fw={500} miw={110}>
        {label}
      </Text>
      <Text size="sm" c={toggle ? undefined : 'dimmed'}>
        {toggle
          ? t(toggle.enabled ? 'flagExplain.toggleOn' : 'flagExplain.toggleOff', {
              author: toggle.authorName,
              date: formatDate(toggle.updatedAt),
            }) + (toggle.reason ? ` — ${t('source.reason', { reason: toggle.reason })}` : '')
          : t('flagExplain.noToggle')}
      </Text>
    </Group>
  );
}

/**
 * A flag's explanation: the result, the customer's switches and the decision trace. `target` null: explained for a
 * context alone (no customer, no switches) — the flag page's "Try it".
 */
export function FlagExplanation({ data, target }: { data: FlagExplainResult; target: Target | null }) {
  const { t } = useTranslation('entitlements');
  const e = data.explanation;
  // A toggle's on-list check right under its own strategy says the same thing again: shown once.
  const shown = e.steps.filter((step, i) => {
    const previous = e.steps[i - 1];
    return !(
      previous &&
      step.subject.endsWith(' on-list') &&
      previous.subject === step.subject.replace(' on-list', '-on')
    );
  });
  const steps: Step[] = shown.map((step, i) => ({
    key: String(i),
    outcome: step.outcome,
    ...OUTCOME[step.outcome],
    label: t(`flagExplain.outcome.${step.outcome}`),
    ...stepText(t, step, data),
    decisive: step.outcome === 'decide' && step.subject !== 'variant',
  }));
  return (
    <Stack gap="md">
      <Group gap="sm">
        <Text size="sm">
          {t(
            target === null
              ? 'flagExplain.summaryContext'
              : target.kind === 'license'
                ? 'flagExplain.summaryLicense'
                : 'flagExplain.summaryAccount',
            { key: data.flag.key },
          )}
        </Text>
        <Badge
          color={e.enabled ? 'teal' : 'gray'}
          variant="light"
          data-testid="flag-explain-result"
          data-enabled={String(e.enabled)}
        >
          {e.enabled ? t('flags.on') : t('flags.off')}
        </Badge>
      </Group>
      <Text size="sm" c="dimmed">
        {e.enabled && e.strategy?.id?.startsWith('keyward:') ? t('why.rule.TOGGLE') : t(`why.rule.${e.reason}`)}
      </Text>
      {target !== null && (
        <Stack gap={4}>
          {target.kind === 'license' && <ToggleLine label={t('target.thisLicense')} toggle={data.licenseToggle} />}
          <ToggleLine label={t('target.account')} toggle={data.accountToggle} />
        </Stack>
      )}
      <Divider label={t('explain.steps')} labelPosition="left" />
      <TraceSteps steps={steps} label={t('explain.steps')} />
    </Stack>
  );
}

/** "Why is this flag on or off for this customer?": the engine's decision trace, in order. */
export function FlagExplainDrawer({
  flag,
  target,
  onClose,
}: {
  flag: { id: string; key: string } | null;
  target: Target;
  onClose(): void;
}) {
  const { t } = useTranslation('entitlements');
  const [shown, setShown] = useState(flag);
  if (flag && flag !== shown) setShown(flag);
  const query = useFlagExplain(shown?.id ?? null, target);
  return (
    <Drawer
      opened={flag !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={t('flagExplain.title', { key: shown?.key ?? '' })}
      data-testid="flag-explain"
    >
      {query.isPending ? (
        <Stack gap="sm" aria-busy="true">
          <Skeleton h={24} w="70%" />
          <Skeleton h={160} />
        </Stack>
      ) : query.isError ? (
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <FlagExplanation data={query.data} target={target} />
      )}
    </Drawer>
  );
}
