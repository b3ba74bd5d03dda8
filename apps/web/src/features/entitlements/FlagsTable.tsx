import { Badge, Box, Button, Group, SegmentedControl, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconHelpCircle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { notifyError } from '../../components/notify.tsx';
import type { CustomerFlag, ToggleScope } from './entitlements-types.ts';
import { useToggleActions } from './use-entitlement-actions.ts';
import { flagWhy, type ToggleChoice, toggleChoice } from './values.ts';

/** The switch's indicator: coloured while a per-customer toggle is set, plain while the rules decide. */
const CHOICE_COLORS: Record<ToggleChoice, string | undefined> = { on: 'teal', off: 'red', rules: undefined };

/** Why the flag is on or off here, in one sentence (and the toggle's reason). */
export function FlagWhy({ flag, scope }: { flag: CustomerFlag; scope: ToggleScope }) {
  const { t } = useTranslation('entitlements');
  const why = flagWhy(flag, scope);
  return (
    <Text size="sm" data-testid="flag-why" style={{ overflowWrap: 'anywhere' }}>
      {t(`why.${why.key}`, { author: why.author })}
      {why.reason && (
        <Text span size="sm" c="dimmed">
          {' '}
          {t('source.reason', { reason: why.reason })}
        </Text>
      )}
    </Text>
  );
}

/**
 * The product's flags for this customer: on or off, why, and (for people who may) the per-customer switch at this
 * scope — On / Off (open the reason form) or Use rules (remove the toggle at once, with Undo).
 */
export function FlagsTable({
  flags,
  scope,
  targetId,
  canToggle,
  onToggle,
  onExplain,
}: {
  flags: CustomerFlag[];
  scope: ToggleScope;
  targetId: string;
  canToggle: boolean;
  onToggle(flag: CustomerFlag, enabled: boolean): void;
  onExplain(flag: CustomerFlag): void;
}) {
  const { t } = useTranslation('entitlements');
  const actions = useToggleActions();
  const target = scope === 'license' ? t('target.inlineLicense') : t('target.inlineAccount');

  const choose = (flag: CustomerFlag, choice: ToggleChoice) => {
    if (choice === toggleChoice(flag, scope)) return;
    if (choice !== 'rules') {
      onToggle(flag, choice === 'on');
      return;
    }
    actions.set(flag, scope, targetId, null, '').catch((err: unknown) => notifyError(t('toast.toggleFailed'), err));
  };

  return (
    <Table.ScrollContainer minWidth={canToggle ? 720 : 560}>
      <Table verticalSpacing="sm" data-testid="flags-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('flags.columns.flag')}</Table.Th>
            <Table.Th>{t('flags.columns.state')}</Table.Th>
            <Table.Th>{t('flags.columns.why')}</Table.Th>
            {canToggle && (
              <Table.Th>
                {t(scope === 'license' ? 'flags.columns.switchLicense' : 'flags.columns.switchAccount')}
              </Table.Th>
            )}
            <Table.Th>
              <VisuallyHidden>{t('flags.columns.explain')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {flags.map((flag) => {
            const on = flag.evaluated.enabled;
            const variant = flag.evaluated.variant;
            return (
              <Table.Tr key={flag.id} data-testid="flag-row" data-key={flag.key}>
                <Table.Td maw={260}>
                  <Text size="sm" fw={600} ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                    {flag.key}
                  </Text>
                  {flag.description && (
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {flag.description}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Stack gap={4} align="flex-start">
                    <Badge
                      color={on ? 'teal' : 'gray'}
                      variant={on ? 'filled' : 'light'}
                      data-testid="flag-state"
                      data-enabled={String(on)}
                    >
                      {on ? t('flags.on') : t('flags.off')}
                    </Badge>
                    {on && variant.enabled && (
                      <Text size="xs" c="dimmed">
                        {t('flags.variant', { name: variant.name })}
                      </Text>
                    )}
                  </Stack>
                </Table.Td>
                <Table.Td maw={340}>
                  <FlagWhy flag={flag} scope={scope} />
                </Table.Td>
                {canToggle && (
                  <Table.Td>
                    <SegmentedControl
                      size="xs"
                      value={toggleChoice(flag, scope)}
                      color={CHOICE_COLORS[toggleChoice(flag, scope)]}
                      onChange={(v) => choose(flag, v as ToggleChoice)}
                      disabled={actions.busy === flag.id}
                      data={[
                        { value: 'on', label: t('flags.choice.on') },
                        { value: 'off', label: t('flags.choice.off') },
                        { value: 'rules', label: t('flags.choice.rules') },
                      ]}
                      aria-label={t('flags.switchLabel', { key: flag.key, target })}
                      data-testid="flag-switch"
                    />
                  </Table.Td>
                )}
                <Table.Td>
                  <Group justify="flex-end">
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      leftSection={<IconHelpCircle size={16} />}
                      onClick={() => onExplain(flag)}
                      aria-label={t('flags.whyLabel', { key: flag.key })}
                      data-testid="flag-why-button"
                    >
                      <Box component="span" visibleFrom="lg">
                        {t('why.button')}
                      </Box>
                    </Button>
                  </Group>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
