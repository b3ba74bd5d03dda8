import {
  Checkbox,
  Chip,
  Group,
  Input,
  JsonInput,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
} from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PropertyDef } from './entitlements-types.ts';
import type { ValueDraft } from './values.ts';

/** What the value input needs of a property: a saved definition, or the one being written (a default value). */
export type ValueFieldDef = Pick<PropertyDef, 'type' | 'options' | 'multiple' | 'metered' | 'unit'>;

/**
 * A value input by the property's type: on/off, a number (or unlimited), options, JSON. Used by the override form,
 * plan values and a property's default value (`label` names which).
 */
export function ValueField({
  def,
  draft,
  onChange,
  error,
  label,
}: {
  def: ValueFieldDef;
  draft: ValueDraft;
  onChange: (d: ValueDraft) => void;
  error?: string | undefined;
  label?: string;
}) {
  const { t } = useTranslation('entitlements');
  const title = label ?? t('form.value');
  const wrap = (input: ReactNode) => (
    <Input.Wrapper label={title} error={error} withAsterisk>
      <div style={{ marginTop: 4 }}>{input}</div>
    </Input.Wrapper>
  );
  switch (def.type) {
    case 'boolean':
      return wrap(
        <SegmentedControl
          value={String(draft.bool)}
          onChange={(v) => onChange({ ...draft, bool: v === 'true' })}
          data={[
            { value: 'true', label: t('value.on') },
            { value: 'false', label: t('value.off') },
          ]}
          aria-label={title}
          data-testid="override-bool"
        />,
      );
    case 'number':
      return (
        <Stack gap={6}>
          <NumberInput
            label={title}
            withAsterisk
            value={draft.unlimited ? '' : draft.number}
            onChange={(v) => onChange({ ...draft, number: v })}
            disabled={draft.unlimited}
            min={0}
            allowNegative={false}
            allowDecimal={!def.metered}
            thousandSeparator
            rightSection={def.unit ? <Text size="xs">{def.unit}</Text> : undefined}
            rightSectionWidth={def.unit ? Math.min(120, 16 + def.unit.length * 8) : undefined}
            error={error}
            data-testid="override-number"
            data-autofocus
          />
          <Checkbox
            label={t('form.unlimited')}
            checked={draft.unlimited}
            onChange={(e) => onChange({ ...draft, unlimited: e.currentTarget.checked })}
            data-testid="override-unlimited"
          />
        </Stack>
      );
    case 'enum':
      if (def.multiple) {
        return wrap(
          <Chip.Group multiple value={draft.choices} onChange={(choices) => onChange({ ...draft, choices })}>
            <Group gap={6}>
              {def.options.map((o) => (
                <Chip key={o} value={o} size="sm">
                  {o}
                </Chip>
              ))}
            </Group>
          </Chip.Group>,
        );
      }
      return (
        <Select
          label={title}
          withAsterisk
          data={def.options}
          value={draft.choice}
          onChange={(choice) => onChange({ ...draft, choice })}
          allowDeselect={false}
          error={error}
          comboboxProps={{ withinPortal: true }}
          data-testid="override-choice"
        />
      );
    case 'json':
      return (
        <JsonInput
          label={title}
          withAsterisk
          value={draft.json}
          onChange={(json) => onChange({ ...draft, json })}
          formatOnBlur
          autosize
          minRows={4}
          maxRows={14}
          validationError={t('form.valueError.json')}
          error={error}
          data-testid="override-json"
        />
      );
  }
}
