import { Anchor, Badge, Group, Skeleton, Table, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { Account } from '../../api/types.ts';
import { links } from '../../app/links.ts';
import { formatDate } from '../../i18n/format.ts';
import classes from './accounts.module.css';

function Domains({ domains }: { domains: string[] }) {
  if (domains.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Group gap={4} wrap="nowrap">
      {domains.slice(0, 2).map((d) => (
        <Badge key={d} variant="default" tt="none" fw={500} radius="sm">
          {d}
        </Badge>
      ))}
      {domains.length > 2 && (
        <Text size="xs" c="dimmed">
          +{domains.length - 2}
        </Text>
      )}
    </Group>
  );
}

/** The Accounts list; a row opens the account (the name is the keyboard-reachable link). */
export function AccountsTable({ accounts }: { accounts: Account[] }) {
  const { t } = useTranslation('accounts');
  const navigate = useNavigate();
  return (
    <Table.ScrollContainer minWidth={560}>
      <Table highlightOnHover verticalSpacing="sm" className={classes.table}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('columns.name')}</Table.Th>
            <Table.Th>{t('columns.domains')}</Table.Th>
            <Table.Th visibleFrom="md">{t('columns.contact')}</Table.Th>
            <Table.Th ta="right">{t('columns.licenses')}</Table.Th>
            <Table.Th visibleFrom="sm">{t('columns.created')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((a) => {
            const contact = a.contacts[0];
            return (
              <Table.Tr key={a.id} className={classes.row} onClick={() => navigate(links.account(a.id))}>
                <Table.Td>
                  <Anchor component={Link} to={links.account(a.id)} fw={600} c="var(--mantine-color-text)">
                    {a.name}
                  </Anchor>
                  {a.crmId && (
                    <Text size="xs" c="dimmed">
                      {t('crmId')}: {a.crmId}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  <Domains domains={a.emailDomains} />
                </Table.Td>
                <Table.Td visibleFrom="md">
                  {contact ? (
                    <>
                      <Text size="sm">{contact.name}</Text>
                      <Text size="xs" c="dimmed">
                        {contact.email}
                      </Text>
                    </>
                  ) : (
                    <Text c="dimmed">—</Text>
                  )}
                </Table.Td>
                <Table.Td ta="right" fw={600}>
                  {a.licenseCount}
                </Table.Td>
                <Table.Td visibleFrom="sm">
                  <Text size="sm">{formatDate(a.createdAt)}</Text>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function TableSkeleton({ rows = 6 }: { rows?: number }) {
  return (
    <div aria-busy="true">
      {Array.from({ length: rows }, (_, i) => `row-${i}`).map((key) => (
        <Skeleton key={key} h={40} mb={8} radius="sm" />
      ))}
    </div>
  );
}
