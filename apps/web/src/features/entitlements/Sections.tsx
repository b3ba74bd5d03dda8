import { Card, Stack, Text, Title } from '@mantine/core';
import { IconAdjustmentsOff, IconFlagOff } from '@tabler/icons-react';
import { type ReactNode, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import type { CustomerFlag, Override, PropertyDef, Target, ToggleScope } from './entitlements-types.ts';
import { FlagExplainDrawer } from './FlagExplainDrawer.tsx';
import { FlagsTable } from './FlagsTable.tsx';
import { OverrideModal, type OverrideRequest, type OverrideTargets } from './OverrideModal.tsx';
import { PropertiesTable, type PropertyRow, RowsSkeleton } from './PropertiesTable.tsx';
import { PropertyExplainDrawer } from './PropertyExplainDrawer.tsx';
import { ToggleModal, type ToggleRequest } from './ToggleModal.tsx';

export function SectionCard({
  title,
  description,
  testId,
  children,
}: {
  title: string;
  description: string;
  testId: string;
  children: ReactNode;
}) {
  return (
    <Card withBorder radius="lg" padding="lg" data-testid={testId}>
      <Stack gap={2} mb="md">
        <Title order={3} fz="lg">
          {title}
        </Title>
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      </Stack>
      {children}
    </Card>
  );
}

interface Loadable {
  pending: boolean;
  error: unknown;
  onRetry(): void;
}

/** Loading, failed, or the content. */
function Body({ pending, error, onRetry, children }: Loadable & { children: ReactNode }) {
  if (error) return <QueryError error={error} onRetry={onRetry} />;
  if (pending) return <RowsSkeleton />;
  return children;
}

/** The properties card: table, override form and explain drawer. */
export function PropertiesSection({
  description,
  rows,
  canEdit,
  fallback,
  targets,
  existing,
  explainTarget,
  ...load
}: Loadable & {
  description: string;
  rows: PropertyRow[];
  canEdit: boolean;
  fallback?: (row: PropertyRow) => string;
  targets: OverrideTargets;
  existing: (propertyId: string, target: Target['kind']) => Override | undefined;
  /** Explain for this license, or this account. */
  explainTarget: Target;
}) {
  const { t } = useTranslation('entitlements');
  const [request, setRequest] = useState<OverrideRequest | null>(null);
  const [explain, setExplain] = useState<PropertyDef | null>(null);
  const defaultTarget = targets.license ? 'license' : 'account';
  return (
    <SectionCard title={t('properties.title')} description={description} testId="properties-card">
      <Body {...load}>
        {rows.length === 0 ? (
          <EmptyHint
            icon={<IconAdjustmentsOff size={26} />}
            title={t('properties.emptyTitle')}
            description={t('properties.emptyDescription')}
          />
        ) : (
          <PropertiesTable
            rows={rows}
            canEdit={canEdit}
            {...(fallback ? { fallback } : {})}
            onChange={(row, initialValue) =>
              row.def &&
              setRequest({
                def: row.def,
                current: { value: row.value, source: row.source },
                initialTarget: defaultTarget,
                ...(initialValue !== undefined ? { initialValue } : {}),
              })
            }
            onExplain={(row) => row.def && setExplain(row.def)}
          />
        )}
      </Body>
      <OverrideModal request={request} targets={targets} existing={existing} onClose={() => setRequest(null)} />
      <PropertyExplainDrawer def={explain} target={explainTarget} onClose={() => setExplain(null)} />
    </SectionCard>
  );
}

/** The flags card: table, toggle form and explain drawer. */
export function FlagsSection({
  description,
  flags,
  scope,
  canToggle,
  targets,
  ...load
}: Loadable & {
  description: string;
  flags: CustomerFlag[];
  scope: ToggleScope;
  canToggle: boolean;
  targets: { license?: { id: string }; account: { id: string; name: string } };
}) {
  const { t } = useTranslation('entitlements');
  const [request, setRequest] = useState<ToggleRequest | null>(null);
  const [explain, setExplain] = useState<CustomerFlag | null>(null);
  const target: Target =
    scope === 'license' && targets.license
      ? { kind: 'license', id: targets.license.id }
      : { kind: 'account', id: targets.account.id };
  return (
    <SectionCard title={t('flags.title')} description={description} testId="flags-card">
      <Body {...load}>
        {flags.length === 0 ? (
          <EmptyHint
            icon={<IconFlagOff size={26} />}
            title={t('flags.emptyTitle')}
            description={t('flags.emptyDescription')}
          />
        ) : (
          <FlagsTable
            flags={flags}
            scope={scope}
            targetId={target.id}
            canToggle={canToggle}
            onToggle={(flag, enabled) => setRequest({ flag, enabled, scope })}
            onExplain={setExplain}
          />
        )}
      </Body>
      <ToggleModal request={request} targets={targets} onClose={() => setRequest(null)} />
      <FlagExplainDrawer flag={explain} target={target} onClose={() => setExplain(null)} />
    </SectionCard>
  );
}
