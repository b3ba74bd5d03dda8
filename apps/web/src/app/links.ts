import { hasPage } from '../routes.tsx';

type Query = Record<string, string | number | undefined>;

const withQuery = (path: string, query: Query = {}) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
};

/**
 * Where things live in the app. Links to screens that are not part of the app yet return null, so callers render
 * plain text instead of a dead link.
 */
export const links = {
  home: () => '/',
  accounts: (query?: Query) => withQuery('/accounts', query),
  account: (id: string, tab?: string) => withQuery(`/accounts/${id}`, { tab }),
  /** The Licenses list; the query mirrors GET /v1/licenses (status, type, expiresBefore, expiresAfter, accountId, q). */
  licenses: (query?: Query) => (hasPage('licenses') ? withQuery('/licenses', query) : null),
  license: (id: string) => (hasPage('licenses/:id') ? `/licenses/${id}` : null),
  /** The Audit log; the query mirrors GET /v1/audit-events (action, from, to, accountId, licenseId). */
  auditLog: (query?: Query) => (hasPage('audit') ? withQuery('/audit', query) : null),
};
