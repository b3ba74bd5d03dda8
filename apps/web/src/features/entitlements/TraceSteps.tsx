import { Badge, Group, Stack, Text, ThemeIcon } from '@mantine/core';
import type { Icon } from '@tabler/icons-react';
import type { ReactNode } from 'react';

export interface Step {
  key: string;
  icon: Icon;
  color: string;
  /** The outcome in a word ("Decides", "Not set", "Pass"). */
  label: string;
  title: ReactNode;
  detail?: ReactNode;
  /** The step that decided: emphasised. */
  decisive?: boolean;
  outcome: string;
}

/** A decision trace as an ordered list: an outcome icon and word per step, then what it means. */
export function TraceSteps({ steps, label }: { steps: Step[]; label: string }) {
  return (
    <Stack
      component="ol"
      gap={0}
      aria-label={label}
      data-testid="trace"
      style={{ listStyle: 'none', margin: 0, padding: 0 }}
    >
      {steps.map((s, i) => (
        <Group
          component="li"
          key={s.key}
          gap="sm"
          wrap="nowrap"
          align="flex-start"
          py="xs"
          data-testid="trace-step"
          data-outcome={s.outcome}
          style={{
            borderTop: i === 0 ? undefined : '1px solid var(--mantine-color-default-border)',
          }}
        >
          <ThemeIcon size={26} radius="xl" variant={s.decisive ? 'filled' : 'light'} color={s.color} mt={2}>
            <s.icon size={16} aria-hidden />
          </ThemeIcon>
          <Stack gap={2} style={{ minWidth: 0, flex: 1 }}>
            <Group gap={6} wrap="wrap">
              <Badge size="xs" variant={s.decisive ? 'filled' : 'light'} color={s.color}>
                {s.label}
              </Badge>
              <Text size="sm" fw={s.decisive ? 600 : 400} component="div" style={{ overflowWrap: 'anywhere' }}>
                {s.title}
              </Text>
            </Group>
            {s.detail && (
              <Text size="xs" c="dimmed" component="div" style={{ overflowWrap: 'anywhere' }}>
                {s.detail}
              </Text>
            )}
          </Stack>
        </Group>
      ))}
    </Stack>
  );
}
