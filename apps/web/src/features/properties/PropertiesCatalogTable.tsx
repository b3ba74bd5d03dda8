import { ActionIcon, Badge, Code, Group, Stack, Table, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { IconPencil, IconTrash } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import type { PropertyDef } from '../entitlements/entitlements-types.ts';
import { ValueDisplay } from '../entitlements/ValueDisplay.tsx';

/** What a number or enum property adds to its type: unit, enforcement, warning, metering; options. */
function Details({ p }: { p: PropertyDef }) {
  const { t } = useTranslation('properties');
  if (p.type === 'number') {
    return (
      <Group gap={6} data-testid="property-details">
        <Badge
          size="sm"
          variant={p.enforcement === 'soft' ? 'outline' : 'light'}
          color={p.enforcement === 'soft' ? 'gray' : 'dark'}
          data-testid="property-enforcement"
        >
          {t(`enforcement.${p.enforcement ?? 'hard'}`)}
        </Badge>
        {p.unit && (
          <Text size="xs" c="dimmed">
            {t('details.unit', { unit: p.unit })}
          </Text>
        )}
        {p.warningThresholdPercent !== null && (
          <Text size="xs" c="dimmed" data-testid="property-warning">
            {t('details.warning', { percent: p.warningThresholdPercent })}
          </Text>
        )}
        {p.metered && (
          <Badge size="sm" variant="light" color="indigo">
            {p.resetPeriod === 'none' ? t('details.metered') : t(`details.meteredReset.${p.resetPeriod}`)}
          </Badge>
        )}
      </Group>
    );
  }
  if (p.type === 'enum') {
    return (
      <Stack gap={4} data-testid="property-details">
        <Group gap={4}>
          {p.options.map((o) => (
            <Code key={o}>{o}</Code>
          ))}
        </Group>
        <Text size="xs" c="dimmed">
          {p.multiple ? t('details.multiple') : t('details.single')}
        </Text>
      </Stack>
    );
  }
  return (
    <Text size="xs" c="dimmed">
      —
    </Text>
  );
}

/** The product's properties in key order; admins get edit and delete on each row. */
export function PropertiesCatalogTable({
  properties,
  onEdit,
  onDelete,
}: {
  properties: PropertyDef[];
  onEdit?: (p: PropertyDef) => void;
  onDelete?: (p: PropertyDef) => void;
}) {
  const { t } = useTranslation('properties');
  const editable = onEdit !== undefined && onDelete !== undefined;
  return (
    <Table.ScrollContainer minWidth={860}>
      <Table verticalSpacing="sm" aria-label={t('properties.title')} data-testid="catalog-properties">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('columns.property')}</Table.Th>
            <Table.Th w={100}>{t('columns.type')}</Table.Th>
            <Table.Th>{t('columns.default')}</Table.Th>
            <Table.Th>{t('columns.details')}</Table.Th>
            {editable && (
              <Table.Th w={84}>
                <VisuallyHidden>{t('columns.actions')}</VisuallyHidden>
              </Table.Th>
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {properties.map((p) => (
            <Table.Tr key={p.id} data-testid="catalog-property" data-key={p.key}>
              <Table.Td miw={220} maw={360}>
                <Text size="sm" ff="monospace" fw={600}>
                  {p.key}
                </Text>
                <Text size="sm">{p.name}</Text>
                {p.description && (
                  <Text size="xs" c="dimmed" lineClamp={2}>
                    {p.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color="gray" tt="none">
                  {t(`types.${p.type}`)}
                </Badge>
              </Table.Td>
              <Table.Td data-testid="property-default">
                <ValueDisplay type={p.type} value={p.defaultValue} unit={p.unit} label={p.name} />
              </Table.Td>
              <Table.Td>
                <Details p={p} />
              </Table.Td>
              {editable && (
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    <Tooltip label={t('edit', { name: p.name })}>
                      <ActionIcon
                        variant="subtle"
                        color="gray"
                        aria-label={t('edit', { name: p.name })}
                        onClick={() => onEdit(p)}
                        data-testid="property-edit"
                      >
                        <IconPencil size={16} />
                      </ActionIcon>
                    </Tooltip>
                    <Tooltip label={t('delete.label', { name: p.name })}>
                      <ActionIcon
                        variant="subtle"
                        color="red"
                        aria-label={t('delete.label', { name: p.name })}
                        onClick={() => onDelete(p)}
                        data-testid="property-delete"
                      >
                        <IconTrash size={16} />
                      </ActionIcon>
                    </Tooltip>
                  </Group>
                </Table.Td>
              )}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
