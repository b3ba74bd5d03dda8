import { List, Text } from '@mantine/core';
import type { PlacedIssue } from './flag-issues.ts';
import { keyedBy } from './flag-summary.ts';

/** The server's problems with one item, under it (the field inside the item, then the sentence). */
export function IssueList({ issues, testId }: { issues: readonly PlacedIssue[]; testId: string }) {
  if (issues.length === 0) return null;
  return (
    <List size="xs" mt={6} spacing={2} c="red" role="alert">
      {keyedBy(issues, (x) => `${x.field}:${x.message}`).map(({ key, item: issue }) => (
        <List.Item key={key} data-testid={testId}>
          <Text span size="xs" c="red">
            {issue.field ? <Text span size="xs" ff="monospace">{`${issue.field}: `}</Text> : null}
            {issue.message}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}
