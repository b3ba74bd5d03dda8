/** Request and response shapes of the client API (docs/client-api.md). */
import type { LicenseFileAlg, LicenseFileResult } from './license-file.ts';
import type { PublicKeyEntry } from './public-keys.ts';

export type ValidationCode =
  | 'VALID'
  | 'NOT_FOUND'
  | 'MALFORMED_KEY'
  | 'NOT_YET_VALID'
  | 'EXPIRED'
  | 'IN_GRACE_PERIOD'
  | 'SUSPENDED'
  | 'REVOKED'
  | 'PRODUCT_SCOPE_MISMATCH'
  | 'MAINTENANCE_EXPIRED'
  | 'FINGERPRINT_SCOPE_REQUIRED'
  | 'FINGERPRINT_SCOPE_MISMATCH'
  | 'NO_MACHINE'
  | 'TOO_MANY_MACHINES'
  | 'HEARTBEAT_DEAD'
  | 'DOMAIN_SCOPE_REQUIRED'
  | 'DOMAIN_SCOPE_MISMATCH'
  | 'ENTITLEMENTS_MISSING';

export interface ValidationScope {
  product?: string;
  fingerprint?: string;
  domain?: string;
  entitlements?: string[];
  releasedAt?: string;
}

export interface ValidationResult {
  valid: boolean;
  code: ValidationCode;
  detail: string;
  license: Record<string, unknown> | null;
  meta: { ts: string; nonce: string | number | null; scope: ValidationScope | null };
}

export interface MachineInput {
  key: string;
  fingerprint: string;
  hostname?: string;
  platform?: string;
}

export type MachineKeyInput = Pick<MachineInput, 'key' | 'fingerprint'>;

export interface ActivationResult {
  machine: Record<string, unknown>;
  license: Record<string, unknown>;
}

export interface HeartbeatResult {
  machine: Record<string, unknown>;
  /** Send the next heartbeat before this (null: the plan needs none). */
  nextHeartbeatDueAt: string | null;
}

export interface CheckOutInput {
  key: string;
  /** Bind the file to this (activated) machine. */
  fingerprint?: string;
  /** The file's TTL (meta.expiresAt = issuedAt + ttl); the server's default is 30 days. */
  ttlSeconds?: number;
  /** Encrypt the payload with the license key (and fingerprint). */
  encrypt?: boolean;
  /**
   * Verify the file after download (default: true when the client verifies signatures): the result is in
   * `verification`; a file whose signature does not verify throws SIGNATURE_INVALID.
   */
  verify?: boolean;
}

export interface CheckOutResult {
  /** The armored license file: store it and verify it offline with verifyLicenseFile. */
  certificate: string;
  alg: LicenseFileAlg;
  kid: string;
  issuedAt: string;
  expiresAt: string;
  ttlSeconds: number;
  /** The offline verification of the downloaded file (null when `verify` was off). */
  verification: LicenseFileResult | null;
}

export interface PublicKeysResponse {
  keys: PublicKeyEntry[];
}
