import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { Account, AuditEvent, License, LicenseType, Machine, Page } from '../../api/types.ts';

export type PaymentStatus = 'paid' | 'pending' | 'overdue' | 'refunded' | 'free';
export const PAYMENT_STATUSES: PaymentStatus[] = ['paid', 'pending', 'overdue', 'refunded', 'free'];

export interface Billing {
  invoiceUrl: string | null;
  paymentStatus: PaymentStatus | null;
  purchaseMethod: string | null;
  orderReference: string | null;
}

/** GET /v1/licenses/:id: the list fields plus billing, metadata and the plan's entitlements. */
export interface LicenseDetail extends License {
  effectiveEntitlements: string[];
  billing: Billing;
  metadata: Record<string, unknown>;
  validationCount: number;
}

export interface LicenseKey {
  key: string;
  /** Exactly base64(key): no whitespace, no newline. */
  base64: string;
  kubernetesSecret: string;
  kubectl: string;
}

export interface LicenseFile {
  certificate: string;
  alg: string;
  kid: string;
  issuedAt: string;
  expiresAt: string;
  ttlSeconds: number;
}

export interface Plan {
  id: string;
  productId: string;
  product: { id: string; code: string; name: string };
  name: string;
  licenseType: LicenseType;
  durationDays: number | null;
  graceDays: number;
  maintenanceDays: number | null;
  maxMachines: number | null;
  entitlements: string[];
}

export interface Product {
  id: string;
  code: string;
  name: string;
}

export interface CreateLicenseInput {
  planId: string;
  accountId: string;
  name?: string;
  licenseType?: LicenseType;
  startsAt?: string;
  endsAt?: string | null;
  maxMachines?: number | null;
  domains?: string[];
  billing?: Partial<Billing>;
  notes?: string;
}

export type LicenseAction = 'renew' | 'suspend' | 'reinstate' | 'revoke';

const base = (id: string) => `/v1/licenses/${id}`;

/** One page of licenses: server-side filters and keyset cursor. */
export const useLicensesPage = (query: Record<string, string | undefined>, limit: number, cursor: string | null) =>
  useQuery({
    queryKey: ['licenses', 'list', query, limit, cursor],
    queryFn: ({ signal }) => api.get<Page<License>>('/v1/licenses', { ...query, limit, cursor }, signal),
    placeholderData: keepPreviousData,
  });

export const useLicense = (id: string) =>
  useQuery({
    queryKey: ['licenses', 'detail', id],
    queryFn: ({ signal }) => api.get<LicenseDetail>(base(id), undefined, signal),
  });

export const fetchLicenseKey = (id: string) => api.get<LicenseKey>(`${base(id)}/key`);

export const useLicenseKey = (id: string, enabled = true) =>
  useQuery({
    queryKey: ['licenses', 'key', id],
    queryFn: ({ signal }) => api.get<LicenseKey>(`${base(id)}/key`, undefined, signal),
    enabled,
    staleTime: Number.POSITIVE_INFINITY,
  });

export const checkOutLicenseFile = (id: string) => api.post<LicenseFile>(`${base(id)}/actions/check-out`, {});

export const extendLicense = (id: string, days: number) =>
  api.post<LicenseDetail>(`${base(id)}/actions/extend`, { days });

export const runLicenseAction = (id: string, action: LicenseAction) =>
  api.post<LicenseDetail>(`${base(id)}/actions/${action}`);

export const setLicenseExpiry = (id: string, endsAt: string | null) =>
  api.post<LicenseDetail>(`${base(id)}/actions/set-expiry`, { endsAt });

export const deleteLicense = (id: string) => api.delete(base(id));

/** After any change: the lists, this license, its audit trail and the Home counters are stale. */
export function useInvalidateLicense() {
  const queryClient = useQueryClient();
  return (id?: string, updated?: LicenseDetail) => {
    if (id && updated) queryClient.setQueryData(['licenses', 'detail', id], updated);
    void queryClient.invalidateQueries({ queryKey: ['licenses'] });
    void queryClient.invalidateQueries({ queryKey: ['stats'] });
    void queryClient.invalidateQueries({ queryKey: ['accounts'] });
    if (id) void queryClient.invalidateQueries({ queryKey: ['license-audit', id] });
  };
}

export function useUpdateLicense(id: string) {
  const invalidate = useInvalidateLicense();
  return useMutation({
    mutationFn: (input: { notes?: string }) => api.patch<LicenseDetail>(base(id), input),
    onSuccess: (license) => invalidate(id, license),
  });
}

export function useCreateLicense() {
  const invalidate = useInvalidateLicense();
  return useMutation({
    mutationFn: (input: CreateLicenseInput) => api.post<LicenseDetail>('/v1/licenses', input),
    onSuccess: (license) => invalidate(license.id, license),
  });
}

export const useLicenseMachines = (id: string) =>
  useQuery({
    queryKey: ['licenses', 'machines', id],
    queryFn: ({ signal }) => api.get<Page<Machine>>(`${base(id)}/machines`, { limit: 100 }, signal),
  });

export function useDeactivateMachine(licenseId: string) {
  const invalidate = useInvalidateLicense();
  return useMutation({
    mutationFn: (machineId: string) => api.delete(`/v1/machines/${machineId}`),
    onSuccess: () => invalidate(licenseId),
  });
}

export const useLicenseAudit = (id: string) =>
  useInfiniteQuery({
    queryKey: ['license-audit', id],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) =>
      api.get<Page<AuditEvent>>(`${base(id)}/audit-events`, { limit: 20, cursor: pageParam }, signal),
    getNextPageParam: (last) => last.nextCursor,
  });

/** Every plan (a catalog has a handful; one page of 500). */
export const usePlans = () =>
  useQuery({
    queryKey: ['plans', 'all'],
    queryFn: ({ signal }) => api.get<Page<Plan>>('/v1/plans', { limit: 500 }, signal),
    staleTime: 5 * 60_000,
  });

export const useProducts = () =>
  useQuery({
    queryKey: ['products', 'all'],
    queryFn: ({ signal }) => api.get<Page<Product>>('/v1/products', { limit: 500 }, signal),
    staleTime: 5 * 60_000,
  });

/** Accounts matching a search, for pickers. */
export const useAccountSearch = (q: string) =>
  useQuery({
    queryKey: ['accounts', 'search', q],
    queryFn: ({ signal }) =>
      api.get<Page<Account>>('/v1/accounts', { q: q.trim() || undefined, limit: 20, sort: 'name' }, signal),
    placeholderData: keepPreviousData,
  });

export const useAccountById = (id: string | null) =>
  useQuery({
    queryKey: ['accounts', 'detail', id],
    queryFn: ({ signal }) => api.get<Account>(`/v1/accounts/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
