import { Code, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { AuditEvent } from '../../api/types.ts';
import { diffFields, formatValue } from './diff.ts';

const cell = { wordBreak: 'break-word' as const, whiteSpace: 'pre-wrap' as const, maxWidth: 420 };

/** What an event changed: one row per field, before → after. */
export function AuditDiff({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('audit');
  const changes = diffFields(event.before, event.after);
  if (changes.length === 0) {
    return (
      <Text size="sm" c="dimmed">
        {t('diff.none')}
      </Text>
    );
  }
  return (
    <Table
      withTableBorder
      withColumnBorders
      verticalSpacing={6}
      fz="sm"
      bg="var(--mantine-color-body)"
      aria-label={t('diff.label')}
    >
      <Table.Thead>
        <Table.Tr>
          <Table.Th w="24%">{t('diff.field')}</Table.Th>
          <Table.Th w="38%">{t('diff.before')}</Table.Th>
          <Table.Th w="38%">{t('diff.after')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {changes.map((c) => (
          <Table.Tr key={c.field}>
            <Table.Td>
              <Code>{c.field}</Code>
            </Table.Td>
            <Table.Td style={cell} bg={c.kind === 'added' ? undefined : 'var(--mantine-color-red-light)'}>
              {c.kind === 'added' ? (
                <Text span c="dimmed">
                  —
                </Text>
              ) : (
                formatValue(c.before)
              )}
            </Table.Td>
            <Table.Td style={cell} bg={c.kind === 'removed' ? undefined : 'var(--mantine-color-green-light)'}>
              {c.kind === 'removed' ? (
                <Text span c="dimmed">
                  —
                </Text>
              ) : (
                formatValue(c.after)
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
