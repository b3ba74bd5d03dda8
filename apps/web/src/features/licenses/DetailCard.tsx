import { Card, Group, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** A titled card of the license detail page. */
export function DetailCard({
  title,
  actions,
  children,
  testId,
}: {
  title: string;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <Card withBorder radius="lg" padding="lg" data-testid={testId}>
      <Group justify="space-between" mb="md" gap="sm">
        <Title order={3} fz="lg">
          {title}
        </Title>
        {actions}
      </Group>
      {children}
    </Card>
  );
}
