/** Response shapes of the admin API (see /openapi.json); only what the dashboard reads. */

export interface Page<T> {
  data: T[];
  nextCursor: string | null;
}

export type LicenseStatus = 'pending' | 'active' | 'expiring' | 'in_grace' | 'expired' | 'suspended' | 'revoked';
export const LICENSE_STATUSES: LicenseStatus[] = [
  'active',
  'expiring',
  'in_grace',
  'expired',
  'suspended',
  'revoked',
  'pending',
];

export type LicenseType = 'trial' | 'subscription' | 'perpetual' | 'custom';

export interface Contact {
  name: string;
  email: string;
  role: string;
}

export interface Account {
  id: string;
  name: string;
  emailDomains: string[];
  contacts: Contact[];
  crmId: string | null;
  notes: string;
  licenseCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface License {
  id: string;
  key: string;
  name: string;
  product: { id: string; code: string; name: string };
  plan: { id: string; name: string; expirationStrategy: string };
  account: { id: string; name: string; crmId: string | null };
  licenseType: LicenseType;
  status: LicenseStatus;
  startsAt: string;
  endsAt: string | null;
  graceEndsAt: string | null;
  maintenanceEndsAt: string | null;
  maxMachines: number | null;
  machineCount: number;
  domains: string[];
  entitlements: string[];
  notes: string;
  suspended: boolean;
  revoked: boolean;
  lastValidatedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Machine {
  id: string;
  licenseId: string;
  fingerprint: string;
  hostname: string | null;
  platform: string | null;
  ip: string | null;
  createdAt: string;
  lastHeartbeatAt: string | null;
}

export interface AuditEvent {
  id: string;
  at: string;
  actor: { type: string; id: string | null; name: string };
  action: string;
  target: { type: string; id: string };
  productId: string | null;
  accountId: string | null;
  licenseId: string | null;
  before: unknown;
  after: unknown;
  requestId: string | null;
}

export interface EndingWithin {
  days: number;
  count: number;
  before: string;
}

export interface StatsOverview {
  asOf: string;
  expiringWindowDays: number;
  licensesByStatus: Record<LicenseStatus, number>;
  activeLicenses: number;
  trialsEnding: EndingWithin[];
  expiring: EndingWithin[];
  expiringByWeek: { weekStart: string; count: number }[];
  renewals: { monthStart: string; renewed: number; extended: number; byMonth: { month: string; count: number }[] };
  seatsInUse: number;
}

export interface AccountHit {
  id: string;
  name: string;
  crmId: string | null;
  emailDomains: string[];
  match: { field: 'name' | 'crmId' | 'domain' | 'contactEmail'; value: string };
}

export interface LicenseHit {
  id: string;
  key: string;
  name: string;
  status: LicenseStatus;
  productCode: string;
  account: { id: string; name: string };
  endsAt: string | null;
  match: { field: 'key' | 'name' | 'domain'; value: string };
}

export interface SearchResults {
  accounts: AccountHit[];
  licenses: LicenseHit[];
}
