import { Button, Card, Center, Group, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconBuildingStore, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { links } from '../../app/links.ts';
import { useCan } from '../../auth/auth-context.ts';
import { ListBody } from '../../components/ListBody.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { AccountFiltersBar } from './AccountFiltersBar.tsx';
import { AccountsTable, TableSkeleton } from './AccountsTable.tsx';
import { useAccountsList } from './accounts-api.ts';
import { CreateAccountModal } from './CreateAccountModal.tsx';
import { useAccountFilters } from './use-account-filters.ts';

export function AccountsPage() {
  const { t } = useTranslation('accounts');
  const canCreate = useCan('account.create');
  const navigate = useNavigate();
  const [creating, create] = useDisclosure(false);
  const filters = useAccountFilters();
  const list = useAccountsList(filters.filters);
  const accounts = list.data?.pages.flatMap((p) => p.data) ?? [];

  const newButton = canCreate && (
    <Button leftSection={<IconPlus size={16} />} onClick={create.open}>
      {t('create.button')}
    </Button>
  );

  return (
    <>
      <PageHeader title={t('title')} subtitle={t('subtitle')} actions={newButton} />
      <AccountFiltersBar filters={filters} />
      <Card withBorder radius="lg" padding={0}>
        <ListBody
          pending={list.isPending}
          error={list.error}
          showError={list.isError && accounts.length === 0}
          onRetry={() => void list.refetch()}
          empty={accounts.length === 0}
          filtered={filters}
          skeleton={<TableSkeleton />}
          t={t}
          emptyIcon={<IconBuildingStore size={26} />}
          emptyAction={newButton || undefined}
        >
          <AccountsTable accounts={accounts} />
        </ListBody>
      </Card>
      {accounts.length > 0 && (
        <Group justify="space-between" mt="md">
          <Text size="sm" c="dimmed">
            {list.hasNextPage ? t('shownMore', { count: accounts.length }) : t('shownAll', { count: accounts.length })}
          </Text>
          {list.hasNextPage && (
            <Button variant="default" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()}>
              {t('loadMore')}
            </Button>
          )}
        </Group>
      )}
      {list.isFetchNextPageError && (
        <Center mt="sm">
          <QueryError error={list.error} onRetry={() => void list.fetchNextPage()} />
        </Center>
      )}
      <CreateAccountModal
        opened={creating}
        onClose={create.close}
        onCreated={(account) => navigate(links.account(account.id))}
      />
    </>
  );
}
