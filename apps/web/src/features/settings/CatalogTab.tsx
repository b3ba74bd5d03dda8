import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
  Tooltip,
} from '@mantine/core';
import { IconPencil, IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth-context.ts';
import { EmptyHint } from '../../components/EmptyHint.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { PlanFormModal } from './PlanFormModal.tsx';
import { ProductFormModal } from './ProductFormModal.tsx';
import { type Plan, type Product, usePlans, useProducts } from './settings-api.ts';

function Loading({ cols }: { cols: number }) {
  return (
    <Table.Tr>
      <Table.Td colSpan={cols}>
        <Skeleton h={48} />
      </Table.Td>
    </Table.Tr>
  );
}

function EditButton({ label, onClick }: { label: string; onClick: () => void }) {
  return (
    <Tooltip label={label}>
      <ActionIcon variant="subtle" color="gray" aria-label={label} onClick={onClick}>
        <IconPencil size={16} />
      </ActionIcon>
    </Tooltip>
  );
}

function ProductsTable({
  products,
  plans,
  onEdit,
}: {
  products: Product[] | undefined;
  plans: Plan[];
  onEdit?: (p: Product) => void;
}) {
  const { t } = useTranslation('settings');
  const cols = onEdit ? 4 : 3;
  return (
    <Table verticalSpacing="sm" aria-label={t('catalog.products')}>
      <Table.Thead>
        <Table.Tr>
          <Table.Th w={110}>{t('catalog.code')}</Table.Th>
          <Table.Th>{t('catalog.productName')}</Table.Th>
          <Table.Th w={90}>{t('catalog.plans')}</Table.Th>
          {onEdit && <Table.Th w={48} />}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {!products ? (
          <Loading cols={cols} />
        ) : (
          products.map((p) => (
            <Table.Tr key={p.id} data-testid="product-row" data-code={p.code}>
              <Table.Td>
                <Badge variant="light" radius="sm" ff="monospace">
                  {p.code}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {p.name}
                </Text>
                {p.description && (
                  <Text size="xs" c="dimmed" lineClamp={1}>
                    {p.description}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>{plans.filter((x) => x.productId === p.id).length}</Table.Td>
              {onEdit && (
                <Table.Td>
                  <EditButton label={t('catalog.editProduct', { name: p.name })} onClick={() => onEdit(p)} />
                </Table.Td>
              )}
            </Table.Tr>
          ))
        )}
      </Table.Tbody>
    </Table>
  );
}

function PlansTable({ plans, loading, onEdit }: { plans: Plan[]; loading: boolean; onEdit?: (p: Plan) => void }) {
  const { t } = useTranslation('settings');
  const days = (n: number | null, none: string) => (n === null ? none : t('catalog.days', { count: n }));
  const cols = onEdit ? 9 : 8;
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table verticalSpacing="sm" aria-label={t('catalog.plansTitle')}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('catalog.planName')}</Table.Th>
            <Table.Th>{t('catalog.licenseType')}</Table.Th>
            <Table.Th>{t('catalog.columns.duration')}</Table.Th>
            <Table.Th>{t('catalog.columns.grace')}</Table.Th>
            <Table.Th>{t('catalog.columns.maintenance')}</Table.Th>
            <Table.Th>{t('catalog.maxMachines')}</Table.Th>
            <Table.Th>{t('catalog.expirationStrategy')}</Table.Th>
            <Table.Th>{t('catalog.keyScheme')}</Table.Th>
            {onEdit && <Table.Th w={48} />}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {loading ? (
            <Loading cols={cols} />
          ) : (
            plans.map((p) => (
              <Table.Tr key={p.id} data-testid="plan-row" data-name={p.name} style={{ whiteSpace: 'nowrap' }}>
                <Table.Td style={{ whiteSpace: 'normal' }}>
                  <Text size="sm" fw={500}>
                    {p.name}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {p.product.code}
                    {p.entitlements.length > 0 &&
                      ` · ${t('catalog.entitlementCount', { count: p.entitlements.length })}`}
                  </Text>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" fw={500}>
                    {t(`catalog.types.${p.licenseType}`)}
                  </Text>
                </Table.Td>
                <Table.Td>{days(p.durationDays, t('catalog.never'))}</Table.Td>
                <Table.Td>{days(p.graceDays || null, '—')}</Table.Td>
                <Table.Td>{days(p.maintenanceDays, '—')}</Table.Td>
                <Table.Td>
                  {p.maxMachines ?? t('catalog.unlimited')}
                  {!p.floating && ` · ${t('catalog.nodeLocked')}`}
                </Table.Td>
                <Table.Td>{t(`catalog.strategies.${p.expirationStrategy}`)}</Table.Td>
                <Table.Td>{t(`catalog.schemesShort.${p.keyScheme}`)}</Table.Td>
                {onEdit && (
                  <Table.Td>
                    <EditButton
                      label={t('catalog.editPlanOf', { name: p.name, product: p.product.code })}
                      onClick={() => onEdit(p)}
                    />
                  </Table.Td>
                )}
              </Table.Tr>
            ))
          )}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Products and their plans: everyone reads them; admins create and edit. */
export function CatalogTab() {
  const { t } = useTranslation('settings');
  const canEdit = useCan('settings.catalog');
  const products = useProducts();
  const plans = usePlans();
  const [productFilter, setProductFilter] = useState<string | null>(null);
  const [editingProduct, setEditingProduct] = useState<Product | null | 'new'>(null);
  const [editingPlan, setEditingPlan] = useState<Plan | null | 'new'>(null);
  const shownPlans = (plans.data ?? []).filter((p) => !productFilter || p.productId === productFilter);
  const productOptions = (products.data ?? []).map((p) => ({ value: p.id, label: `${p.code} · ${p.name}` }));

  if (products.isError) return <QueryError error={products.error} onRetry={() => void products.refetch()} />;
  return (
    <Stack gap="xl">
      <section>
        <Group justify="space-between" mb="sm">
          <Title order={3} fz="lg">
            {t('catalog.products')}
          </Title>
          {canEdit && (
            <Button leftSection={<IconPlus size={16} />} onClick={() => setEditingProduct('new')}>
              {t('catalog.newProduct')}
            </Button>
          )}
        </Group>
        <Paper withBorder radius="md">
          {products.data?.length === 0 ? (
            <EmptyHint icon={<IconPlus size={22} />} title={t('catalog.noProducts')} />
          ) : (
            <ProductsTable
              products={products.data}
              plans={plans.data ?? []}
              {...(canEdit ? { onEdit: setEditingProduct } : {})}
            />
          )}
        </Paper>
      </section>
      <section>
        <Group justify="space-between" mb="sm">
          <Group gap="sm">
            <Title order={3} fz="lg">
              {t('catalog.plansTitle')}
            </Title>
            <Select
              size="xs"
              w={220}
              clearable
              placeholder={t('catalog.allProducts')}
              aria-label={t('catalog.filterProduct')}
              data={productOptions}
              value={productFilter}
              onChange={setProductFilter}
            />
          </Group>
          {canEdit && (
            <Button
              leftSection={<IconPlus size={16} />}
              onClick={() => setEditingPlan('new')}
              disabled={(products.data ?? []).length === 0}
            >
              {t('catalog.newPlan')}
            </Button>
          )}
        </Group>
        {plans.isError ? (
          <QueryError error={plans.error} onRetry={() => void plans.refetch()} />
        ) : (
          <Paper withBorder radius="md">
            {plans.data && shownPlans.length === 0 ? (
              <EmptyHint icon={<IconPlus size={22} />} title={t('catalog.noPlans')} />
            ) : (
              <PlansTable
                plans={shownPlans}
                loading={plans.isPending}
                {...(canEdit ? { onEdit: setEditingPlan } : {})}
              />
            )}
          </Paper>
        )}
      </section>
      {canEdit && (
        <>
          <ProductFormModal
            opened={editingProduct !== null}
            product={editingProduct === 'new' ? null : editingProduct}
            onClose={() => setEditingProduct(null)}
          />
          <PlanFormModal
            opened={editingPlan !== null}
            plan={editingPlan === 'new' ? null : editingPlan}
            products={products.data ?? []}
            defaultProductId={productFilter}
            onClose={() => setEditingPlan(null)}
          />
        </>
      )}
    </Stack>
  );
}
