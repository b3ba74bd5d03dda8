import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useQueryParams } from '../../app/use-query-params.ts';
import type { AccountFilters } from './accounts-api.ts';

const SORTS = ['createdAt', '-createdAt', 'name'] as const;
type Sort = AccountFilters['sort'];

/**
 * The Accounts list filters live in the URL (?q=&from=YYYY-MM-DD&to=YYYY-MM-DD&sort=), so a filtered list can be
 * shared and survives a reload. `to` is inclusive for people; the API's createdBefore is exclusive.
 */
export function useAccountFilters() {
  const { params, update } = useQueryParams();
  const q = params.get('q') ?? '';
  const from = params.get('from');
  const to = params.get('to');
  const sortParam = params.get('sort');
  const sort: Sort = SORTS.includes(sortParam as Sort) ? (sortParam as Sort) : '-createdAt';

  const filters = useMemo<AccountFilters>(
    () => ({
      q,
      createdAfter: from && dayjs(from).isValid() ? dayjs(from).startOf('day').toISOString() : null,
      createdBefore: to && dayjs(to).isValid() ? dayjs(to).add(1, 'day').startOf('day').toISOString() : null,
      sort,
    }),
    [q, from, to, sort],
  );

  return {
    filters,
    q,
    range: [from, to] as [string | null, string | null],
    sort,
    active: Boolean(q || from || to),
    setQ: (value: string) => update({ q: value.trim() ? value : null }),
    setRange: ([start, end]: [string | null, string | null]) => update({ from: start, to: end }),
    setSort: (value: Sort) => update({ sort: value === '-createdAt' ? null : value }),
    clear: () => update({ q: null, from: null, to: null }),
  };
}
