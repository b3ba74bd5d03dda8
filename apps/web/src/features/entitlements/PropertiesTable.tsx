import { Badge, Box, Button, Group, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { IconHelpCircle, IconPencil } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { Enforcement, PropertyDef, PropertyType, UsageState, ValueSource } from './entitlements-types.ts';
import { SourceBadge } from './SourceBadge.tsx';
import { UsageBar } from './UsageBar.tsx';
import { ValueDisplay } from './ValueDisplay.tsx';

export interface PropertyRow {
  key: string;
  name: string;
  type: PropertyType;
  unit: string;
  /** The definition (id, options…): needed to change or explain the value. */
  def: PropertyDef | undefined;
  /** The value at this scope; with `source` null, nothing is set at this scope (`fallback` says what decides). */
  value: unknown;
  source: ValueSource | null;
  enforcement: Enforcement | null;
  usage: UsageState | null;
}

export function RowsSkeleton({ rows = 3 }: { rows?: number }) {
  return (
    <Stack gap="sm" aria-busy="true">
      {Array.from({ length: rows }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
        <Skeleton key={i} h={44} radius="md" />
      ))}
    </Stack>
  );
}

/**
 * Every property with its value (by type), where it comes from and usage; "Why?" opens the decision trace, and people
 * who may change it get "Change" (and a switch for booleans) that opens the override form.
 */
export function PropertiesTable({
  rows,
  canEdit,
  fallback,
  onChange,
  onExplain,
}: {
  rows: PropertyRow[];
  canEdit: boolean;
  /** Shown in the source column of rows without a value at this scope. */
  fallback?: (row: PropertyRow) => string;
  onChange(row: PropertyRow, initialValue?: unknown): void;
  onExplain(row: PropertyRow): void;
}) {
  const { t } = useTranslation('entitlements');
  return (
    <Table.ScrollContainer minWidth={680}>
      <Table verticalSpacing="sm" data-testid="properties-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('properties.columns.property')}</Table.Th>
            <Table.Th>{t('properties.columns.value')}</Table.Th>
            <Table.Th>{t('properties.columns.source')}</Table.Th>
            <Table.Th ta="right">
              <VisuallyHidden>{t('properties.columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => {
            const editable = canEdit && row.def !== undefined;
            return (
              <Table.Tr key={row.key} data-testid="property-row" data-key={row.key}>
                <Table.Td miw={150}>
                  <Text size="sm" fw={600}>
                    {row.name}
                  </Text>
                  <Group gap={6} mt={2}>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {row.key}
                    </Text>
                    {row.enforcement && (
                      <Badge size="xs" variant="outline" color={row.enforcement === 'hard' ? 'dark' : 'gray'}>
                        {t(`properties.enforcement.${row.enforcement}`)}
                      </Badge>
                    )}
                  </Group>
                </Table.Td>
                <Table.Td data-testid="property-value">
                  {row.source ? (
                    <Stack gap={6}>
                      <ValueDisplay
                        type={row.type}
                        value={row.value}
                        unit={row.unit}
                        label={row.name}
                        {...(editable && row.type === 'boolean' ? { onToggle: (next) => onChange(row, next) } : {})}
                      />
                      {row.usage && <UsageBar usage={row.usage} unit={row.unit} name={row.name} />}
                    </Stack>
                  ) : (
                    <Text size="sm" c="dimmed">
                      —
                    </Text>
                  )}
                </Table.Td>
                <Table.Td miw={180}>
                  {row.source ? (
                    <SourceBadge source={row.source} />
                  ) : (
                    <Text size="xs" c="dimmed" maw={240}>
                      {fallback?.(row)}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Group gap={6} justify="flex-end" wrap="nowrap">
                    {row.def && (
                      <Button
                        size="compact-sm"
                        variant="subtle"
                        leftSection={<IconHelpCircle size={16} />}
                        onClick={() => onExplain(row)}
                        aria-label={t('properties.whyLabel', { name: row.name })}
                        data-testid="property-why"
                      >
                        <Box component="span" visibleFrom="lg">
                          {t('why.button')}
                        </Box>
                      </Button>
                    )}
                    {editable && (
                      <Button
                        size="compact-sm"
                        variant="light"
                        leftSection={<IconPencil size={14} />}
                        onClick={() => onChange(row)}
                        aria-label={t('properties.changeLabel', { name: row.name })}
                        data-testid="property-change"
                      >
                        <Box component="span" visibleFrom="lg">
                          {t('properties.change')}
                        </Box>
                      </Button>
                    )}
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
