/** Request and response shapes of the client API (docs/client-api.md). */
import type { FlagBundle, FlagState, UsageState } from './entitlements-types.ts';
import type { PublishedKey } from './key-chain.ts';
import type { LicenseFileAlg, LicenseFileBinding, LicenseFileResult } from './license-file.ts';

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
  /** machine: bound to the fingerprint it was checked out for (servers before envelope version 2 omit it). */
  bind?: LicenseFileBinding;
  kid: string;
  issuedAt: string;
  expiresAt: string;
  ttlSeconds: number;
  /** The offline verification of the downloaded file (null when `verify` was off). */
  verification: LicenseFileResult | null;
}

export interface PublicKeysResponse {
  keys: PublishedKey[];
}

/** Context of the server's flag evaluation (`evaluated`, `flags` of entitlements): Unleash fields and properties. */
export interface ClientContext {
  userId?: string;
  sessionId?: string;
  remoteAddress?: string;
  environment?: string;
  appName?: string;
  /** ISO-8601; DATE_* constraints compare against it (default: the server's clock). */
  currentTime?: string;
  /** Custom context fields (string values); license fields (plan, accountId …) are the server's own. */
  properties?: Record<string, string>;
}

/** Input of `entitlements()` and `flags()`. */
export interface LicenseStateInput {
  /** The license key (default: the client's `licenseKey` option). */
  key?: string;
  /** This machine's fingerprint (machine-scoped answers and checks). */
  fingerprint?: string;
  /** Evaluation context for the flags the server evaluates (userId, environment, custom properties …). */
  context?: ClientContext;
  signal?: AbortSignal;
}

/** `POST /v1/client/flags`: the license's flag definitions (to evaluate locally) and the server's evaluation. */
export interface FlagsResult extends FlagBundle {
  /** When the server evaluated (ISO-8601). */
  computedAt: string;
  /** Every flag evaluated by the server for the license and the given context. */
  evaluated: FlagState[];
}

export type UsageOp = 'increment' | 'decrement' | 'set';

export interface UsageOptions {
  /** The license key (default: the client's `licenseKey` option). */
  key?: string;
  /** A non-negative integer (default 1). */
  amount?: number;
  /** Default `increment`. */
  op?: UsageOp;
  /**
   * Makes the call safe to repeat: the server counts one key once. Default: a random key per call, reused by the
   * call's retries — so a retried request never counts twice. Pass your own to make a repeat of the same logical
   * event (e.g. after a crash) idempotent too.
   */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

/**
 * The answer of `recordUsage()`: accepted with the new usage state, or refused because a hard limit would be
 * exceeded (409 USAGE_LIMIT_EXCEEDED — nothing was counted). Other refusals and errors throw KeywardError.
 */
export type UsageResult =
  | { accepted: true; property: string; usage: UsageState; idempotencyKey: string }
  | { accepted: false; code: 'USAGE_LIMIT_EXCEEDED'; property: string; message: string; idempotencyKey: string };
