import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';

/** A friendly "nothing here" panel with an optional action. */
export function EmptyHint({
  icon,
  title,
  description,
  action,
}: {
  icon: ReactNode;
  title: string;
  description?: string;
  action?: ReactNode;
}) {
  return (
    <EmptyState py="xl" icon={icon} title={title} description={description} withIndicatorBackground size="sm">
      {action && <EmptyState.Actions>{action}</EmptyState.Actions>}
    </EmptyState>
  );
}
