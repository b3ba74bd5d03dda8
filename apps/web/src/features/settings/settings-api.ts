import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { LicenseType, Page } from '../../api/types.ts';
import type { Role } from '../../auth/types.ts';

export interface StaffUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  createdAt: string;
  updatedAt: string;
  lastSignInAt: string | null;
}

export type TokenRole = 'admin' | 'read-only' | 'product';
export interface ApiToken {
  id: string;
  name: string;
  role: TokenRole;
  productId: string | null;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface Product {
  id: string;
  code: string;
  name: string;
  description: string;
  createdAt: string;
  updatedAt: string;
}

export type ExpirationStrategy = 'restrict' | 'revoke' | 'maintain' | 'allow';
export type KeyScheme = 'random' | 'ed25519-signed';

/** The editable fields of a plan (POST/PATCH /v1/plans). */
export interface PlanFields {
  name: string;
  licenseType: LicenseType;
  durationDays: number | null;
  graceDays: number;
  maintenanceDays: number | null;
  maxMachines: number | null;
  floating: boolean;
  heartbeatIntervalSeconds: number | null;
  expirationStrategy: ExpirationStrategy;
  requireFingerprint: boolean;
  requireDomain: boolean;
  entitlements: string[];
  keyScheme: KeyScheme;
  /** Longest license file checked out by key (seconds); longer ones only through the admin API. */
  maxOfflineSeconds: number;
  /** Fingerprint-less files by key valid at once per license; null = the seats, 0 = none. */
  maxUnboundFiles: number | null;
  /** Signed client calls must carry a nonce. */
  requireNonce: boolean;
}

export interface Plan extends PlanFields {
  id: string;
  productId: string;
  product: { id: string; code: string; name: string };
  /** The plan it inherits property values from (same product, one level), or null. */
  basePlanId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Every page of a list (settings lists are short: users, tokens, products, plans). */
async function all<T>(path: string, query: Record<string, string | number | boolean> = {}, signal?: AbortSignal) {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<T> = await api.get<Page<T>>(path, { ...query, limit: 500, cursor }, signal);
    out.push(...page.data);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const KEYS = {
  users: ['settings', 'users'] as const,
  tokens: ['settings', 'tokens'] as const,
  products: ['products', 'all'] as const,
  plans: ['plans', 'all'] as const,
};

export const useUsers = () =>
  useQuery({ queryKey: KEYS.users, queryFn: ({ signal }) => all<StaffUser>('/v1/users', {}, signal) });
export const useTokens = () =>
  useQuery({
    queryKey: KEYS.tokens,
    queryFn: ({ signal }) => all<ApiToken>('/v1/tokens', { includeRevoked: true }, signal),
  });
export const useProducts = () =>
  useQuery({ queryKey: KEYS.products, queryFn: ({ signal }) => all<Product>('/v1/products', {}, signal) });
export const usePlans = () =>
  useQuery({ queryKey: KEYS.plans, queryFn: ({ signal }) => all<Plan>('/v1/plans', {}, signal) });

/** A mutation that refreshes the given lists (and the audit log) when it succeeds. */
function useWrite<I, O>(fn: (input: I) => Promise<O>, ...lists: (readonly string[])[]) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      for (const key of lists) void queryClient.invalidateQueries({ queryKey: key });
      void queryClient.invalidateQueries({ queryKey: ['audit'] });
    },
  });
}

export interface NewUser {
  email: string;
  name: string;
  role: Role;
  password?: string;
}
export const useCreateUser = () => useWrite((input: NewUser) => api.post<StaffUser>('/v1/users', input), KEYS.users);
export const useUpdateUser = () =>
  useWrite(
    ({ id, ...patch }: { id: string } & Partial<Pick<StaffUser, 'email' | 'name' | 'role' | 'disabled'>>) =>
      api.patch<StaffUser>(`/v1/users/${id}`, patch),
    KEYS.users,
  );

export interface NewToken {
  name: string;
  role: TokenRole;
  productId?: string;
  expiresAt?: string;
}
export const useCreateToken = () =>
  useWrite((input: NewToken) => api.post<{ token: ApiToken; secret: string }>('/v1/tokens', input), KEYS.tokens);
export const useRevokeToken = () => useWrite((id: string) => api.delete<ApiToken>(`/v1/tokens/${id}`), KEYS.tokens);

export const useSaveProduct = () =>
  useWrite(
    ({ id, code, ...input }: { id?: string; code: string; name: string; description: string }) =>
      id ? api.patch<Product>(`/v1/products/${id}`, input) : api.post<Product>('/v1/products', { code, ...input }),
    KEYS.products,
    KEYS.plans,
  );

export const useSavePlan = () =>
  useWrite(
    ({ id, productId, ...fields }: { id?: string; productId: string } & PlanFields) =>
      id ? api.patch<Plan>(`/v1/plans/${id}`, fields) : api.post<Plan>('/v1/plans', { productId, ...fields }),
    KEYS.plans,
  );
