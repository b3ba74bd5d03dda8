import { Anchor, Badge, Breadcrumbs, Card, Group, Skeleton, Tabs, Text } from '@mantine/core';
import {
  IconAddressBook,
  IconAdjustments,
  IconDeviceDesktop,
  IconHistory,
  IconKey,
  IconNotes,
} from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDate } from '../../i18n/format.ts';
import { AccountEntitlements } from '../entitlements/AccountEntitlements.tsx';
import { NewLicenseButton } from '../licenses/NewLicenseButton.tsx';
import { useAccount } from './accounts-api.ts';
import { AuditTab } from './tabs/AuditTab.tsx';
import { ContactsTab } from './tabs/ContactsTab.tsx';
import { LicensesTab } from './tabs/LicensesTab.tsx';
import { MachinesTab } from './tabs/MachinesTab.tsx';
import { NotesTab } from './tabs/NotesTab.tsx';

const TABS = ['licenses', 'entitlements', 'machines', 'contacts', 'notes', 'history'] as const;
type Tab = (typeof TABS)[number];

export function AccountDetailPage() {
  const { t } = useTranslation('accounts');
  const { id = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const account = useAccount(id);
  const tabParam = params.get('tab') as Tab | null;
  const tab: Tab = tabParam && TABS.includes(tabParam) ? tabParam : 'licenses';

  const crumbs = (
    <Breadcrumbs mb="xs" fz="sm">
      <Anchor component={Link} to="/accounts">
        {t('title')}
      </Anchor>
      <Text size="sm">{account.data?.name ?? '…'}</Text>
    </Breadcrumbs>
  );

  if (account.isError) {
    return (
      <>
        {crumbs}
        <QueryError error={account.error} onRetry={() => void account.refetch()} />
      </>
    );
  }
  if (!account.data) {
    return (
      <>
        {crumbs}
        <Skeleton h={34} w={280} mb="sm" />
        <Skeleton h={16} w={360} mb="xl" />
        <Skeleton h={240} />
      </>
    );
  }
  const a = account.data;
  const subtitle = (
    <Group gap="xs" mt={4}>
      {a.crmId && (
        <Badge variant="default" tt="none" fw={500}>
          {t('crmId')}: {a.crmId}
        </Badge>
      )}
      {a.emailDomains.map((d) => (
        <Badge key={d} variant="light" color="gray" tt="none" fw={500}>
          {d}
        </Badge>
      ))}
      <Text size="sm" c="dimmed">
        {t('createdOn', { date: formatDate(a.createdAt) })}
      </Text>
    </Group>
  );

  return (
    <>
      {crumbs}
      <PageHeader title={a.name} subtitle={subtitle} actions={<NewLicenseButton accountId={a.id} />} />
      <Tabs
        value={tab}
        onChange={(value) => setParams(value && value !== 'licenses' ? { tab: value } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="md">
          <Tabs.Tab value="licenses" leftSection={<IconKey size={16} />}>
            {t('tabs.licenses')}{' '}
            <Badge size="xs" variant="light" ml={4}>
              {a.licenseCount}
            </Badge>
          </Tabs.Tab>
          <Tabs.Tab value="entitlements" leftSection={<IconAdjustments size={16} />} data-testid="tab-entitlements">
            {t('tabs.entitlements')}
          </Tabs.Tab>
          <Tabs.Tab value="machines" leftSection={<IconDeviceDesktop size={16} />}>
            {t('tabs.machines')}
          </Tabs.Tab>
          <Tabs.Tab value="contacts" leftSection={<IconAddressBook size={16} />}>
            {t('tabs.contacts')}{' '}
            <Badge size="xs" variant="light" color="gray" ml={4}>
              {a.contacts.length}
            </Badge>
          </Tabs.Tab>
          <Tabs.Tab value="notes" leftSection={<IconNotes size={16} />}>
            {t('tabs.notes')}
          </Tabs.Tab>
          <Tabs.Tab value="history" leftSection={<IconHistory size={16} />}>
            {t('tabs.history')}
          </Tabs.Tab>
        </Tabs.List>
        {/* Flags & entitlements brings its own cards. */}
        {tab === 'entitlements' ? (
          <Tabs.Panel value="entitlements">
            <AccountEntitlements account={a} />
          </Tabs.Panel>
        ) : (
          <Card withBorder radius="lg" padding="md">
            <Tabs.Panel value="licenses">
              <LicensesTab accountId={a.id} />
            </Tabs.Panel>
            <Tabs.Panel value="machines">
              <MachinesTab accountId={a.id} />
            </Tabs.Panel>
            <Tabs.Panel value="contacts">
              <ContactsTab account={a} />
            </Tabs.Panel>
            <Tabs.Panel value="notes">
              <NotesTab account={a} />
            </Tabs.Panel>
            <Tabs.Panel value="history">
              <AuditTab accountId={a.id} />
            </Tabs.Panel>
          </Card>
        )}
      </Tabs>
    </>
  );
}
