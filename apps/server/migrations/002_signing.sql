-- Signing keys (Ed25519) for signed responses, license files and signed license keys; see docs/license-files.md.
-- Private keys are stored encrypted (AES-256-GCM under HKDF-SHA-256(KEYWARD_SECRET, kid)); public keys as raw b64.

CREATE TABLE signing_keys (
  -- b64url(SHA-256(raw public key)), first 16 characters: a verifier can recompute it.
  kid text PRIMARY KEY,
  algorithm text NOT NULL DEFAULT 'Ed25519' CHECK (algorithm = 'Ed25519'),
  -- b64 of the raw 32-byte public key.
  public_key text NOT NULL,
  -- 'v1.' + b64url(iv) + '.' + b64url(ciphertext of the PKCS#8 DER private key) + '.' + b64url(tag).
  private_key_enc text NOT NULL,
  created_at timestamptz NOT NULL,
  active boolean NOT NULL DEFAULT false,
  retired_at timestamptz,
  CONSTRAINT signing_keys_kid_format CHECK (kid ~ '^[A-Za-z0-9_-]{16}$'),
  CONSTRAINT signing_keys_active_not_retired CHECK (NOT (active AND retired_at IS NOT NULL))
);
-- At most one active (signing) key; older keys stay for verification.
CREATE UNIQUE INDEX signing_keys_one_active ON signing_keys (active) WHERE active;

-- How a plan's license keys are made: random (checked online) or Ed25519-signed (verifiable offline).
ALTER TABLE plans ADD COLUMN key_scheme text NOT NULL DEFAULT 'random'
  CHECK (key_scheme IN ('random', 'ed25519-signed'));
