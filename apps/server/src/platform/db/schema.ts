import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { UnboundCheckoutsTable } from './schema-offline.ts';

/** Kysely table types; they mirror migrations/*.sql exactly. */
export type LicenseType = 'trial' | 'subscription' | 'perpetual' | 'custom';
export type ExpirationStrategy = 'restrict' | 'revoke' | 'maintain' | 'allow';
export type TokenRole = 'admin' | 'read-only' | 'product' | 'client';
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
  base_plan_id: Generated<string | null>;
  max_offline_seconds: Generated<number>;
  max_unbound_files: Generated<number | null>;
  require_nonce: Generated<boolean>;
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
  /** The key chain (migration 007): the key this one replaced, and its b64url signature of this key. */
  endorsed_by: Generated<string | null>;
  endorsement: Generated<string | null>;
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

/** Failed sign-ins per (email, client address) and the block they caused (006, docs/dashboard-auth.md). */
export interface SignInThrottleTable {
  email_hash: string;
  ip: string;
  failures: Generated<number>;
  blocked_until: Date | null;
  updated_at: Date;
}

export interface OutboxMailTable {
  id: Generated<string>;
  to: string;
  subject: string;
  body: string;
  created_at: Date;
  sent_at: Date | null;
}

export type PropertyType = 'boolean' | 'number' | 'enum' | 'json';
export type Enforcement = 'hard' | 'soft';
export type ResetPeriod = 'none' | 'daily' | 'monthly' | 'yearly';

export interface PropertiesTable {
  id: Generated<string>;
  product_id: string;
  key: string;
  name: string;
  description: Generated<string>;
  type: PropertyType;
  default_value: JsonOf<unknown>;
  options: Generated<string[]>;
  multiple: Generated<boolean>;
  enforcement: Enforcement | null;
  warning_threshold_percent: number | null;
  metered: Generated<boolean>;
  reset_period: Generated<ResetPeriod>;
  unit: Generated<string>;
  created_at: Date;
  updated_at: Date;
}

export interface PlanPropertyValuesTable {
  plan_id: string;
  property_id: string;
  value: JsonOf<unknown>;
  enforcement: Enforcement | null;
  inherits_value: Generated<boolean>;
  updated_at: Date;
}

export interface PropertyOverridesTable {
  id: Generated<string>;
  property_id: string;
  account_id: string | null;
  license_id: string | null;
  value: JsonOf<unknown>;
  enforcement: Enforcement | null;
  reason: string;
  author_id: string | null;
  author_name: string;
  expires_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export interface UsageCountersTable {
  license_id: string;
  property_id: string;
  period_start: Date;
  used: number;
  updated_at: Date;
}

export type UsageOp = 'increment' | 'decrement' | 'set' | 'reset';

export interface UsageEventsTable {
  id: ColumnType<number, never, never>;
  license_id: string;
  property_id: string;
  period_start: Date;
  op: UsageOp;
  amount: number;
  accepted: boolean;
  used_after: number;
  usage_limit: number | null;
  enforcement: Enforcement;
  code: string;
  idempotency_key: string | null;
  source: 'client' | 'admin';
  actor_name: string;
  at: Date;
}

export interface FlagSegmentsTable {
  id: ColumnType<number, never, never>;
  product_id: string;
  name: string;
  description: Generated<string>;
  constraints: JsonOf<unknown[]>;
  created_at: Date;
  updated_at: Date;
}

export type FlagType = 'release' | 'experiment' | 'operational' | 'kill-switch' | 'permission';

export interface FlagsTable {
  id: Generated<string>;
  product_id: string;
  key: string;
  description: Generated<string>;
  type: Generated<FlagType>;
  enabled: Generated<boolean>;
  strategies: JsonOf<unknown[]>;
  variants: JsonOf<unknown[]>;
  dependencies: JsonOf<unknown[]>;
  impression_data: Generated<boolean>;
  version: Generated<number>;
  created_at: Date;
  updated_at: Date;
}

export interface FlagTogglesTable {
  flag_id: string;
  scope: 'account' | 'license';
  target_id: string;
  enabled: boolean;
  reason: Generated<string>;
  author_id: string | null;
  author_name: string;
  created_at: Date;
  updated_at: Date;
}

export interface FlagClientsTable {
  token_id: string;
  app_name: string;
  instance_id: string;
  sdk_version: Generated<string>;
  strategies: JsonOf<unknown[]>;
  interval_ms: number | null;
  started_at: Date | null;
  registered_at: Date;
  last_seen_at: Date;
}

export interface FlagMetricsTable {
  product_id: string;
  flag_key: string;
  hour: Date;
  yes: Generated<number>;
  no: Generated<number>;
  variants: JsonOf<Record<string, number>>;
}

export type JobTrigger = 'schedule' | 'manual';
export type JobStatus = 'running' | 'succeeded' | 'failed';

export interface JobRunsTable {
  job: string;
  slot: Date;
  trigger: JobTrigger;
  owner: string;
  status: JobStatus;
  started_at: Date;
  finished_at: Date | null;
  result: JsonOf<Record<string, unknown>> | null;
  error: string | null;
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
  sign_in_throttle: SignInThrottleTable;
  properties: PropertiesTable;
  plan_property_values: PlanPropertyValuesTable;
  property_overrides: PropertyOverridesTable;
  usage_counters: UsageCountersTable;
  usage_events: UsageEventsTable;
  flag_segments: FlagSegmentsTable;
  flags: FlagsTable;
  flag_toggles: FlagTogglesTable;
  flag_clients: FlagClientsTable;
  flag_metrics: FlagMetricsTable;
  job_runs: JobRunsTable;
  unbound_checkouts: UnboundCheckoutsTable;
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
