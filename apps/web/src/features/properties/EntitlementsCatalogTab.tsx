import { Button, Group, Paper, Select, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAdjustments, IconPackage, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQueryParams } from '../../app/use-query-params.ts';
import { useCan } from '../../auth/auth-context.ts';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useProductProperties } from '../entitlements/entitlements-api.ts';
import type { PropertyDef } from '../entitlements/entitlements-types.ts';
import { RowsSkeleton } from '../entitlements/PropertiesTable.tsx';
import { type Product, usePlans, useProducts } from '../settings/settings-api.ts';
import { DeletePropertyModal } from './DeletePropertyModal.tsx';
import { PlanValuesMatrix } from './PlanValuesMatrix.tsx';
import { PropertiesCatalogTable } from './PropertiesCatalogTable.tsx';
import { PropertyFormModal } from './PropertyFormModal.tsx';

/** The product chosen in the URL (`&product=<code>`), else the first one. */
function useChosenProduct(products: Product[] | undefined) {
  const { params, update } = useQueryParams();
  const code = params.get('product');
  const product = products?.find((p) => p.code === code) ?? products?.[0] ?? null;
  const choose = (next: string | null) => update({ product: next });
  return { product, choose };
}

/**
 * Settings → Entitlements: a product's properties (what its licenses can be granted) and the values its plans set.
 * Everyone reads; admins define properties and set plan values (the API enforces the same: permissions.ts).
 */
export function EntitlementsCatalogTab() {
  const { t } = useTranslation('properties');
  const canEdit = useCan('settings.catalog');
  const products = useProducts();
  const plans = usePlans();
  const { product, choose } = useChosenProduct(products.data);
  const properties = useProductProperties(product?.id ?? null);
  const [editing, setEditing] = useState<PropertyDef | 'new' | null>(null);
  const [deleting, setDeleting] = useState<PropertyDef | null>(null);

  if (products.isError) return <QueryError error={products.error} onRetry={() => void products.refetch()} />;
  if (products.isPending) return <Skeleton h={36} w={320} />;
  if (!product) {
    return (
      <Paper withBorder radius="md">
        <EmptyHint
          icon={<IconPackage size={22} />}
          title={t('noProducts.title')}
          description={t('noProducts.description')}
        />
      </Paper>
    );
  }

  const defs = properties.data?.data ?? [];
  const productPlans = (plans.data ?? []).filter((p) => p.productId === product.id);
  const newButton = canEdit && (
    <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')} data-testid="property-new">
      {t('newProperty')}
    </Button>
  );

  return (
    <Stack gap="xl">
      <Group justify="space-between" align="flex-end" gap="sm">
        <Select
          label={t('product')}
          w={320}
          data={(products.data ?? []).map((p) => ({ value: p.code, label: `${p.code} · ${p.name}` }))}
          value={product.code}
          onChange={choose}
          allowDeselect={false}
          searchable
          comboboxProps={{ withinPortal: true }}
          data-testid="entitlements-product"
        />
        <Text size="sm" c="dimmed" maw={560}>
          {t('intro')}
        </Text>
      </Group>
      <section aria-labelledby="properties-title">
        <Group justify="space-between" mb="sm">
          <Title order={3} fz="lg" id="properties-title">
            {t('properties.title')}
          </Title>
          {defs.length > 0 && newButton}
        </Group>
        {properties.isError ? (
          <QueryError error={properties.error} onRetry={() => void properties.refetch()} />
        ) : (
          <Paper withBorder radius="md">
            {properties.isPending ? (
              <Stack p="md">
                <RowsSkeleton rows={4} />
              </Stack>
            ) : defs.length === 0 ? (
              <EmptyHint
                icon={<IconAdjustments size={22} />}
                title={t('empty.title', { product: product.name })}
                description={canEdit ? t('empty.description') : t('empty.descriptionReadOnly')}
                {...(newButton ? { action: newButton } : {})}
              />
            ) : (
              <PropertiesCatalogTable
                properties={defs}
                {...(canEdit ? { onEdit: (p: PropertyDef) => setEditing(p), onDelete: setDeleting } : {})}
              />
            )}
          </Paper>
        )}
      </section>
      {defs.length > 0 && (
        <section aria-labelledby="plan-values-title">
          <Title order={3} fz="lg" id="plan-values-title" mb={4}>
            {t('planValues.title')}
          </Title>
          <Text size="sm" c="dimmed" mb="sm">
            {t('planValues.intro')}
          </Text>
          {plans.isError ? (
            <QueryError error={plans.error} onRetry={() => void plans.refetch()} />
          ) : (
            <PlanValuesMatrix properties={defs} plans={productPlans} loading={plans.isPending} canEdit={canEdit} />
          )}
        </section>
      )}
      {canEdit && (
        <>
          <PropertyFormModal
            opened={editing !== null}
            property={editing === 'new' ? null : editing}
            product={product}
            onClose={() => setEditing(null)}
          />
          <DeletePropertyModal key={deleting?.id ?? 'none'} property={deleting} onClose={() => setDeleting(null)} />
        </>
      )}
    </Stack>
  );
}
