import dayjs from 'dayjs';
import { LICENSE_STATUSES, type LicenseStatus, type LicenseType } from '../../api/types.ts';

export const LICENSE_TYPES: LicenseType[] = ['trial', 'subscription', 'perpetual', 'custom'];
export const LICENSE_SORTS = ['-createdAt', 'createdAt', 'endsAt', '-endsAt'] as const;
export type LicenseSort = (typeof LICENSE_SORTS)[number];

/** The Licenses list filters as they live in the URL (?status=a,b&productId=&…&sort=). */
export interface LicenseFilters {
  status: LicenseStatus[];
  productId: string | null;
  planId: string | null;
  accountId: string | null;
  type: LicenseType | null;
  /** A date (YYYY-MM-DD, inclusive for people) or an exact ISO instant (links from Home). */
  expiresBefore: string | null;
  expiresAfter: string | null;
  q: string;
  sort: LicenseSort;
}

export const FILTER_KEYS = [
  'status',
  'productId',
  'planId',
  'accountId',
  'type',
  'expiresBefore',
  'expiresAfter',
  'q',
] as const;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const uuidOrNull = (v: string | null) => (v && UUID.test(v) ? v : null);
const dateOrNull = (v: string | null) => (v && dayjs(v).isValid() ? v : null);

export function parseLicenseFilters(params: URLSearchParams): LicenseFilters {
  const status = (params.get('status') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is LicenseStatus => (LICENSE_STATUSES as string[]).includes(s));
  const type = params.get('type');
  const sort = params.get('sort');
  return {
    status: [...new Set(status)],
    productId: uuidOrNull(params.get('productId')),
    planId: uuidOrNull(params.get('planId')),
    accountId: uuidOrNull(params.get('accountId')),
    type: LICENSE_TYPES.includes(type as LicenseType) ? (type as LicenseType) : null,
    expiresBefore: dateOrNull(params.get('expiresBefore')),
    expiresAfter: dateOrNull(params.get('expiresAfter')),
    q: params.get('q') ?? '',
    sort: LICENSE_SORTS.includes(sort as LicenseSort) ? (sort as LicenseSort) : '-createdAt',
  };
}

/** "Expires before 3 Dec" includes 3 Dec: the API's bound is exclusive, so it is the next midnight. */
export function beforeBound(value: string | null): string | undefined {
  if (!value) return undefined;
  if (DATE_ONLY.test(value)) return dayjs(value).add(1, 'day').startOf('day').toISOString();
  return dayjs(value).toISOString();
}

/** "Expires after 3 Dec" includes 3 Dec: strictly after the instant just before its midnight. */
export function afterBound(value: string | null): string | undefined {
  if (!value) return undefined;
  if (DATE_ONLY.test(value)) return dayjs(value).startOf('day').subtract(1, 'millisecond').toISOString();
  return dayjs(value).toISOString();
}

/** The GET /v1/licenses query for these filters (without limit and cursor). */
export function toApiQuery(f: LicenseFilters): Record<string, string | undefined> {
  const q = f.q.trim();
  return {
    status: f.status.length ? f.status.join(',') : undefined,
    productId: f.productId ?? undefined,
    planId: f.planId ?? undefined,
    accountId: f.accountId ?? undefined,
    type: f.type ?? undefined,
    expiresBefore: beforeBound(f.expiresBefore),
    expiresAfter: afterBound(f.expiresAfter),
    q: q ? q.slice(0, 200) : undefined,
    sort: f.sort,
  };
}

/** A date the date picker can show for a filter value (ISO instants from Home links show their local day). */
export function pickerDate(value: string | null): string | null {
  if (!value) return null;
  return DATE_ONLY.test(value) ? value : dayjs(value).format('YYYY-MM-DD');
}

export const hasActiveFilters = (f: LicenseFilters) =>
  FILTER_KEYS.some((k) => (k === 'status' ? f.status.length > 0 : k === 'q' ? f.q.trim() !== '' : f[k] !== null));
