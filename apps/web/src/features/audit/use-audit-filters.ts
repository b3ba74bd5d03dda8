import dayjs from 'dayjs';
import { useMemo } from 'react';
import { useQueryParams } from '../../app/use-query-params.ts';
import type { AuditQuery } from './audit-api.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A date picked by a person (YYYY-MM-DD, local day) or a timestamp from a link, as an ISO time for the API. */
function toInstant(value: string | null, endOfDay: boolean): string | undefined {
  if (!value) return undefined;
  const d = dayjs(value);
  if (!d.isValid()) return undefined;
  if (!DAY.test(value)) return d.toISOString();
  return (endOfDay ? d.add(1, 'day') : d).startOf('day').toISOString();
}

const toDay = (value: string | null) => (value && dayjs(value).isValid() ? dayjs(value).format('YYYY-MM-DD') : null);

/** The API treats an action ending in '.' or '*' as a prefix: whatever people type is matched as one. */
export const actionPrefix = (text: string): string | undefined => {
  const value = text.trim();
  if (!value) return undefined;
  return value.endsWith('.') || value.endsWith('*') ? value : `${value}*`;
};

/**
 * The Audit log filters live in the URL (?action=&actorId=&accountId=&licenseId=&from=&to=), the same names as
 * GET /v1/audit-events, so links from other screens (links.auditLog) land filtered. `from`/`to` are days
 * (YYYY-MM-DD, `to` inclusive) or ISO timestamps.
 */
export function useAuditFilters() {
  const { params, update } = useQueryParams();
  const action = params.get('action') ?? '';
  const actorId = params.get('actorId');
  const accountId = params.get('accountId');
  const licenseId = params.get('licenseId');
  const from = params.get('from');
  const to = params.get('to');

  const query = useMemo<AuditQuery>(
    () => ({
      action: actionPrefix(action),
      actorId: actorId ?? undefined,
      accountId: accountId ?? undefined,
      licenseId: licenseId ?? undefined,
      from: toInstant(from, false),
      to: toInstant(to, true),
    }),
    [action, actorId, accountId, licenseId, from, to],
  );

  return {
    query,
    action,
    actorId,
    accountId,
    licenseId,
    range: [toDay(from), toDay(to)] as [string | null, string | null],
    active: Boolean(action || actorId || accountId || licenseId || from || to),
    setAction: (value: string) => update({ action: value.trim() ? value.trim() : null }),
    setActor: (value: string | null) => update({ actorId: value }),
    setAccount: (value: string | null) => update({ accountId: value }),
    clearLicense: () => update({ licenseId: null }),
    setRange: ([start, end]: [string | null, string | null]) => update({ from: start, to: end }),
    clear: () => update({ action: null, actorId: null, accountId: null, licenseId: null, from: null, to: null }),
  };
}

export type AuditFilters = ReturnType<typeof useAuditFilters>;
