-- Offline licensing hardening (docs/license-files.md): per-plan offline limits and nonce requirement, the
-- fingerprint-less check-outs by key that count against a plan's limit, and the signing-key chain.

-- The longest license file a key holder may check out (POST /v1/licenses/check-out); longer ones only through the
-- admin API (audited). Default 30 days.
ALTER TABLE plans ADD COLUMN max_offline_seconds integer NOT NULL DEFAULT 2592000
  CHECK (max_offline_seconds BETWEEN 3600 AND 315360000);
-- How many fingerprint-less license files checked out by key may be valid at one time per license: 0 = none (bind
-- files to an activated machine), null = as many as the license has seats.
ALTER TABLE plans ADD COLUMN max_unbound_files integer CHECK (max_unbound_files BETWEEN 0 AND 1000000);
-- Signed client calls of this plan's licenses must send a nonce.
ALTER TABLE plans ADD COLUMN require_nonce boolean NOT NULL DEFAULT false;

-- One row per fingerprint-less license file checked out by key, counted until the file expires.
CREATE TABLE unbound_checkouts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  license_id uuid NOT NULL REFERENCES licenses (id) ON DELETE CASCADE,
  kid text NOT NULL,
  issued_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  CONSTRAINT unbound_checkouts_dates CHECK (expires_at > issued_at)
);
CREATE INDEX unbound_checkouts_license_idx ON unbound_checkouts (license_id, expires_at);

-- The key chain: each key made by a rotation is signed by the key it replaced (when that key could still be
-- decrypted), so a verifier that trusts the old key can trust the new one. b64url of the Ed25519 signature over
-- `keyward-key-endorsement/1/<endorsed_by>/<kid>/<public_key>`.
ALTER TABLE signing_keys ADD COLUMN endorsed_by text REFERENCES signing_keys (kid);
ALTER TABLE signing_keys ADD COLUMN endorsement text;
ALTER TABLE signing_keys ADD CONSTRAINT signing_keys_endorsement_pair
  CHECK ((endorsed_by IS NULL) = (endorsement IS NULL));
