import { Group, SegmentedControl, Select, Skeleton, Stack, Text } from '@mantine/core';
import { IconKeyOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Account } from '../../api/types.ts';
import { useCan } from '../../auth/auth-context.ts';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useAccountLicenses } from '../accounts/accounts-api.ts';
import { useAccountFlags, useOverrides, useProductProperties } from './entitlements-api.ts';
import type { Override, Target, ValueSource } from './entitlements-types.ts';
import type { PropertyRow } from './PropertiesTable.tsx';
import { FlagsSection, PropertiesSection } from './Sections.tsx';
import { useValueText } from './ValueDisplay.tsx';

const accountSource = (o: Override): ValueSource => ({
  kind: 'account_override',
  id: o.id,
  planName: null,
  reason: o.reason,
  authorName: o.author.name,
  expiresAt: o.expiresAt,
});

/** The products of the account's licenses, in first-seen order. */
function useAccountProducts(accountId: string) {
  const licenses = useAccountLicenses(accountId);
  const seen = new Map<string, { id: string; name: string }>();
  for (const l of licenses.data?.pages.flatMap((p) => p.data) ?? []) {
    if (!seen.has(l.product.id)) seen.set(l.product.id, { id: l.product.id, name: l.product.name });
  }
  return { licenses, products: [...seen.values()] };
}

function ProductPicker({
  products,
  value,
  onChange,
}: {
  products: { id: string; name: string }[];
  value: string;
  onChange(id: string): void;
}) {
  const { t } = useTranslation('entitlements');
  const data = products.map((p) => ({ value: p.id, label: p.name }));
  return (
    <Group gap="sm">
      <Text size="sm" fw={500} id="entitlements-product-label">
        {t('account.product')}
      </Text>
      {products.length <= 4 ? (
        <SegmentedControl
          value={value}
          onChange={onChange}
          data={data}
          aria-labelledby="entitlements-product-label"
          data-testid="product-picker"
        />
      ) : (
        <Select
          value={value}
          onChange={(v) => v && onChange(v)}
          data={data}
          allowDeselect={false}
          searchable
          aria-labelledby="entitlements-product-label"
          data-testid="product-picker"
        />
      )}
    </Group>
  );
}

/** The account's "Flags & entitlements" per product: account overrides and account-wide flag toggles. */
export function AccountEntitlements({ account }: { account: Account }) {
  const { t } = useTranslation('entitlements');
  const canOverride = useCan('entitlements.override');
  const canToggle = useCan('flags.toggle');
  const valueText = useValueText();
  const { licenses, products } = useAccountProducts(account.id);
  const [picked, setPicked] = useState<string | null>(null);
  const product = products.find((p) => p.id === picked) ?? products[0] ?? null;
  const productId = product?.id ?? null;
  const target: Target = { kind: 'account', id: account.id };
  const defs = useProductProperties(productId);
  const overrides = useOverrides(target, productId);
  const flags = useAccountFlags(account.id, productId);

  if (licenses.isPending) return <Skeleton h={240} radius="lg" />;
  if (licenses.isError) return <QueryError error={licenses.error} onRetry={() => void licenses.refetch()} />;
  if (!product) {
    return (
      <EmptyHint
        icon={<IconKeyOff size={26} />}
        title={t('account.noProductsTitle')}
        description={t('account.noProductsDescription')}
      />
    );
  }

  const byProperty = new Map((overrides.data?.data ?? []).map((o) => [o.propertyId, o]));
  const rows: PropertyRow[] = (defs.data?.data ?? []).map((def) => {
    const o = byProperty.get(def.id);
    return {
      key: def.key,
      name: def.name,
      type: def.type,
      unit: def.unit,
      def,
      value: o?.value,
      source: o ? accountSource(o) : null,
      enforcement: def.type === 'number' ? (o?.enforcement ?? def.enforcement ?? 'hard') : null,
      usage: null,
    };
  });
  const targets = { account: { id: account.id, name: account.name } };
  const propertyQueries = [defs, overrides];
  return (
    <Stack gap="lg" data-testid="account-entitlements">
      {products.length > 1 ? (
        <ProductPicker products={products} value={product.id} onChange={setPicked} />
      ) : (
        <Text size="sm" c="dimmed">
          {t('account.singleProduct', { name: product.name })}
        </Text>
      )}
      <PropertiesSection
        description={t('properties.accountDescription', { product: product.name })}
        pending={defs.isPending || overrides.isPending}
        error={propertyQueries.find((q) => q.isError)?.error}
        onRetry={() => {
          for (const q of propertyQueries) if (q.isError) void q.refetch();
        }}
        rows={rows}
        canEdit={canOverride && overrides.isSuccess}
        fallback={(row) =>
          t('properties.noAccountOverride', {
            value: row.def ? valueText(row.type, row.def.defaultValue, row.unit) : '—',
          })
        }
        targets={targets}
        existing={(propertyId) => byProperty.get(propertyId)}
        explainTarget={target}
      />
      <FlagsSection
        description={t('flags.accountDescription', { product: product.name })}
        pending={flags.isPending}
        error={flags.isError ? flags.error : undefined}
        onRetry={() => void flags.refetch()}
        flags={flags.data?.flags ?? []}
        scope="account"
        canToggle={canToggle}
        targets={targets}
      />
    </Stack>
  );
}
