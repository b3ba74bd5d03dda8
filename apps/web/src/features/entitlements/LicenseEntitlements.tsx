import { Skeleton, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth-context.ts';
import type { LicenseDetail } from '../licenses/licenses-api.ts';
import { useLicenseEntitlements, useLicenseFlags, useOverrides, useProductProperties } from './entitlements-api.ts';
import type { Override, Target } from './entitlements-types.ts';
import type { PropertyRow } from './PropertiesTable.tsx';
import { FlagsSection, PropertiesSection } from './Sections.tsx';
import { TrialCard } from './TrialCard.tsx';

const firstError = (...queries: { isError: boolean; error: unknown }[]) => queries.find((q) => q.isError)?.error;

/**
 * The license's "Flags & entitlements": its term, every property with its value and source (and usage), every flag
 * on or off and why; the account team sets overrides and per-customer toggles here.
 */
export function LicenseEntitlements({ license }: { license: LicenseDetail }) {
  const { t } = useTranslation('entitlements');
  const canOverride = useCan('entitlements.override');
  const canToggle = useCan('flags.toggle');
  const productId = license.product.id;
  const licenseTarget: Target = { kind: 'license', id: license.id };
  const state = useLicenseEntitlements(license.id);
  const defs = useProductProperties(productId);
  const licenseOverrides = useOverrides(licenseTarget, productId);
  const accountOverrides = useOverrides({ kind: 'account', id: license.account.id }, productId);
  const flags = useLicenseFlags(license.id);

  const byKey = new Map((defs.data?.data ?? []).map((d) => [d.key, d]));
  const rows: PropertyRow[] = (state.data?.properties ?? []).map((p) => ({
    key: p.key,
    name: p.name,
    type: p.type,
    unit: p.unit,
    def: byKey.get(p.key),
    value: p.value,
    source: p.source,
    enforcement: p.enforcement,
    usage: p.usage,
  }));
  const existing = (propertyId: string, kind: Target['kind']): Override | undefined =>
    (kind === 'license' ? licenseOverrides : accountOverrides).data?.data.find((o) => o.propertyId === propertyId);
  const overridesReady = licenseOverrides.isSuccess && accountOverrides.isSuccess;
  const targets = { license: { id: license.id }, account: { id: license.account.id, name: license.account.name } };

  const propertyQueries = [state, defs, licenseOverrides, accountOverrides];
  return (
    <Stack gap="lg" data-testid="license-entitlements">
      {/* A failed load shows once, in the properties card. */}
      {state.isPending ? <Skeleton h={118} radius="lg" /> : state.isSuccess && <TrialCard trial={state.data.trial} />}
      <PropertiesSection
        description={t('properties.licenseDescription')}
        pending={state.isPending || defs.isPending}
        error={firstError(...propertyQueries)}
        onRetry={() => {
          for (const q of propertyQueries) if (q.isError) void q.refetch();
        }}
        rows={rows}
        canEdit={canOverride && overridesReady}
        targets={targets}
        existing={existing}
        explainTarget={licenseTarget}
      />
      <FlagsSection
        description={t('flags.licenseDescription')}
        pending={flags.isPending}
        error={flags.isError ? flags.error : undefined}
        onRetry={() => void flags.refetch()}
        flags={flags.data?.flags ?? []}
        scope="license"
        canToggle={canToggle}
        targets={targets}
      />
    </Stack>
  );
}
