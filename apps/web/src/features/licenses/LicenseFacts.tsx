import { Anchor, Badge, Code, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate, formatDateTime, fromNow } from '../../i18n/format.ts';
import { DetailCard } from './DetailCard.tsx';
import type { LicenseDetail } from './licenses-api.ts';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={600} tt="uppercase" style={{ letterSpacing: 0.4 }}>
        {label}
      </Text>
      <Text size="sm" component="div">
        {children}
      </Text>
    </Stack>
  );
}

const dash = <Text c="dimmed">—</Text>;

function DateFact({ iso, never }: { iso: string | null; never?: string }) {
  if (!iso) return never ? <Text size="sm">{never}</Text> : dash;
  return (
    <>
      {formatDate(iso)}{' '}
      <Text span size="xs" c="dimmed">
        ({fromNow(iso)})
      </Text>
    </>
  );
}

function Tags({ items }: { items: string[] }) {
  if (items.length === 0) return dash;
  return (
    <Group gap={4}>
      {items.map((i) => (
        <Badge key={i} variant="default" tt="none" fw={500}>
          {i}
        </Badge>
      ))}
    </Group>
  );
}

/** Every field of a license: dates, seats, catalog, billing, domains, entitlements, metadata. */
export function LicenseFacts({ license: l }: { license: LicenseDetail }) {
  const { t } = useTranslation('licenses');
  const b = l.billing;
  const metadata = Object.keys(l.metadata).length ? JSON.stringify(l.metadata, null, 2) : null;
  return (
    <Stack gap="lg">
      <DetailCard title={t('detail.overview')} testId="license-facts">
        <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} spacing="lg" verticalSpacing="md">
          <Fact label={t('fields.account')}>
            <Anchor component={Link} to={`/accounts/${l.account.id}`} size="sm">
              {l.account.name}
            </Anchor>
          </Fact>
          <Fact label={t('fields.productPlan')}>
            {l.product.name} · {l.plan.name}
          </Fact>
          <Fact label={t('fields.type')}>{t(`type.${l.licenseType}`)}</Fact>
          <Fact label={t('fields.startsAt')}>
            <DateFact iso={l.startsAt} />
          </Fact>
          <Fact label={t('fields.endsAt')}>
            <span data-testid="detail-ends-at" data-value={l.endsAt ?? ''}>
              <DateFact iso={l.endsAt} never={t('never')} />
            </span>
          </Fact>
          <Fact label={t('fields.graceEndsAt')}>
            <DateFact iso={l.graceEndsAt} />
          </Fact>
          <Fact label={t('fields.maintenanceEndsAt')}>
            <DateFact iso={l.maintenanceEndsAt} />
          </Fact>
          <Fact label={t('fields.seats')}>
            {l.maxMachines === null
              ? t('seats.unlimited', { used: l.machineCount })
              : t('seats.used', { used: l.machineCount, max: l.maxMachines })}
          </Fact>
          <Fact label={t('fields.expirationStrategy')}>{t(`strategy.${l.plan.expirationStrategy}`)}</Fact>
          <Fact label={t('fields.lastValidated')}>
            {l.lastValidatedAt ? formatDateTime(l.lastValidatedAt) : t('neverValidated')}
            {l.validationCount > 0 && (
              <Text span size="xs" c="dimmed">
                {' '}
                · {t('validations', { count: l.validationCount })}
              </Text>
            )}
          </Fact>
          <Fact label={t('fields.createdAt')}>{formatDateTime(l.createdAt)}</Fact>
          <Fact label={t('fields.updatedAt')}>{formatDateTime(l.updatedAt)}</Fact>
        </SimpleGrid>
      </DetailCard>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <DetailCard title={t('detail.billing')}>
          <SimpleGrid cols={2} spacing="md">
            <Fact label={t('fields.paymentStatus')}>{b.paymentStatus ? t(`payment.${b.paymentStatus}`) : dash}</Fact>
            <Fact label={t('fields.purchaseMethod')}>{b.purchaseMethod || dash}</Fact>
            <Fact label={t('fields.orderReference')}>{b.orderReference || dash}</Fact>
            <Fact label={t('fields.invoiceUrl')}>
              {b.invoiceUrl ? (
                <Anchor
                  href={b.invoiceUrl}
                  target="_blank"
                  rel="noreferrer"
                  size="sm"
                  style={{ wordBreak: 'break-all' }}
                >
                  {b.invoiceUrl}
                </Anchor>
              ) : (
                dash
              )}
            </Fact>
          </SimpleGrid>
        </DetailCard>
        <DetailCard title={t('detail.scope')}>
          <Stack gap="md">
            <Fact label={t('fields.domains')}>
              <Tags items={l.domains} />
            </Fact>
            <Fact label={t('fields.entitlements')}>
              <Tags items={l.effectiveEntitlements} />
            </Fact>
            <Fact label={t('fields.metadata')}>
              {metadata ? (
                <Code block mah={180} style={{ overflow: 'auto' }}>
                  {metadata}
                </Code>
              ) : (
                dash
              )}
            </Fact>
          </Stack>
        </DetailCard>
      </SimpleGrid>
    </Stack>
  );
}
