import { Anchor, Badge, Code, Collapse, Group, Stack, Switch, Text, ThemeIcon } from '@mantine/core';
import { IconCheck, IconInfinity, IconX } from '@tabler/icons-react';
import type { TFunction } from 'i18next';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatNumber } from '../../i18n/format.ts';
import type { PropertyType } from './entitlements-types.ts';
import { describeValue, type ValueView } from './values.ts';

export const formatters = { number: formatNumber };

/** A value in one line of plain words, for sentences (explain steps, toasts). */
export function valueText(t: TFunction<'entitlements'>, view: ValueView): string {
  switch (view.kind) {
    case 'bool':
      return view.on ? t('value.on') : t('value.off');
    case 'unlimited':
      return t('value.unlimited');
    case 'number':
      return view.text;
    case 'list':
      return view.items.length ? view.items.join(', ') : t('value.emptyList');
    case 'json':
      return view.preview;
    case 'none':
      return t('value.none');
  }
}

export function useValueText() {
  const { t } = useTranslation('entitlements');
  return (type: PropertyType, value: unknown, unit: string) =>
    valueText(t, describeValue(type, value, unit, formatters));
}

function JsonValue({ preview, full }: { preview: string; full: string }) {
  const { t } = useTranslation('entitlements');
  const [open, setOpen] = useState(false);
  const id = useId();
  return (
    <Stack gap={4} maw={260}>
      <Group gap="xs" wrap="nowrap">
        <Code style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 }}>
          {preview}
        </Code>
        <Anchor
          component="button"
          type="button"
          size="xs"
          onClick={() => setOpen((o) => !o)}
          aria-expanded={open}
          aria-controls={id}
          style={{ flexShrink: 0 }}
        >
          {open ? t('value.hideJson') : t('value.showJson')}
        </Anchor>
      </Group>
      <Collapse expanded={open} id={id}>
        <Code block>{full}</Code>
      </Collapse>
    </Stack>
  );
}

/**
 * A property value rendered by its type: a switch (or on/off mark) for booleans, a number with its unit or
 * "Unlimited", chips for enum options, collapsed JSON. `onToggle` (people who may change it) makes a boolean a switch.
 */
export function ValueDisplay({
  type,
  value,
  unit,
  label,
  onToggle,
}: {
  type: PropertyType;
  value: unknown;
  unit: string;
  /** The property's name, for the switch's accessible label. */
  label: string;
  onToggle?: (next: boolean) => void;
}) {
  const { t } = useTranslation('entitlements');
  const view = describeValue(type, value, unit, formatters);
  switch (view.kind) {
    case 'bool':
      if (onToggle) {
        return (
          <Switch
            checked={view.on}
            onChange={(e) => onToggle(e.currentTarget.checked)}
            label={view.on ? t('value.on') : t('value.off')}
            aria-label={t('value.switchLabel', { name: label })}
            color="teal"
            data-testid="value-switch"
          />
        );
      }
      return (
        <Group gap={6} wrap="nowrap" data-testid="value-bool" data-value={String(view.on)}>
          <ThemeIcon size="sm" radius="xl" variant="light" color={view.on ? 'teal' : 'gray'}>
            {view.on ? <IconCheck size={12} /> : <IconX size={12} />}
          </ThemeIcon>
          <Text size="sm">{view.on ? t('value.on') : t('value.off')}</Text>
        </Group>
      );
    case 'unlimited':
      return (
        <Group gap={4} wrap="nowrap">
          <IconInfinity size={16} aria-hidden />
          <Text size="sm">{t('value.unlimited')}</Text>
        </Group>
      );
    case 'number':
      return (
        <Text size="sm" fw={600} style={{ whiteSpace: 'nowrap' }}>
          {view.text}
        </Text>
      );
    case 'list':
      if (view.items.length === 0) {
        return (
          <Text size="sm" c="dimmed">
            {t('value.emptyList')}
          </Text>
        );
      }
      return (
        <Group gap={4}>
          {view.items.map((item) => (
            <Badge key={item} variant="light" color="indigo" tt="none" fw={500}>
              {item}
            </Badge>
          ))}
        </Group>
      );
    case 'json':
      return <JsonValue preview={view.preview} full={view.full} />;
    case 'none':
      return (
        <Text size="sm" c="dimmed">
          {t('value.none')}
        </Text>
      );
  }
}
