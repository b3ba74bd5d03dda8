import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types; they mirror migrations/*.sql exactly. */
export type LicenseType = 'trial' | 'subscription' | 'perpetual' | 'custom';
export type ExpirationStrategy = 'restrict' | 'revoke' | 'maintain' | 'allow';
export type TokenRole = 'admin' | 'read-only' | 'product';

type Json = ColumnType<unknown, string, string>;
type JsonOf<T> = ColumnType<T, string, string>;

export interface ProductsTable {
  id: Generated<string>;
  code: string;
  name: string;
  description: Generated<string>;
  created_at: Date;
  updated_at: Date;
}

export interface PlansTable {
  id: Generated<string>;
  product_id: string;
  name: string;
  license_type: LicenseType;
  duration_days: number | null;
  grace_days: Generated<number>;
  maintenance_days: number | null;
  max_machines: number | null;
  floating: Generated<boolean>;
  heartbeat_interval_seconds: number | null;
  expiration_strategy: Generated<ExpirationStrategy>;
  require_fingerprint: Generated<boolean>;
  require_domain: Generated<boolean>;
  entitlements: Generated<string[]>;
  created_at: Date;
  updated_at: Date;
}

export interface Contact {
  name: string;
  email: string;
  role: string;
}

export interface AccountsTable {
  id: Generated<string>;
  name: string;
  email_domains: Generated<string[]>;
  contacts: ColumnType<Contact[], string | undefined, string>;
  crm_id: string | null;
  notes: Generated<string>;
  created_at: Date;
  updated_at: Date;
}

export interface Billing {
  invoiceUrl?: string | null;
  paymentStatus?: string | null;
  purchaseMethod?: string | null;
  orderReference?: string | null;
}

export interface LicensesTable {
  id: Generated<string>;
  key: string;
  name: Generated<string>;
  product_id: string;
  plan_id: string;
  account_id: string;
  license_type: LicenseType;
  starts_at: Date;
  ends_at: Date | null;
  maintenance_ends_at: Date | null;
  max_machines: number | null;
  domains: Generated<string[]>;
  entitlements: Generated<string[]>;
  billing: ColumnType<Billing, string | undefined, string>;
  metadata: ColumnType<Record<string, unknown>, string | undefined, string>;
  notes: Generated<string>;
  suspended: Generated<boolean>;
  revoked: Generated<boolean>;
  last_validated_at: Date | null;
  validation_count: ColumnType<string | number, never, never>;
  created_at: Date;
  updated_at: Date;
}

export interface MachinesTable {
  id: Generated<string>;
  license_id: string;
  fingerprint: string;
  hostname: string | null;
  platform: string | null;
  ip: string | null;
  created_at: Date;
  last_heartbeat_at: Date | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  role: TokenRole;
  product_id: string | null;
  token_hash: string;
  token_prefix: string;
  created_at: Date;
  expires_at: Date | null;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditEventsTable {
  id: ColumnType<string, never, never>;
  at: Date;
  actor_type: string;
  actor_id: string | null;
  actor_name: string;
  action: string;
  target_type: string;
  target_id: string;
  product_id: string | null;
  account_id: string | null;
  license_id: string | null;
  before: Json | null;
  after: Json | null;
  request_id: string | null;
}

export interface RateLimitCountersTable {
  bucket: string;
  window_start: Date;
  hits: number;
}

export interface InstanceSettingsTable {
  key: string;
  value: JsonOf<unknown>;
  updated_at: Date;
}

export interface DB {
  products: ProductsTable;
  plans: PlansTable;
  accounts: AccountsTable;
  licenses: LicensesTable;
  machines: MachinesTable;
  api_tokens: ApiTokensTable;
  audit_events: AuditEventsTable;
  rate_limit_counters: RateLimitCountersTable;
  instance_settings: InstanceSettingsTable;
}

export type ProductRow = Selectable<ProductsTable>;
export type PlanRow = Selectable<PlansTable>;
export type AccountRow = Selectable<AccountsTable>;
export type LicenseRow = Selectable<LicensesTable>;
export type MachineRow = Selectable<MachinesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type NewLicense = Insertable<LicensesTable>;
export type LicenseUpdate = Updateable<LicensesTable>;
