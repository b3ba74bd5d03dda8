import { ActionIcon, Badge, Button, Group, Paper, Skeleton, Table, Text, Tooltip } from '@mantine/core';
import { IconPlus, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDate, formatDateTime } from '../../i18n/format.ts';
import { ConfirmDialog } from './ConfirmDialog.tsx';
import { CreateTokenModal } from './CreateTokenModal.tsx';
import { notifyFailed, notifySaved } from './notify.ts';
import { type ApiToken, useProducts, useRevokeToken, useTokens } from './settings-api.ts';

const ROLE_COLORS = { admin: 'red', 'read-only': 'blue', product: 'grape' } as const;

/** API tokens: list (never their secrets), create (the secret is shown once), revoke. Admins only. */
export function TokensTab() {
  const { t } = useTranslation('settings');
  const tokens = useTokens();
  const products = useProducts();
  const revoke = useRevokeToken();
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const productCode = (id: string | null) => products.data?.find((p) => p.id === id)?.code ?? id?.slice(0, 8);

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Text size="sm" c="dimmed">
          {t('tokens.intro')}
        </Text>
        <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
          {t('tokens.create')}
        </Button>
      </Group>
      {tokens.isError ? (
        <QueryError error={tokens.error} onRetry={() => void tokens.refetch()} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" aria-label={t('tokens.label')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tokens.name')}</Table.Th>
                  <Table.Th>{t('tokens.role')}</Table.Th>
                  <Table.Th>{t('tokens.prefix')}</Table.Th>
                  <Table.Th>{t('tokens.lastUsed')}</Table.Th>
                  <Table.Th>{t('tokens.expires')}</Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tokens.isPending ? (
                  <Table.Tr>
                    <Table.Td colSpan={6}>
                      <Skeleton h={60} />
                    </Table.Td>
                  </Table.Tr>
                ) : (
                  tokens.data.map((token) => (
                    <Table.Tr
                      key={token.id}
                      data-testid="token-row"
                      data-name={token.name}
                      opacity={token.revokedAt ? 0.55 : 1}
                    >
                      <Table.Td>
                        <Text size="sm" fw={500} td={token.revokedAt ? 'line-through' : undefined}>
                          {token.name}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {t('tokens.createdAt', { date: formatDate(token.createdAt) })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Badge variant="light" color={ROLE_COLORS[token.role]}>
                          {t(`tokens.roles.${token.role}`)}
                          {token.role === 'product' && ` · ${productCode(token.productId)}`}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm" ff="monospace">
                          {token.prefix}…
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        <Text size="sm">{token.lastUsedAt ? formatDateTime(token.lastUsedAt) : t('tokens.never')}</Text>
                      </Table.Td>
                      <Table.Td>
                        {token.revokedAt ? (
                          <Badge color="gray">{t('tokens.revoked')}</Badge>
                        ) : (
                          <Text size="sm">{token.expiresAt ? formatDate(token.expiresAt) : t('tokens.noExpiry')}</Text>
                        )}
                      </Table.Td>
                      <Table.Td w={48}>
                        {!token.revokedAt && (
                          <Tooltip label={t('tokens.revoke')}>
                            <ActionIcon
                              variant="subtle"
                              color="red"
                              aria-label={t('tokens.revokeNamed', { name: token.name })}
                              onClick={() => setRevoking(token)}
                            >
                              <IconTrash size={16} />
                            </ActionIcon>
                          </Tooltip>
                        )}
                      </Table.Td>
                    </Table.Tr>
                  ))
                )}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      <CreateTokenModal opened={creating} onClose={() => setCreating(false)} products={products.data ?? []} />
      <ConfirmDialog
        opened={revoking !== null}
        title={t('tokens.revokeTitle', { name: revoking?.name ?? '' })}
        text={t('tokens.revokeText')}
        confirmLabel={t('tokens.revoke')}
        loading={revoke.isPending}
        onClose={() => setRevoking(null)}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: (token) => notifySaved(t('tokens.revokedDone', { name: token.name })),
            onError: notifyFailed,
            onSettled: () => setRevoking(null),
          })
        }
      />
    </>
  );
}
