import { ActionIcon, Anchor, Badge, Code, Group, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { IconChevronDown, IconChevronRight } from '@tabler/icons-react';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { AuditEvent } from '../../api/types.ts';
import { links } from '../../app/links.ts';
import { formatDateTime, fromNow } from '../../i18n/format.ts';
import { AuditDiff } from './AuditDiff.tsx';

const COLUMNS = 5;

function Target({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('audit');
  const { type, id } = event.target;
  const href = type === 'account' ? links.account(id) : type === 'license' ? links.license(id) : null;
  const label = t(`targets.${type}`, { defaultValue: type });
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm">{label}</Text>
      {href ? (
        <Anchor component={Link} to={href} size="xs" ff="monospace">
          {id.slice(0, 8)}
        </Anchor>
      ) : (
        <Text size="xs" c="dimmed" ff="monospace">
          {id.slice(0, 8)}
        </Text>
      )}
    </Group>
  );
}

function EventRow({ event }: { event: AuditEvent }) {
  const { t } = useTranslation('audit');
  const [open, setOpen] = useState(false);
  const diffId = `audit-diff-${event.id}`;
  return (
    <Fragment>
      <Table.Tr
        data-testid="audit-event"
        data-id={event.id}
        data-action={event.action}
        onClick={() => setOpen((o) => !o)}
        style={{ cursor: 'pointer' }}
        bg={open ? 'var(--mantine-color-gray-0)' : undefined}
      >
        <Table.Td w={44}>
          <ActionIcon
            variant="subtle"
            color="gray"
            aria-expanded={open}
            aria-controls={diffId}
            aria-label={open ? t('table.hideChanges') : t('table.showChanges')}
            onClick={(e) => {
              e.stopPropagation();
              setOpen((o) => !o);
            }}
          >
            {open ? <IconChevronDown size={16} /> : <IconChevronRight size={16} />}
          </ActionIcon>
        </Table.Td>
        <Table.Td>
          <Tooltip label={fromNow(event.at)} openDelay={300}>
            <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
              {formatDateTime(event.at)}
            </Text>
          </Tooltip>
        </Table.Td>
        <Table.Td>
          <Text size="sm" fw={500} lineClamp={1}>
            {event.actor.name}
          </Text>
          <Text size="xs" c="dimmed">
            {t(`actorTypes.${event.actor.type.replace(':', '_')}`, { defaultValue: event.actor.type })}
          </Text>
        </Table.Td>
        <Table.Td>
          <Badge variant="light" color={colorOf(event.action)} tt="none" radius="sm" fw={600}>
            {event.action}
          </Badge>
        </Table.Td>
        <Table.Td>
          <Target event={event} />
        </Table.Td>
      </Table.Tr>
      {open && (
        <Table.Tr id={diffId} bg="var(--mantine-color-gray-0)">
          <Table.Td />
          <Table.Td colSpan={COLUMNS - 1} pb="md">
            <AuditDiff event={event} />
            {event.requestId && (
              <Text size="xs" c="dimmed" mt={6}>
                {t('table.requestId')} <Code>{event.requestId}</Code>
              </Text>
            )}
          </Table.Td>
        </Table.Tr>
      )}
    </Fragment>
  );
}

function colorOf(action: string): string {
  if (/(deleted|revoked|sign_in_failed|locked|disabled)$/.test(action)) return 'red';
  if (/(created|activated|reinstated|enabled|signed_in)$/.test(action)) return 'green';
  if (/(renewed|extended|expiry_set)$/.test(action)) return 'indigo';
  if (/suspended$/.test(action)) return 'orange';
  return 'gray';
}

function Head() {
  const { t } = useTranslation('audit');
  return (
    <Table.Thead>
      <Table.Tr>
        <Table.Th />
        <Table.Th>{t('table.when')}</Table.Th>
        <Table.Th>{t('table.actor')}</Table.Th>
        <Table.Th>{t('table.action')}</Table.Th>
        <Table.Th>{t('table.target')}</Table.Th>
      </Table.Tr>
    </Table.Thead>
  );
}

/** The events, newest first; a click on a row shows its before/after. */
export function AuditEventsTable({ events, loading }: { events: AuditEvent[]; loading?: boolean }) {
  const { t } = useTranslation('audit');
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table verticalSpacing="xs" highlightOnHover aria-label={t('table.label')} aria-busy={loading || undefined}>
        <Head />
        <Table.Tbody>
          {loading
            ? Array.from({ length: 8 }, (_, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
                <Table.Tr key={i}>
                  {Array.from({ length: COLUMNS }, (_, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: static placeholders
                    <Table.Td key={j}>
                      <Skeleton h={14} w={j === 0 ? 20 : '80%'} />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))
            : events.map((e) => <EventRow key={e.id} event={e} />)}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
