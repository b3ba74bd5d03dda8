-- Sign-in throttling per (email, client address) replaces the per-user lockout (docs/dashboard-auth.md, "Sign-in and
-- brute force"). The lockout told which emails exist (423 for known users, 401 for unknown ones) and let anyone keep
-- a user out with 5 wrong passwords per 15 minutes. Rows exist for known and unknown emails alike.
CREATE TABLE sign_in_throttle (
  -- SHA-256 (hex) of the lower-cased email as typed (people sometimes type a password there: never stored in clear).
  email_hash text NOT NULL,
  -- The client address as the server sees it (KEYWARD_TRUST_PROXY decides whether X-Forwarded-For counts).
  ip text NOT NULL,
  -- Failed sign-ins of this email from this address since the last success (forgotten 24 h after the last one).
  failures integer NOT NULL DEFAULT 0 CHECK (failures >= 0),
  -- Attempts of this email from this address are refused (429) until then.
  blocked_until timestamptz,
  -- Last failure (or creation of the row); the hourly cleanup deletes rows idle for 24 hours.
  updated_at timestamptz NOT NULL,
  PRIMARY KEY (email_hash, ip)
);
CREATE INDEX sign_in_throttle_updated_idx ON sign_in_throttle (updated_at);

ALTER TABLE users DROP COLUMN failed_logins, DROP COLUMN locked_until;
