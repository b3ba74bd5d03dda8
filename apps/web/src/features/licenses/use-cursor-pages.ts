import { useState } from 'react';

/**
 * Keyset pagination with Previous/Next: a stack of the cursors of the pages seen so far. It starts over whenever
 * `resetKey` (the filters and page size) changes.
 */
export function useCursorPages(resetKey: string) {
  const [state, setState] = useState<{ key: string; stack: (string | null)[] }>({ key: resetKey, stack: [null] });
  const stack = state.key === resetKey ? state.stack : [null];
  return {
    cursor: stack.at(-1) ?? null,
    page: stack.length,
    next: (cursor: string) => setState({ key: resetKey, stack: [...stack, cursor] }),
    previous: () => setState({ key: resetKey, stack: stack.length > 1 ? stack.slice(0, -1) : stack }),
    first: () => setState({ key: resetKey, stack: [null] }),
  };
}
