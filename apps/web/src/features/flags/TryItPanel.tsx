import {
  ActionIcon,
  Autocomplete,
  Button,
  Card,
  Group,
  SegmentedControl,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconPlayerPlay, IconPlus, IconTrash } from '@tabler/icons-react';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryError } from '../../components/QueryError.tsx';
import { FlagExplanation } from '../entitlements/FlagExplainDrawer.tsx';
import { AccountSelect, LicenseSelect } from '../licenses/AccountSelect.tsx';
import { CONTEXT_FIELDS, newUid } from './flag-form.ts';
import { explainFlag } from './flags-api.ts';
import type { Flag } from './flags-types.ts';
import { type ContextRow, contextOf } from './try-context.ts';

type Who = 'license' | 'account' | 'context';

/** "Try it": evaluate the saved flag for a license, an account or a context, with the decision trace. */
export function TryItPanel({ flag }: { flag: Pick<Flag, 'id' | 'key' | 'productId'> }) {
  const { t } = useTranslation('flags');
  const [who, setWho] = useState<Who>('license');
  const [licenseId, setLicenseId] = useState<string | null>(null);
  const [accountId, setAccountId] = useState<string | null>(null);
  const [rows, setRows] = useState<ContextRow[]>([]);
  const run = useMutation({
    mutationFn: () =>
      explainFlag(flag.id, {
        ...(who === 'license' && licenseId ? { licenseId } : {}),
        ...(who === 'account' && accountId ? { accountId } : {}),
        ...(contextOf(rows) ? { context: contextOf(rows) } : {}),
      }),
  });
  const ready = who === 'context' || (who === 'license' ? licenseId !== null : accountId !== null);
  const target = run.data
    ? run.data.licenseId
      ? { kind: 'license' as const, id: run.data.licenseId }
      : run.data.accountId
        ? { kind: 'account' as const, id: run.data.accountId }
        : null
    : null;

  return (
    <Card withBorder radius="md" data-testid="try-it">
      <Title order={3} fz="lg" mb={4}>
        {t('try.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('try.hint')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (ready) run.mutate();
        }}
      >
        <Stack gap="sm">
          <SegmentedControl
            fullWidth
            size="xs"
            value={who}
            onChange={(v) => setWho(v as Who)}
            data={[
              { value: 'license', label: t('try.license') },
              { value: 'account', label: t('try.account') },
              { value: 'context', label: t('try.contextOnly') },
            ]}
            aria-label={t('try.who')}
            data-testid="try-who"
          />
          {who === 'license' && (
            <LicenseSelect
              productId={flag.productId}
              value={licenseId}
              onChange={setLicenseId}
              placeholder={t('try.licensePlaceholder')}
              aria-label={t('try.license')}
              data-testid="try-license"
            />
          )}
          {who === 'account' && (
            <AccountSelect
              value={accountId}
              onChange={setAccountId}
              placeholder={t('try.accountPlaceholder')}
              aria-label={t('try.account')}
              data-testid="try-account"
            />
          )}
          <Text size="sm" fw={500}>
            {t('try.extra')}
          </Text>
          {rows.map((row, i) => (
            <Group key={row.uid} gap="xs" wrap="nowrap">
              <Autocomplete
                style={{ flex: 1 }}
                data={[...CONTEXT_FIELDS]}
                placeholder={t('try.field')}
                aria-label={t('try.fieldN', { number: i + 1 })}
                value={row.name}
                onChange={(name) => setRows(rows.map((r) => (r.uid === row.uid ? { ...r, name } : r)))}
              />
              <TextInput
                style={{ flex: 1 }}
                placeholder={t('try.value')}
                aria-label={t('try.valueN', { number: i + 1 })}
                value={row.value}
                onChange={(e) => {
                  const value = e.currentTarget.value;
                  setRows(rows.map((r) => (r.uid === row.uid ? { ...r, value } : r)));
                }}
              />
              <ActionIcon
                variant="subtle"
                color="red"
                onClick={() => setRows(rows.filter((r) => r.uid !== row.uid))}
                aria-label={t('try.removeField', { number: i + 1 })}
              >
                <IconTrash size={16} />
              </ActionIcon>
            </Group>
          ))}
          <Group justify="space-between">
            <Button
              size="compact-sm"
              variant="subtle"
              leftSection={<IconPlus size={14} />}
              onClick={() => setRows([...rows, { uid: newUid('ctx'), name: '', value: '' }])}
            >
              {t('try.addField')}
            </Button>
            <Button
              type="submit"
              leftSection={<IconPlayerPlay size={16} />}
              disabled={!ready}
              loading={run.isPending}
              data-testid="try-run"
            >
              {t('try.run')}
            </Button>
          </Group>
        </Stack>
      </form>
      {run.isError && (
        <Stack mt="md">
          <QueryError error={run.error} onRetry={() => run.mutate()} />
        </Stack>
      )}
      {run.data && (
        <Stack mt="md" data-testid="try-result">
          <FlagExplanation data={run.data} target={target} />
        </Stack>
      )}
    </Card>
  );
}
