/**
 * @keyward/sdk — the package's public API (its one entry point). Online: KeywardClient. Offline: verifyLicenseFile,
 * verifySignedKey, verifyResponseSignature, ClockGuard, followKeyChain. Zero runtime dependencies; WebCrypto and fetch only.
 */
export { type ClientOptions, KeywardClient } from './client.ts';
export { type ClockCheck, ClockGuard, type ClockGuardOptions } from './clock-guard.ts';
export type {
  Enforcement,
  EntitlementProperty,
  EntitlementsState,
  FlagBundle,
  FlagState,
  PropertyType,
  ResetPeriod,
  TrialState,
  UsageState,
  UsageStatus,
  ValueSource,
  ValueSourceKind,
} from './entitlements-types.ts';
export { KeywardError } from './errors.ts';
export { FlagEngine, type FlagEngineOptions } from './flags/engine.ts';
export type { EvaluationReason, VariantResult } from './flags/types.ts';
export type { HeartbeatLoop, HeartbeatLoopOptions } from './heartbeat.ts';
export {
  endorsementMessage,
  followKeyChain,
  type KeyChainRejection,
  type KeyChainResult,
  type PublishedKey,
} from './key-chain.ts';
export {
  type LicenseFileAlg,
  type LicenseFileBinding,
  type LicenseFileReason,
  type LicenseFileResult,
  type VerifyLicenseFileOptions,
  verifyLicenseFile,
} from './license-file.ts';
export {
  canonicalLicenseKey,
  type ExpirationStrategy,
  LICENSE_STATUSES,
  type LicenseFilePayload,
  type LicenseStatus,
  type PayloadStanding,
} from './license-payload.ts';
export { importPublicKeys, type PublicKeyEntry, PublicKeySet, type PublicKeysInput } from './public-keys.ts';
export {
  parseSignatureHeader,
  type ResponseSignatureReason,
  type ResponseSignatureResult,
  signedNonce,
  type VerifyResponseSignatureOptions,
  verifyResponseSignature,
} from './response-signature.ts';
export { DEFAULT_RETRY, type RetryOptions } from './retry.ts';
export {
  isSignedKey,
  type SignedKeyData,
  type SignedKeyReason,
  type SignedKeyResult,
  type VerifySignedKeyOptions,
  verifySignedKey,
} from './signed-key.ts';
export type {
  ActivationResult,
  CheckOutInput,
  CheckOutResult,
  ClientContext,
  FlagsResult,
  HeartbeatResult,
  LicenseStateInput,
  MachineInput,
  MachineKeyInput,
  PublicKeysResponse,
  UsageOp,
  UsageOptions,
  UsageResult,
  ValidationCode,
  ValidationResult,
  ValidationScope,
} from './types.ts';
