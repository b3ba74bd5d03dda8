import { Group, Highlight, Stack, Text } from '@mantine/core';
import { IconBuildingStore, IconKey } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { StatusBadge } from '../../components/StatusBadge.tsx';
import classes from './SearchLauncher.module.css';
import type { Hit } from './SearchModal.tsx';

interface Props {
  hit: Hit;
  /** The text searched for (highlighted). */
  term: string;
  href: string;
  selected: boolean;
  onHover(): void;
  onOpen(): void;
}

/** One search result: what it is, and why it matched. */
export function SearchHit({ hit, term, href, selected, onHover, onOpen }: Props) {
  const { t } = useTranslation('search');
  const match = hit.item.match;
  const reason = t(`match.${match.field}`, { value: match.value });
  return (
    <Link
      to={href}
      id={`search-hit-${hit.item.id}`}
      role="option"
      aria-selected={selected}
      data-selected={selected || undefined}
      className={classes.item}
      onMouseEnter={onHover}
      onClick={(e) => {
        e.preventDefault();
        onOpen();
      }}
      tabIndex={-1}
    >
      <Group gap="sm" wrap="nowrap" align="flex-start">
        {hit.kind === 'account' ? (
          <IconBuildingStore size={18} stroke={1.6} style={{ marginTop: 2, flexShrink: 0 }} />
        ) : (
          <IconKey size={18} stroke={1.6} style={{ marginTop: 2, flexShrink: 0 }} />
        )}
        <Stack gap={0} miw={0} style={{ flex: 1 }}>
          {hit.kind === 'account' ? (
            <Text size="sm" fw={600} truncate>
              {hit.item.name}
              {hit.item.crmId && (
                <Text span size="xs" c="dimmed" ml={8}>
                  {hit.item.crmId}
                </Text>
              )}
            </Text>
          ) : (
            <Group gap="xs" wrap="nowrap">
              <Text size="sm" fw={600} ff="monospace" truncate>
                {hit.item.key}
              </Text>
              <StatusBadge status={hit.item.status} size="xs" />
            </Group>
          )}
          <Highlight size="xs" c="dimmed" highlight={term} truncate>
            {hit.kind === 'license'
              ? `${hit.item.account.name} · ${hit.item.productCode}${hit.item.name ? ` · ${hit.item.name}` : ''}`
              : reason}
          </Highlight>
          {hit.kind === 'license' && match.field === 'domain' && (
            <Text size="xs" c="dimmed" truncate>
              {reason}
            </Text>
          )}
        </Stack>
      </Group>
    </Link>
  );
}
