import { Anchor, Stack, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { License } from '../../api/types.ts';
import { formatDate, fromNow } from '../../i18n/format.ts';
import classes from './licenses.module.css';

/** Name (the row's link) and the key, monospace and truncated (full key in a tooltip). */
export function NameCell({ license }: { license: License }) {
  const { t } = useTranslation('licenses');
  return (
    <Stack gap={2} miw={0}>
      <Anchor
        component={Link}
        to={`/licenses/${license.id}`}
        fw={600}
        c="var(--mantine-color-text)"
        size="sm"
        onClick={(e) => e.stopPropagation()}
        data-testid="license-link"
      >
        {license.name || t('unnamed')}
      </Anchor>
      <Tooltip label={license.key} openDelay={400} multiline maw={420} style={{ wordBreak: 'break-all' }}>
        <Text className={classes.key} data-testid="license-key-cell">
          {license.key}
        </Text>
      </Tooltip>
    </Stack>
  );
}

/** "in 5 days" over "12 Mar 2027"; "Never" for no end date. */
export function ExpiresCell({ endsAt }: { endsAt: string | null }) {
  const { t } = useTranslation('licenses');
  if (!endsAt) return <Text size="sm">{t('never')}</Text>;
  const past = new Date(endsAt).getTime() < Date.now();
  return (
    <Stack gap={0}>
      <Text size="sm" c={past ? 'red.7' : undefined} fw={500}>
        {fromNow(endsAt)}
      </Text>
      <Text size="xs" c="dimmed" data-testid="expires-date">
        {formatDate(endsAt)}
      </Text>
    </Stack>
  );
}

/** Machines used / seat limit (∞ = unlimited); orange when full. */
export function SeatsCell({ license }: { license: License }) {
  const { t } = useTranslation('licenses');
  const max = license.maxMachines;
  const full = max !== null && license.machineCount >= max;
  return (
    <Text
      size="sm"
      c={full ? 'orange.8' : undefined}
      fw={full ? 600 : undefined}
      aria-label={max === null ? t('seats.unlimited', { used: license.machineCount }) : undefined}
      style={{ whiteSpace: 'nowrap' }}
    >
      {license.machineCount} / {max ?? '∞'}
    </Text>
  );
}
