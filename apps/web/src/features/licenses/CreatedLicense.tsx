import { Alert, Button, Card, Group, Stack } from '@mantine/core';
import { IconCircleCheck, IconExternalLink, IconPlus } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { KeyFormats } from './KeyFormats.tsx';
import type { LicenseDetail } from './licenses-api.ts';

/** After issuing: the new key right away, with copy, copy base64 and the Kubernetes Secret. */
export function CreatedLicense({ license, onAnother }: { license: LicenseDetail; onAnother(): void }) {
  const { t } = useTranslation('licenses');
  return (
    <Stack gap="md" maw={860} data-testid="created-license">
      <Alert color="teal" variant="light" icon={<IconCircleCheck size={18} />} title={t('new.createdTitle')}>
        {t('new.createdText', { account: license.account.name, plan: license.plan.name })}
      </Alert>
      <Card withBorder radius="lg" padding="lg">
        <KeyFormats licenseId={license.id} />
      </Card>
      <Group gap="sm">
        <Button
          component={Link}
          to={`/licenses/${license.id}`}
          leftSection={<IconExternalLink size={16} />}
          data-testid="open-created"
        >
          {t('new.open')}
        </Button>
        <Button variant="default" leftSection={<IconPlus size={16} />} onClick={onAnother}>
          {t('new.another')}
        </Button>
      </Group>
    </Stack>
  );
}
