import { Anchor, Badge, Box, Group, Paper, Skeleton, Stack, Table, Text, UnstyledButton } from '@mantine/core';
import { IconListDetails } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import type { PropertyDef } from '../entitlements/entitlements-types.ts';
import { useValueText, ValueDisplay } from '../entitlements/ValueDisplay.tsx';
import type { Plan } from '../settings/settings-api.ts';
import { PlanValueModal, type PlanValueRequest } from './PlanValueModal.tsx';
import { type CellView, cellOf, orderPlans } from './plan-matrix.ts';
import classes from './properties.module.css';
import { type PlanProperties, usePlanValues } from './properties-api.ts';

function EnforcementBadge({ enforcement }: { enforcement: string | null }) {
  const { t } = useTranslation('properties');
  if (!enforcement) return null;
  return (
    <Badge
      size="xs"
      variant="outline"
      color={enforcement === 'soft' ? 'orange' : 'dark'}
      data-testid="cell-enforcement"
      style={{ flexShrink: 0 }}
    >
      {t(`enforcement.${enforcement}`)}
    </Badge>
  );
}

/** One cell: the plan's own value (strong), an enforcement over an inherited value, the base plan's, or the default. */
function Cell({ def, view }: { def: PropertyDef; view: CellView }) {
  const { t } = useTranslation('properties');
  const valueText = useValueText();
  const text = (v: unknown) => valueText(def.type, v, def.unit);
  switch (view.kind) {
    case 'own':
      return (
        <Group gap={6} wrap="nowrap">
          <ValueDisplay type={def.type} value={view.value} unit={def.unit} label={def.name} />
          <EnforcementBadge enforcement={view.enforcement} />
        </Group>
      );
    case 'enforcementOnly':
      return (
        <Stack gap={2}>
          <Text size="sm">
            {view.from
              ? t('cell.inherits', { value: text(view.value), plan: view.from })
              : t('cell.inheritsDefault', { value: text(view.value) })}
          </Text>
          <Group gap={4}>
            <EnforcementBadge enforcement={view.enforcement} />
          </Group>
        </Stack>
      );
    case 'base':
      return (
        <Text size="sm" c="dimmed">
          {t('cell.fromBase', { value: text(view.value), plan: view.from })}
        </Text>
      );
    case 'default':
      return (
        <Text size="sm" c="dimmed">
          {t('cell.default', { value: text(view.value) })}
        </Text>
      );
  }
}

function PlanHeader({ plan, values }: { plan: Plan; values: PlanProperties | undefined }) {
  const { t } = useTranslation('properties');
  const { t: tSettings } = useTranslation('settings');
  const base = values?.plan.basePlan;
  return (
    <Table.Th miw={170} data-testid="plan-column" data-plan={plan.name}>
      <Text size="sm" fw={600}>
        {plan.name}
      </Text>
      <Text size="xs" c="dimmed" fw={400}>
        {base ? t('planValues.basedOn', { name: base.name }) : tSettings(`catalog.types.${plan.licenseType}`)}
      </Text>
    </Table.Th>
  );
}

/**
 * Properties as rows, the product's plans as columns (a plan right after the plan it is based on). Admins click a
 * cell (or focus it and press Enter) to set, change or remove the plan's value.
 */
export function PlanValuesMatrix({
  properties,
  plans,
  loading,
  canEdit,
}: {
  properties: PropertyDef[];
  plans: Plan[];
  loading: boolean;
  canEdit: boolean;
}) {
  const { t } = useTranslation('properties');
  const ordered = orderPlans(plans);
  const queries = usePlanValues(ordered.map((p) => p.id));
  const [request, setRequest] = useState<PlanValueRequest | null>(null);
  const failed = queries.filter((q) => q.isError);

  if (loading) return <Skeleton h={160} radius="md" />;
  if (ordered.length === 0) {
    return (
      <Paper withBorder radius="md">
        <EmptyHint
          icon={<IconListDetails size={22} />}
          title={t('planValues.noPlans')}
          description={t('planValues.noPlansText')}
          action={
            <Anchor component={Link} to="/settings?tab=catalog" size="sm">
              {t('planValues.toCatalog')}
            </Anchor>
          }
        />
      </Paper>
    );
  }

  const cell = (plan: Plan, values: PlanProperties | undefined, def: PropertyDef): ReactNode => {
    const row = values?.data.find((r) => r.property.id === def.id);
    if (!values || !row) return <Skeleton h={20} w={90} />;
    const view = cellOf(row, values.plan.basePlan);
    const attrs = { 'data-testid': 'plan-cell', 'data-plan': plan.name, 'data-key': def.key, 'data-kind': view.kind };
    if (!canEdit) {
      return (
        <Box {...attrs}>
          <Cell def={def} view={view} />
        </Box>
      );
    }
    return (
      <UnstyledButton
        {...attrs}
        className={classes.cell}
        aria-label={t('planValues.editCell', { property: def.name, plan: plan.name })}
        onClick={() => setRequest({ plan: values.plan, def, row })}
      >
        <Cell def={def} view={view} />
      </UnstyledButton>
    );
  };

  return (
    <Stack gap="sm">
      {failed[0] && <QueryError error={failed[0].error} onRetry={() => failed.forEach((q) => void q.refetch())} />}
      <Paper withBorder radius="md">
        <Table.ScrollContainer minWidth={220 + ordered.length * 180}>
          <Table verticalSpacing="xs" withColumnBorders aria-label={t('planValues.title')} data-testid="plan-matrix">
            <Table.Thead>
              <Table.Tr>
                <Table.Th miw={180}>{t('columns.property')}</Table.Th>
                {ordered.map((plan, i) => (
                  <PlanHeader key={plan.id} plan={plan} values={queries[i]?.data} />
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {properties.map((def) => (
                <Table.Tr key={def.id} data-testid="matrix-row" data-key={def.key}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {def.name}
                    </Text>
                    <Text size="xs" c="dimmed" ff="monospace">
                      {def.key}
                    </Text>
                  </Table.Td>
                  {ordered.map((plan, i) => (
                    <Table.Td key={plan.id}>{cell(plan, queries[i]?.data, def)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Paper>
      <PlanValueModal request={request} onClose={() => setRequest(null)} />
    </Stack>
  );
}
