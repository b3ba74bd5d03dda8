-- Entitlements (typed properties, plan values, overrides), usage metering and feature flags (issue #4).
-- See docs/entitlements.md and docs/feature-flags.md.

-- A plan may be based on another plan of the same product (one level): it inherits the base plan's property values
-- and overrides some of them ("Trial = Business, but with soft limits").
ALTER TABLE plans ADD COLUMN base_plan_id uuid REFERENCES plans (id) ON DELETE RESTRICT;
ALTER TABLE plans ADD CONSTRAINT plans_base_not_self CHECK (base_plan_id IS NULL OR base_plan_id <> id);

-- What a license of a product can be granted: a feature switch, a limit, a choice among options or a JSON config.
CREATE TABLE properties (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  -- Stable identifier used by the API, the SDK and license files, e.g. `api_calls`, `sso`, `export.formats`.
  key text NOT NULL,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  type text NOT NULL CHECK (type IN ('boolean', 'number', 'enum', 'json')),
  -- The value when neither a plan nor an override sets one; typed by `type` (checked by the service).
  default_value jsonb NOT NULL,
  -- enum: the allowed options; with `multiple` a value is a subset (array) of them, otherwise one option.
  options text[] NOT NULL DEFAULT '{}',
  multiple boolean NOT NULL DEFAULT false,
  -- number: how the limit is enforced (hard: refused beyond it; soft: allowed, reported) and when to warn (percent).
  enforcement text CHECK (enforcement IN ('hard', 'soft')),
  warning_threshold_percent integer CHECK (warning_threshold_percent BETWEEN 1 AND 100),
  -- number: usage is metered against the limit, reset on this period (anchored to the license start).
  metered boolean NOT NULL DEFAULT false,
  reset_period text NOT NULL DEFAULT 'none' CHECK (reset_period IN ('none', 'daily', 'monthly', 'yearly')),
  unit text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT properties_product_key_key UNIQUE (product_id, key),
  CONSTRAINT properties_key_format CHECK (key ~ '^[a-z][a-z0-9_.-]{0,63}$'),
  CONSTRAINT properties_number_only CHECK (
    type = 'number' OR (enforcement IS NULL AND warning_threshold_percent IS NULL AND NOT metered)
  )
);

-- A plan's value for a property (plans are templates of property values).
CREATE TABLE plan_property_values (
  plan_id uuid NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
  property_id uuid NOT NULL REFERENCES properties (id) ON DELETE RESTRICT,
  value jsonb NOT NULL,
  -- number: overrides the property's enforcement for licenses of this plan (e.g. soft limits on a trial).
  enforcement text CHECK (enforcement IN ('hard', 'soft')),
  -- true: this row only sets the enforcement; the value is inherited (base plan, else default). `value` is then null.
  inherits_value boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (plan_id, property_id),
  CONSTRAINT plan_property_values_inherit_sets_enforcement CHECK (NOT inherits_value OR enforcement IS NOT NULL)
);
CREATE INDEX plan_property_values_property_idx ON plan_property_values (property_id);

-- Per-account or per-license values: "300 calls for this customer until June".
CREATE TABLE property_overrides (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  property_id uuid NOT NULL REFERENCES properties (id) ON DELETE RESTRICT,
  account_id uuid REFERENCES accounts (id) ON DELETE CASCADE,
  license_id uuid REFERENCES licenses (id) ON DELETE CASCADE,
  value jsonb NOT NULL,
  enforcement text CHECK (enforcement IN ('hard', 'soft')),
  reason text NOT NULL,
  author_id text,
  author_name text NOT NULL,
  expires_at timestamptz,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT property_overrides_one_target CHECK ((account_id IS NULL) <> (license_id IS NULL)),
  CONSTRAINT property_overrides_reason_present CHECK (length(btrim(reason)) > 0)
);
CREATE UNIQUE INDEX property_overrides_account_key ON property_overrides (property_id, account_id)
  WHERE account_id IS NOT NULL;
CREATE UNIQUE INDEX property_overrides_license_key ON property_overrides (property_id, license_id)
  WHERE license_id IS NOT NULL;
CREATE INDEX property_overrides_account_idx ON property_overrides (account_id) WHERE account_id IS NOT NULL;
CREATE INDEX property_overrides_license_idx ON property_overrides (license_id) WHERE license_id IS NOT NULL;

-- Usage of a metered property by a license in one period (period_start = start of the reset period; for
-- reset_period none the license's start). One row per period keeps the history of past periods.
CREATE TABLE usage_counters (
  license_id uuid NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
  property_id uuid NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
  period_start timestamptz NOT NULL,
  used bigint NOT NULL CHECK (used >= 0),
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (license_id, property_id, period_start)
);

-- Every metering call (accepted or refused): the usage history, and the idempotency record.
CREATE TABLE usage_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  license_id uuid NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
  property_id uuid NOT NULL REFERENCES properties (id) ON DELETE CASCADE,
  period_start timestamptz NOT NULL,
  op text NOT NULL CHECK (op IN ('increment', 'decrement', 'set', 'reset')),
  amount bigint NOT NULL,
  accepted boolean NOT NULL,
  -- The counter after the call (unchanged when refused).
  used_after bigint NOT NULL,
  -- The limit and its enforcement the call was metered against (null limit = unlimited): history and idempotent
  -- replays answer with the numbers of the original call.
  usage_limit bigint,
  enforcement text NOT NULL CHECK (enforcement IN ('hard', 'soft')),
  code text NOT NULL,
  idempotency_key text,
  source text NOT NULL CHECK (source IN ('client', 'admin')),
  actor_name text NOT NULL,
  at timestamptz NOT NULL
);
CREATE UNIQUE INDEX usage_events_idempotency_key ON usage_events (license_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX usage_events_license_idx ON usage_events (license_id, property_id, id DESC);

-- Reusable constraint sets of a product's flags (Unleash segments; integer ids as in the Unleash client API).
CREATE TABLE flag_segments (
  id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  name text NOT NULL,
  description text NOT NULL DEFAULT '',
  constraints jsonb NOT NULL DEFAULT '[]',
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT flag_segments_product_name_key UNIQUE (product_id, name)
);

-- Feature flags of a product, in the Unleash model (strategies, constraints, variants, dependencies).
CREATE TABLE flags (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE RESTRICT,
  -- The flag name the SDKs use (Unleash `name`).
  key text NOT NULL,
  description text NOT NULL DEFAULT '',
  type text NOT NULL DEFAULT 'release'
    CHECK (type IN ('release', 'experiment', 'operational', 'kill-switch', 'permission')),
  enabled boolean NOT NULL DEFAULT false,
  strategies jsonb NOT NULL DEFAULT '[]',
  variants jsonb NOT NULL DEFAULT '[]',
  dependencies jsonb NOT NULL DEFAULT '[]',
  impression_data boolean NOT NULL DEFAULT false,
  -- Bumped on every change of the flag or its per-customer toggles (ETag of the Unleash client API).
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  CONSTRAINT flags_product_key_key UNIQUE (product_id, key),
  CONSTRAINT flags_key_format CHECK (key ~ '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$')
);

-- The account team's switch: a flag forced on or off for one account or one license (O(1) lookups, not IN lists).
CREATE TABLE flag_toggles (
  flag_id uuid NOT NULL REFERENCES flags (id) ON DELETE RESTRICT,
  scope text NOT NULL CHECK (scope IN ('account', 'license')),
  target_id uuid NOT NULL,
  enabled boolean NOT NULL,
  reason text NOT NULL DEFAULT '',
  author_id text,
  author_name text NOT NULL,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (flag_id, scope, target_id)
);
CREATE INDEX flag_toggles_target_idx ON flag_toggles (target_id);

-- A toggle's target is a license or an account (no single foreign key can say that): deleting the target deletes its
-- toggles, whatever code path deletes it.
CREATE FUNCTION flag_toggles_forget_target() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM flag_toggles WHERE scope = TG_ARGV[0] AND target_id = OLD.id;
  RETURN OLD;
END;
$$;
CREATE TRIGGER licenses_forget_flag_toggles AFTER DELETE ON licenses
  FOR EACH ROW EXECUTE FUNCTION flag_toggles_forget_target('license');
CREATE TRIGGER accounts_forget_flag_toggles AFTER DELETE ON accounts
  FOR EACH ROW EXECUTE FUNCTION flag_toggles_forget_target('account');

-- Client tokens (role `client`) read one product's flags through the Unleash client API (/api/client/*).
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_role_check;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_role_check CHECK (role IN ('admin', 'read-only', 'product', 'client'));
ALTER TABLE api_tokens DROP CONSTRAINT api_tokens_product_role;
ALTER TABLE api_tokens ADD CONSTRAINT api_tokens_product_role
  CHECK ((role IN ('product', 'client')) = (product_id IS NOT NULL));

-- Instances of Unleash SDKs that registered (POST /api/client/register) and their reported metrics.
CREATE TABLE flag_clients (
  token_id uuid NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
  app_name text NOT NULL,
  instance_id text NOT NULL,
  sdk_version text NOT NULL DEFAULT '',
  strategies jsonb NOT NULL DEFAULT '[]',
  interval_ms integer,
  started_at timestamptz,
  registered_at timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  PRIMARY KEY (token_id, app_name, instance_id)
);

-- Flag evaluation counts reported by SDKs (POST /api/client/metrics), per flag and hour.
CREATE TABLE flag_metrics (
  product_id uuid NOT NULL REFERENCES products (id) ON DELETE CASCADE,
  flag_key text NOT NULL,
  hour timestamptz NOT NULL,
  yes bigint NOT NULL DEFAULT 0,
  no bigint NOT NULL DEFAULT 0,
  variants jsonb NOT NULL DEFAULT '{}',
  PRIMARY KEY (product_id, flag_key, hour)
);
