import { Anchor, Checkbox, Skeleton, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import type { License } from '../../api/types.ts';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { LicenseActionsMenu } from './LicenseActionsMenu.tsx';
import { ExpiresCell, NameCell, SeatsCell } from './LicenseCells.tsx';
import classes from './licenses.module.css';
import type { LicenseActions } from './use-license-actions.tsx';

interface Props {
  licenses: License[];
  selected: ReadonlyMap<string, License>;
  onToggle(license: License): void;
  onToggleAll(checked: boolean): void;
  actions: LicenseActions;
  isBusy(id: string): boolean;
}

/** One page of licenses; a row opens the license (the name is the keyboard-reachable link). */
export function LicensesTable({ licenses, selected, onToggle, onToggleAll, actions, isBusy }: Props) {
  const { t } = useTranslation('licenses');
  const navigate = useNavigate();
  const all = licenses.length > 0 && licenses.every((l) => selected.has(l.id));
  const some = licenses.some((l) => selected.has(l.id));

  return (
    <Table.ScrollContainer minWidth={720}>
      <Table highlightOnHover verticalSpacing="sm" className={classes.table} data-testid="licenses-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th w={40}>
              <Checkbox
                aria-label={t('bulk.selectPage')}
                checked={all}
                indeterminate={some && !all}
                onChange={(e) => onToggleAll(e.currentTarget.checked)}
              />
            </Table.Th>
            <Table.Th>{t('columns.license')}</Table.Th>
            <Table.Th>{t('columns.account')}</Table.Th>
            <Table.Th visibleFrom="md">{t('columns.productPlan')}</Table.Th>
            <Table.Th>{t('columns.status')}</Table.Th>
            <Table.Th>{t('columns.expires')}</Table.Th>
            <Table.Th ta="right">{t('columns.seats')}</Table.Th>
            <Table.Th w={110}>
              <VisuallyHidden>{t('columns.actions')}</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {licenses.map((l) => (
            <Table.Tr
              key={l.id}
              className={classes.row}
              bg={selected.has(l.id) ? 'var(--mantine-color-indigo-light)' : undefined}
              onClick={() => navigate(`/licenses/${l.id}`)}
              data-testid="license-row"
              data-license-id={l.id}
              data-license-key={l.key}
            >
              <Table.Td onClick={(e) => e.stopPropagation()}>
                <Checkbox
                  aria-label={t('bulk.select', { name: l.name || l.key })}
                  checked={selected.has(l.id)}
                  onChange={() => onToggle(l)}
                />
              </Table.Td>
              <Table.Td maw={280}>
                <NameCell license={l} />
              </Table.Td>
              <Table.Td>
                <Anchor
                  component={Link}
                  to={`/accounts/${l.account.id}`}
                  size="sm"
                  c="var(--mantine-color-text)"
                  onClick={(e) => e.stopPropagation()}
                >
                  {l.account.name}
                </Anchor>
              </Table.Td>
              <Table.Td visibleFrom="md">
                <Stack gap={0}>
                  <Text size="sm">{l.product.name}</Text>
                  <Text size="xs" c="dimmed">
                    {l.plan.name} · {t(`type.${l.licenseType}`)}
                  </Text>
                </Stack>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <StatusBadge status={l.status} styles={{ label: { overflow: 'visible' } }} />
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <ExpiresCell endsAt={l.endsAt} />
              </Table.Td>
              <Table.Td ta="right">
                <SeatsCell license={l} />
              </Table.Td>
              <Table.Td>
                <LicenseActionsMenu license={l} actions={actions} busy={isBusy(l.id)} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function LicensesTableSkeleton({ rows = 8 }: { rows?: number }) {
  return (
    <div aria-busy="true" data-testid="licenses-loading">
      {Array.from({ length: rows }, (_, i) => `row-${i}`).map((id) => (
        <Skeleton key={id} h={44} mb={8} radius="sm" />
      ))}
    </div>
  );
}
