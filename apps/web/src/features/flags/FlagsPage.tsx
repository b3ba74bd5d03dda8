import { Button, Tabs } from '@mantine/core';
import { IconFlag, IconPlugConnected, IconPlus, IconUsersGroup } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCan } from '../../auth/auth-context.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { FlagsTab } from './FlagsTab.tsx';
import { ConnectedClientsPanel } from './metrics/ConnectedClientsPanel.tsx';
import { NewFlagModal } from './NewFlagModal.tsx';
import { ProductSelect } from './ProductSelect.tsx';
import { SegmentsTab } from './SegmentsTab.tsx';
import { type FlagsTab as FlagsTabName, useFlagFilters } from './use-flag-filters.ts';

/**
 * Feature flags of every product (Flags | Segments | Connected SDKs): everyone reads; admins define, flip and delete.
 */
export function FlagsPage() {
  const { t } = useTranslation('flags');
  const canDefine = useCan('flags.define');
  const filters = useFlagFilters();
  const [creating, setCreating] = useState<'flag' | 'segment' | null>(null);
  const onNew =
    canDefine && filters.tab !== 'sdks' ? () => setCreating(filters.tab === 'flags' ? 'flag' : 'segment') : null;

  return (
    <>
      <PageHeader
        title={t('title')}
        subtitle={t('subtitle')}
        actions={
          onNew && (
            <Button leftSection={<IconPlus size={16} />} onClick={onNew} data-testid="new-button">
              {filters.tab === 'flags' ? t('new.button') : t('segments.new')}
            </Button>
          )
        }
      />
      <Tabs
        value={filters.tab}
        onChange={(value) => value && filters.setTab(value as FlagsTabName)}
        keepMounted={false}
        variant="outline"
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="flags" leftSection={<IconFlag size={16} />}>
            {t('tabs.flags')}
          </Tabs.Tab>
          <Tabs.Tab value="segments" leftSection={<IconUsersGroup size={16} />}>
            {t('tabs.segments')}
          </Tabs.Tab>
          <Tabs.Tab value="sdks" leftSection={<IconPlugConnected size={16} />}>
            {t('tabs.sdks')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="flags">
          <FlagsTab filters={filters} onNew={onNew} />
        </Tabs.Panel>
        <Tabs.Panel value="segments">
          <SegmentsTab
            filters={filters}
            creating={creating === 'segment'}
            onNew={onNew}
            onCloseNew={() => setCreating(null)}
          />
        </Tabs.Panel>
        <Tabs.Panel value="sdks">
          <ProductSelect
            w={260}
            mb="md"
            clearable
            placeholder={t('filters.allProducts')}
            aria-label={t('filters.product')}
            value={filters.productId || null}
            onChange={(id) => filters.setProduct(id)}
            data-testid="product-filter"
          />
          <ConnectedClientsPanel productId={filters.productId || null} />
        </Tabs.Panel>
      </Tabs>
      {canDefine && (
        <NewFlagModal
          opened={creating === 'flag'}
          productId={filters.productId || null}
          onClose={() => setCreating(null)}
        />
      )}
    </>
  );
}
