import { Tabs } from '@mantine/core';
import { IconAdjustments, IconKey, IconPackage, IconUsers } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCan } from '../../auth/auth-context.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { EntitlementsCatalogTab } from '../properties/EntitlementsCatalogTab.tsx';
import { CatalogTab } from './CatalogTab.tsx';
import { TokensTab } from './TokensTab.tsx';
import { UsersTab } from './UsersTab.tsx';

type Tab = 'users' | 'tokens' | 'catalog' | 'entitlements';

/**
 * Users & roles and API tokens (admins only); products and plans, and their entitlements (properties and plan
 * values): everyone reads, admins change.
 */
export function SettingsPage() {
  const { t } = useTranslation('settings');
  const canUsers = useCan('settings.users');
  const canTokens = useCan('settings.tokens');
  const tabs: Tab[] = [
    ...(canUsers ? (['users'] as const) : []),
    ...(canTokens ? (['tokens'] as const) : []),
    'catalog',
    'entitlements',
  ];
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab') as Tab | null;
  const tab: Tab = requested && tabs.includes(requested) ? requested : (tabs[0] ?? 'catalog');

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} />
      <Tabs
        value={tab}
        onChange={(value) => value && setParams({ tab: value }, { replace: true })}
        keepMounted={false}
        variant="outline"
      >
        <Tabs.List mb="lg">
          {canUsers && (
            <Tabs.Tab value="users" leftSection={<IconUsers size={16} />}>
              {t('tabs.users')}
            </Tabs.Tab>
          )}
          {canTokens && (
            <Tabs.Tab value="tokens" leftSection={<IconKey size={16} />}>
              {t('tabs.tokens')}
            </Tabs.Tab>
          )}
          <Tabs.Tab value="catalog" leftSection={<IconPackage size={16} />}>
            {t('tabs.catalog')}
          </Tabs.Tab>
          <Tabs.Tab value="entitlements" leftSection={<IconAdjustments size={16} />}>
            {t('tabs.entitlements')}
          </Tabs.Tab>
        </Tabs.List>
        {canUsers && (
          <Tabs.Panel value="users">
            <UsersTab />
          </Tabs.Panel>
        )}
        {canTokens && (
          <Tabs.Panel value="tokens">
            <TokensTab />
          </Tabs.Panel>
        )}
        <Tabs.Panel value="catalog">
          <CatalogTab />
        </Tabs.Panel>
        <Tabs.Panel value="entitlements">
          <EntitlementsCatalogTab />
        </Tabs.Panel>
      </Tabs>
    </>
  );
}
