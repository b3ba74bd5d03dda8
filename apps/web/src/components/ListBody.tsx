import { Button, Card } from '@mantine/core';
import { IconSearchOff } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { EmptyHint } from './EmptyHint.tsx';
import { QueryError } from './QueryError.tsx';

export interface ListBodyProps {
  /** Loading for the first time: the skeleton shows. */
  pending: boolean;
  /** An error with nothing to show instead. */
  error: unknown;
  showError: boolean;
  onRetry: () => void;
  empty: boolean;
  /** Filters narrow the list: an empty list then offers to clear them. */
  filtered: { active: boolean; clear: () => void };
  skeleton: ReactNode;
  /**
   * The feature's translate function: its namespace has empty.title, empty.description, empty.filteredTitle,
   * empty.filteredDescription and filters.clear.
   */
  t: (key: string) => string;
  emptyIcon: ReactNode;
  emptyAction?: ReactNode;
  children: ReactNode;
}

/** The body of a list card: skeleton, error with retry, empty (filtered or not), or the table. */
export function ListBody(p: ListBodyProps) {
  if (p.pending) return <Card.Section p="md">{p.skeleton}</Card.Section>;
  if (p.showError) {
    return (
      <Card.Section p="md">
        <QueryError error={p.error} onRetry={p.onRetry} />
      </Card.Section>
    );
  }
  if (!p.empty) return p.children;
  return p.filtered.active ? (
    <EmptyHint
      icon={<IconSearchOff size={26} />}
      title={p.t('empty.filteredTitle')}
      description={p.t('empty.filteredDescription')}
      action={
        <Button variant="default" onClick={p.filtered.clear}>
          {p.t('filters.clear')}
        </Button>
      }
    />
  ) : (
    <EmptyHint
      icon={p.emptyIcon}
      title={p.t('empty.title')}
      description={p.t('empty.description')}
      action={p.emptyAction}
    />
  );
}
