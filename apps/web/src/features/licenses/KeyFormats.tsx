import { Code, Group, Skeleton, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/QueryError.tsx';
import { CopyTextButton } from './CopyTextButton.tsx';
import { useLicenseKey } from './licenses-api.ts';

function Block({ label, action, children }: { label: string; action: ReactNode; children: ReactNode }) {
  return (
    <Stack gap={6}>
      <Group justify="space-between" gap="xs" wrap="nowrap">
        <Text size="sm" fw={600}>
          {label}
        </Text>
        {action}
      </Group>
      {children}
    </Stack>
  );
}

const wrap = { wordBreak: 'break-all', whiteSpace: 'pre-wrap' } as const;

/**
 * The key in every form the API gives (GET /v1/licenses/:id/key): the key, exactly base64(key), the Kubernetes
 * Secret YAML and the kubectl line, each with a copy button. `only="k8s"` shows the last two.
 */
export function KeyFormats({ licenseId, only }: { licenseId: string; only?: 'k8s' }) {
  const { t } = useTranslation('licenses');
  const key = useLicenseKey(licenseId);
  if (key.isPending) return <Skeleton h={160} radius="md" aria-busy="true" />;
  if (key.isError) return <QueryError error={key.error} onRetry={() => void key.refetch()} />;
  const k = key.data;

  return (
    <Stack gap="md">
      {only !== 'k8s' && (
        <>
          <Block
            label={t('keyPanel.key')}
            action={
              <CopyTextButton
                text={k.key}
                label={t('actions.copyKey')}
                toast={t('toast.copiedKey')}
                testId="copy-key"
              />
            }
          >
            <Code block style={wrap} data-testid="license-key">
              {k.key}
            </Code>
          </Block>
          <Block
            label={t('keyPanel.base64')}
            action={
              <CopyTextButton
                text={k.base64}
                label={t('actions.copyBase64')}
                toast={t('toast.copiedBase64')}
                testId="copy-base64"
              />
            }
          >
            <Code block style={wrap} data-testid="license-key-base64">
              {k.base64}
            </Code>
          </Block>
        </>
      )}
      <Block
        label={t('keyPanel.k8s')}
        action={
          <CopyTextButton
            text={k.kubernetesSecret}
            label={t('actions.copyYaml')}
            toast={t('toast.copiedYaml')}
            testId="copy-k8s-yaml"
          />
        }
      >
        <Code block data-testid="k8s-yaml" style={{ whiteSpace: 'pre', overflowX: 'auto' }}>
          {k.kubernetesSecret}
        </Code>
      </Block>
      <Block
        label={t('keyPanel.kubectl')}
        action={
          <CopyTextButton
            text={k.kubectl}
            label={t('actions.copyKubectl')}
            toast={t('toast.copiedKubectl')}
            testId="copy-kubectl"
          />
        }
      >
        <Code block style={wrap} data-testid="kubectl">
          {k.kubectl}
        </Code>
      </Block>
    </Stack>
  );
}
