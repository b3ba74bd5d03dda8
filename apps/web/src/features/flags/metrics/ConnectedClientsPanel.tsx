import { Badge, Button, Card, Center, Group, Skeleton, Stack, Table, Text, Title, Tooltip } from '@mantine/core';
import { IconPlugConnected } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { EmptyHint } from '../../../components/EmptyHint.tsx';
import { QueryError } from '../../../components/QueryError.tsx';
import { formatDateTime, fromNow } from '../../../i18n/format.ts';
import { type FlagClient, useFlagClients } from './flag-metrics-api.ts';

function ClientRow({ client, showProduct }: { client: FlagClient; showProduct: boolean }) {
  const { t } = useTranslation('flagMetrics');
  const interval = client.intervalMs ? Math.round(client.intervalMs / 1000) : null;
  return (
    <Table.Tr data-testid="flag-client-row" data-instance={client.instanceId}>
      <Table.Td>
        <Text size="sm" fw={600} style={{ overflowWrap: 'anywhere' }}>
          {client.appName}
        </Text>
      </Table.Td>
      <Table.Td maw={220}>
        <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
          {client.instanceId}
        </Text>
      </Table.Td>
      <Table.Td maw={220}>
        <Text size="sm" c={client.sdkVersion ? undefined : 'dimmed'} style={{ overflowWrap: 'anywhere' }}>
          {client.sdkVersion || t('clients.unknownSdk')}
        </Text>
      </Table.Td>
      <Table.Td>
        <Text size="sm">{client.token.name}</Text>
      </Table.Td>
      {showProduct && (
        <Table.Td>
          <Text size="sm">{client.product.name}</Text>
        </Table.Td>
      )}
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" title={formatDateTime(client.lastSeenAt)} data-testid="flag-client-last-seen">
            {fromNow(client.lastSeenAt)}
          </Text>
          {client.stale && (
            <Tooltip
              label={interval ? t('clients.staleHint', { seconds: interval }) : t('clients.staleHintDefault')}
              multiline
              w={240}
              withArrow
            >
              <Badge color="orange" variant="light" size="sm" data-testid="flag-client-stale">
                {t('clients.stale')}
              </Badge>
            </Tooltip>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}

function ClientsSkeleton() {
  return (
    <Stack gap="sm" data-testid="flag-clients-loading">
      {[0, 1, 2].map((i) => (
        <Skeleton key={i} h={18} />
      ))}
    </Stack>
  );
}

/**
 * The SDK instances that registered through the Unleash client API (POST /api/client/register) with a client
 * token of the product (or of every product when productId is null), most recently seen first.
 */
export function ConnectedClientsPanel({ productId }: { productId: string | null }) {
  const { t } = useTranslation('flagMetrics');
  const query = useFlagClients(productId);
  const clients = query.data?.pages.flatMap((p) => p.data) ?? [];
  const showProduct = productId === null;

  let body: React.ReactNode;
  if (query.isPending) body = <ClientsSkeleton />;
  else if (query.isError && !query.data) {
    body = <QueryError error={query.error} onRetry={() => void query.refetch()} />;
  } else if (clients.length === 0) {
    body = (
      <div data-testid="flag-clients-empty">
        <EmptyHint
          icon={<IconPlugConnected size={26} />}
          title={t('clients.empty.title')}
          description={t('clients.empty.description')}
        />
      </div>
    );
  } else {
    body = (
      <>
        <Table.ScrollContainer minWidth={showProduct ? 820 : 680}>
          <Table verticalSpacing="sm" data-testid="flag-clients-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('clients.columns.app')}</Table.Th>
                <Table.Th>{t('clients.columns.instance')}</Table.Th>
                <Table.Th>{t('clients.columns.sdk')}</Table.Th>
                <Table.Th>{t('clients.columns.token')}</Table.Th>
                {showProduct && <Table.Th>{t('clients.columns.product')}</Table.Th>}
                <Table.Th>{t('clients.columns.lastSeen')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {clients.map((c) => (
                <ClientRow key={`${c.token.id}/${c.appName}/${c.instanceId}`} client={c} showProduct={showProduct} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
        {query.hasNextPage && (
          <Center mt="md">
            <Button
              variant="default"
              size="xs"
              loading={query.isFetchingNextPage}
              onClick={() => void query.fetchNextPage()}
            >
              {t('clients.more')}
            </Button>
          </Center>
        )}
      </>
    );
  }

  return (
    <Card withBorder radius="lg" padding="lg" data-testid="flag-clients-panel">
      <Group justify="space-between" mb="md" gap="sm">
        <Title order={3} fz="md">
          {t('clients.title')}
        </Title>
        {clients.length > 0 && (
          <Badge variant="light" color="gray" data-testid="flag-clients-count">
            {query.hasNextPage ? `${clients.length}+` : clients.length}
          </Badge>
        )}
      </Group>
      {body}
    </Card>
  );
}
