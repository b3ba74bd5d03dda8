-- Keyward core schema: products, plans, accounts, licenses, machines, API tokens, audit events, rate limits.
-- Plain PostgreSQL; runs unchanged on PGlite and on PostgreSQL >= 13.

CREATE TABLE products (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT products_code_key UNIQUE (code),
  CONSTRAINT products_code_format CHECK (code ~ '^[A-Z][A-Z0-9]{1,11}$')
);

CREATE TABLE plans (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  name text NOT NULL,
  license_type text NOT NULL CHECK (license_type IN ('trial', 'subscription', 'perpetual', 'custom')),
  duration_days integer CHECK (duration_days > 0),
  grace_days integer NOT NULL DEFAULT 0 CHECK (grace_days >= 0),
  maintenance_days integer CHECK (maintenance_days > 0),
  max_machines integer CHECK (max_machines > 0),
  floating boolean NOT NULL DEFAULT true,
  heartbeat_interval_seconds integer CHECK (heartbeat_interval_seconds >= 60),
  expiration_strategy text NOT NULL DEFAULT 'restrict'
    CHECK (expiration_strategy IN ('restrict', 'revoke', 'maintain', 'allow')),
  require_fingerprint boolean NOT NULL DEFAULT false,
  require_domain boolean NOT NULL DEFAULT false,
  -- Entitlement codes (Keygen-style) a license of this plan carries; validate-key can require them in its scope.
  entitlements text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT plans_product_name_key UNIQUE (product_id, name)
);

CREATE TABLE accounts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  email_domains text[] NOT NULL DEFAULT '{}',
  contacts jsonb NOT NULL DEFAULT '[]',
  crm_id text,
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT accounts_crm_id_key UNIQUE (crm_id)
);
CREATE INDEX accounts_name_lower_idx ON accounts (lower(name));
CREATE INDEX accounts_created_idx ON accounts (created_at, id);

CREATE TABLE licenses (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  key text NOT NULL,
  name text NOT NULL DEFAULT '',
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE RESTRICT,
  account_id uuid NOT NULL REFERENCES accounts (id) ON DELETE RESTRICT,
  license_type text NOT NULL CHECK (license_type IN ('trial', 'subscription', 'perpetual', 'custom')),
  starts_at timestamptz NOT NULL,
  ends_at timestamptz,
  maintenance_ends_at timestamptz,
  max_machines integer CHECK (max_machines > 0),
  domains text[] NOT NULL DEFAULT '{}',
  -- Extra entitlement codes for this license, on top of its plan's.
  entitlements text[] NOT NULL DEFAULT '{}',
  billing jsonb NOT NULL DEFAULT '{}',
  metadata jsonb NOT NULL DEFAULT '{}',
  notes text NOT NULL DEFAULT '',
  suspended boolean NOT NULL DEFAULT false,
  revoked boolean NOT NULL DEFAULT false,
  last_validated_at timestamptz,
  validation_count bigint NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT licenses_key_key UNIQUE (key),
  CONSTRAINT licenses_dates_order CHECK (ends_at IS NULL OR ends_at > starts_at)
);
CREATE INDEX licenses_account_idx ON licenses (account_id);
CREATE INDEX licenses_product_idx ON licenses (product_id);
CREATE INDEX licenses_plan_idx ON licenses (plan_id);
CREATE INDEX licenses_ends_idx ON licenses (ends_at, id);
CREATE INDEX licenses_created_idx ON licenses (created_at, id);

CREATE TABLE machines (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  license_id uuid NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
  fingerprint text NOT NULL,
  hostname text,
  platform text,
  ip text,
  created_at timestamptz NOT NULL,
  last_heartbeat_at timestamptz,
  CONSTRAINT machines_license_fingerprint_key UNIQUE (license_id, fingerprint)
);
CREATE INDEX machines_created_idx ON machines (created_at, id);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'read-only', 'product')),
  product_id uuid REFERENCES products (id) ON DELETE CASCADE,
  token_hash text NOT NULL,
  token_prefix text NOT NULL,
  created_at timestamptz NOT NULL,
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz,
  CONSTRAINT api_tokens_hash_key UNIQUE (token_hash),
  CONSTRAINT api_tokens_product_role CHECK ((role = 'product') = (product_id IS NOT NULL))
);

CREATE TABLE audit_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_type text NOT NULL,
  actor_id text,
  actor_name text NOT NULL,
  action text NOT NULL,
  target_type text NOT NULL,
  target_id text NOT NULL,
  product_id uuid,
  account_id uuid,
  license_id uuid,
  before jsonb,
  after jsonb,
  request_id text
);
CREATE INDEX audit_events_at_idx ON audit_events (at DESC, id DESC);
CREATE INDEX audit_events_license_idx ON audit_events (license_id, id DESC) WHERE license_id IS NOT NULL;
CREATE INDEX audit_events_account_idx ON audit_events (account_id, id DESC) WHERE account_id IS NOT NULL;
CREATE INDEX audit_events_target_idx ON audit_events (target_type, target_id, id DESC);

-- Fixed-window counters shared by every server process (rate limits must hold across processes).
CREATE TABLE rate_limit_counters (
  bucket text NOT NULL,
  window_start timestamptz NOT NULL,
  hits integer NOT NULL,
  PRIMARY KEY (bucket, window_start)
);

-- Small key/value table for instance-wide facts (e.g. whether demo data was seeded).
CREATE TABLE instance_settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL
);
