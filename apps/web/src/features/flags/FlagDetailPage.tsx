import { Anchor, Badge, Button, Grid, Group, Skeleton, Stack, Text } from '@mantine/core';
import { IconArrowLeft, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { useCan } from '../../auth/auth-context.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { formatDateTime, fromNow } from '../../i18n/format.ts';
import { DefinitionEditor } from './DefinitionEditor.tsx';
import { DefinitionView } from './DefinitionView.tsx';
import { DeleteFlagDialog } from './DeleteFlagDialog.tsx';
import { useFlag } from './flags-api.ts';
import type { Flag } from './flags-types.ts';
import { KillSwitch } from './KillSwitch.tsx';
import { FlagMetricsPanel } from './metrics/FlagMetricsPanel.tsx';
import { TogglesSection } from './TogglesSection.tsx';
import { TryItPanel } from './TryItPanel.tsx';

function Facts({ flag }: { flag: Flag }) {
  const { t } = useTranslation('flags');
  return (
    <Group gap="sm" wrap="wrap" data-testid="flag-facts">
      <Badge variant="light" color="blue" tt="none">
        {flag.product.name}
      </Badge>
      <Badge variant="light" color="gray" tt="none">
        {t(`types.${flag.type}`)}
      </Badge>
      <Text size="sm" c="dimmed" data-testid="flag-version">
        {t('detail.version', { version: flag.version })}
      </Text>
      <Text size="sm" c="dimmed" title={formatDateTime(flag.updatedAt)}>
        {t('detail.updated', { when: fromNow(flag.updatedAt) })}
      </Text>
    </Group>
  );
}

/** One flag: its kill switch, definition (editor for admins), per-customer toggles and "Try it". */
export function FlagDetailPage() {
  const { t } = useTranslation('flags');
  const { id = '' } = useParams();
  const canDefine = useCan('flags.define');
  const query = useFlag(id);
  const [deleting, setDeleting] = useState(false);
  const back = (
    <Anchor component={Link} to={query.data ? `/flags?product=${query.data.productId}` : '/flags'} size="sm">
      <Group gap={4}>
        <IconArrowLeft size={14} />
        {t('detail.back')}
      </Group>
    </Anchor>
  );

  if (query.isPending) {
    return (
      <Stack gap="md" aria-busy="true">
        {back}
        <Skeleton h={36} w="40%" />
        <Skeleton h={320} />
      </Stack>
    );
  }
  if (query.isError) {
    return (
      <Stack gap="md">
        {back}
        <QueryError error={query.error} onRetry={() => void query.refetch()} />
      </Stack>
    );
  }
  const flag = query.data;
  return (
    <Stack gap={0}>
      <Group mb="xs">{back}</Group>
      <PageHeader
        title={flag.key}
        subtitle={<Facts flag={flag} />}
        actions={
          <Group gap="md">
            <KillSwitch flag={flag} />
            {canDefine && (
              <Button
                variant="subtle"
                color="red"
                leftSection={<IconTrash size={16} />}
                onClick={() => setDeleting(true)}
                data-testid="flag-delete"
              >
                {t('delete.button')}
              </Button>
            )}
          </Group>
        }
      />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          {canDefine ? <DefinitionEditor key={flag.id} flag={flag} /> : <DefinitionView flag={flag} />}
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="lg">
            <TryItPanel flag={flag} />
            <FlagMetricsPanel flagId={flag.id} />
            <TogglesSection flag={flag} />
          </Stack>
        </Grid.Col>
      </Grid>
      {canDefine && <DeleteFlagDialog flag={flag} opened={deleting} onClose={() => setDeleting(false)} />}
    </Stack>
  );
}
