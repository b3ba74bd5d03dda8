import { Anchor, Breadcrumbs, Button, Grid, Group, Skeleton, Stack, Tabs, Text } from '@mantine/core';
import { IconAdjustments, IconCalendarPlus, IconDownload, IconId, IconRefresh } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { useCan } from '../../auth/auth-context.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import { LicenseEntitlements } from '../entitlements/LicenseEntitlements.tsx';
import { AuditCard } from './AuditCard.tsx';
import { DetailCard } from './DetailCard.tsx';
import { KeyFormats } from './KeyFormats.tsx';
import { LicenseActionsMenu } from './LicenseActionsMenu.tsx';
import { LicenseFacts } from './LicenseFacts.tsx';
import { type LicenseDetail, useLicense } from './licenses-api.ts';
import { MachinesCard } from './MachinesCard.tsx';
import { NotesCard } from './NotesCard.tsx';
import { useLicenseActions } from './use-license-actions.tsx';

function HeaderActions({ license, ...a }: { license: LicenseDetail } & ReturnType<typeof useLicenseActions>) {
  const { t } = useTranslation('licenses');
  const canWeek = useCan('license.extendWeek');
  const canAct = useCan('license.act');
  const live = !license.revoked && license.endsAt !== null;
  return (
    <Group gap="sm">
      {canWeek && live && (
        <Button
          leftSection={<IconCalendarPlus size={16} />}
          loading={a.busy === `${license.id}:extend`}
          onClick={() => void a.actions.extendWeek(license)}
          data-testid="detail-extend-week"
        >
          {t('actions.extendWeek')}
        </Button>
      )}
      {canAct && live && (
        <Button
          variant="default"
          leftSection={<IconRefresh size={16} />}
          loading={a.busy === `${license.id}:renew`}
          onClick={() => void a.actions.renew(license)}
          data-testid="detail-renew"
        >
          {t('actions.renew')}
        </Button>
      )}
      <LicenseActionsMenu license={license} actions={a.actions} busy={a.busy !== null} quick={false} />
    </Group>
  );
}

function KeyCard({ license, onDownload, busy }: { license: LicenseDetail; onDownload(): void; busy: boolean }) {
  const { t } = useTranslation('licenses');
  const canAct = useCan('license.act');
  return (
    <DetailCard
      title={t('detail.key')}
      testId="license-key-panel"
      actions={
        canAct &&
        !license.revoked && (
          <Button
            size="xs"
            variant="default"
            leftSection={<IconDownload size={14} />}
            loading={busy}
            onClick={onDownload}
            data-testid="download-license-file"
          >
            {t('actions.download')}
          </Button>
        )
      }
    >
      <KeyFormats licenseId={license.id} />
    </DetailCard>
  );
}

export function LicenseDetailPage() {
  const { t } = useTranslation('licenses');
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const tab = params.get('tab') === 'entitlements' ? 'entitlements' : 'overview';
  const query = useLicense(id);
  const actions = useLicenseActions({ onDeleted: () => navigate('/licenses') });
  const license = query.data;

  const crumbs = (
    <Breadcrumbs mb="xs" fz="sm">
      <Anchor component={Link} to="/licenses">
        {t('title')}
      </Anchor>
      <Text size="sm">{license ? license.name || license.key : '…'}</Text>
    </Breadcrumbs>
  );

  if (query.isPending) {
    return (
      <Stack gap="lg" aria-busy="true">
        {crumbs}
        <Skeleton h={40} w="40%" />
        <Skeleton h={220} radius="lg" />
        <Skeleton h={160} radius="lg" />
      </Stack>
    );
  }
  if (query.isError || !license) {
    return (
      <>
        {crumbs}
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      </>
    );
  }

  return (
    <>
      {crumbs}
      <PageHeader
        title={license.name || t('unnamed')}
        subtitle={
          <Group gap="sm" mt={4}>
            <StatusBadge status={license.status} data-testid="detail-status" />
            <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }} data-testid="detail-key">
              {license.key}
            </Text>
          </Group>
        }
        actions={<HeaderActions license={license} {...actions} />}
      />
      <Tabs
        value={tab}
        onChange={(value) => setParams(value === 'entitlements' ? { tab: value } : {}, { replace: true })}
        keepMounted={false}
      >
        <Tabs.List mb="lg">
          <Tabs.Tab value="overview" leftSection={<IconId size={16} />}>
            {t('tabs.overview')}
          </Tabs.Tab>
          <Tabs.Tab value="entitlements" leftSection={<IconAdjustments size={16} />} data-testid="tab-entitlements">
            {t('tabs.entitlements')}
          </Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="overview">
          <Grid gap="lg">
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Stack gap="lg">
                <LicenseFacts license={license} />
                <KeyCard
                  license={license}
                  busy={actions.busy === `${license.id}:download`}
                  onDownload={() => void actions.actions.downloadFile(license)}
                />
                <MachinesCard licenseId={license.id} maxMachines={license.maxMachines} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <Stack gap="lg">
                <NotesCard license={license} />
                <AuditCard licenseId={license.id} />
              </Stack>
            </Grid.Col>
          </Grid>
        </Tabs.Panel>
        <Tabs.Panel value="entitlements">
          <LicenseEntitlements license={license} />
        </Tabs.Panel>
      </Tabs>
      {actions.dialogs}
    </>
  );
}
