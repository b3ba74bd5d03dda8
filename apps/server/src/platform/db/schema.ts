import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** Kysely table types; they mirror migrations/*.sql exactly. */
export type LicenseType = 'trial' | 'subscription' | 'perpetual' | 'custom';
export type ExpirationStrategy = 'restrict' | 'revoke' | 'maintain' | 'allow';
export type TokenRole = 'admin' | 'read-only' | 'product';
export type KeyScheme = 'random' | 'ed25519-signed';

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
  key_scheme: Generated<KeyScheme>;
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

export interface SigningKeysTable {
  kid: string;
  algorithm: Generated<'Ed25519'>;
  public_key: string;
  private_key_enc: string;
  created_at: Date;
  active: Generated<boolean>;
  retired_at: Date | null;
}

export interface InstanceSettingsTable {
  key: string;
  value: JsonOf<unknown>;
  updated_at: Date;
}

export type UserRole = 'admin' | 'account_manager' | 'support' | 'read_only';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  role: UserRole;
  password_hash: string | null;
  disabled: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  created_at: Date;
  updated_at: Date;
  last_sign_in_at: Date | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  csrf_token_hash: string;
  created_at: Date;
  expires_at: Date;
  last_seen_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface PasswordResetsTable {
  token_hash: string;
  user_id: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface OutboxMailTable {
  id: Generated<string>;
  to: string;
  subject: string;
  body: string;
  created_at: Date;
  sent_at: Date | null;
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
  signing_keys: SigningKeysTable;
  users: UsersTable;
  sessions: SessionsTable;
  password_resets: PasswordResetsTable;
  outbox_mail: OutboxMailTable;
}

export type ProductRow = Selectable<ProductsTable>;
export type PlanRow = Selectable<PlansTable>;
export type AccountRow = Selectable<AccountsTable>;
export type LicenseRow = Selectable<LicensesTable>;
export type MachineRow = Selectable<MachinesTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;
export type SigningKeyRow = Selectable<SigningKeysTable>;
export type UserRow = Selectable<UsersTable>;
export type NewLicense = Insertable<LicensesTable>;
export type LicenseUpdate = Updateable<LicensesTable>;
