import { Anchor, Card, Group, Skeleton, Stack, Text, ThemeIcon } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { formatNumber } from '../../i18n/format.ts';
import classes from './home.module.css';

export interface StatLink {
  label: string;
  href: string | null;
}

interface Props {
  label: string;
  value: number;
  icon: ReactNode;
  color: string;
  /** Where the number leads (the filtered Licenses list); null = not linked. */
  href: string | null;
  hint?: string;
  /** Smaller related numbers, each with its own link (e.g. 60 and 90 days). */
  more?: StatLink[];
}

/** A counter on the home page; the whole card is a link when `href` is set. */
export function StatCard({ label, value, icon, color, href, hint, more }: Props) {
  const body = (
    <Group justify="space-between" align="flex-start" wrap="nowrap">
      <Stack gap={2}>
        <Text size="sm" c="dimmed" fw={500}>
          {label}
        </Text>
        <Text fz={32} fw={700} lh={1.15}>
          {formatNumber(value)}
        </Text>
        {hint && (
          <Text size="xs" c="dimmed">
            {hint}
          </Text>
        )}
      </Stack>
      <ThemeIcon variant="light" color={color} size={40} radius="md">
        {icon}
      </ThemeIcon>
    </Group>
  );
  return (
    <Card withBorder radius="lg" padding="lg" className={classes.statCard} data-linked={href ? true : undefined}>
      {href ? (
        <Link to={href} className={classes.statLink} aria-label={`${label}: ${formatNumber(value)}`}>
          {body}
        </Link>
      ) : (
        body
      )}
      {more && more.length > 0 && (
        <Group gap="md" mt="sm" className={classes.more}>
          {more.map((m) =>
            m.href ? (
              <Anchor key={m.label} component={Link} to={m.href} size="sm" fw={500}>
                {m.label}
              </Anchor>
            ) : (
              <Text key={m.label} size="sm" c="dimmed">
                {m.label}
              </Text>
            ),
          )}
        </Group>
      )}
    </Card>
  );
}

export function StatCardSkeleton() {
  return (
    <Card withBorder radius="lg" padding="lg">
      <Skeleton h={14} w="50%" mb={10} />
      <Skeleton h={32} w="30%" mb={10} />
      <Skeleton h={12} w="70%" />
    </Card>
  );
}
