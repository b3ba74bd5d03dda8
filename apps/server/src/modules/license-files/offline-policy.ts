import { unprocessable } from '../../platform/errors.ts';
import { checkLicenseKey } from '../licenses/license-key.ts';
import { type FileEncryption, PBKDF2_ITERATIONS } from './license-file.format.ts';
import type { LicenseFileSource } from './license-files.repository.ts';
import { DEFAULT_TTL_SECONDS, effectiveSeats } from './license-payload.ts';

/*
 * The rules of offline license files that depend on the plan and the key (docs/license-files.md, "Limits"): how long
 * a file may last, how many fingerprint-less files a key holder may hold, and how an encrypted file's AES key is
 * derived from the license key.
 */

/** Imported keys shorter than this cannot have encrypted files: no key derivation makes up for so few characters. */
export const MIN_IMPORTED_KEY_LENGTH_TO_ENCRYPT = 16;

/** A `KW1.` signed key as Keyward makes them: kid, data, and a 64-byte signature (86 b64url characters). */
const SIGNED_KEY_SHAPE = /^KW1\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/;

/**
 * The file's TTL: the request's, else 30 days — never more than the plan's maxOfflineSeconds unless the admin API
 * asks for it explicitly (`byKey` false; audited as beyond the plan's limit).
 */
export function fileTtl(source: LicenseFileSource, requested: number | undefined, byKey: boolean): number {
  const max = source.plan_max_offline_seconds;
  if (requested === undefined) return Math.min(DEFAULT_TTL_SECONDS, max);
  if (byKey && requested > max) {
    throw unprocessable(
      'OFFLINE_PERIOD_EXCEEDED',
      `The license's plan allows license files of at most ${max} seconds when checked out by key`,
      [{ field: '/body/ttlSeconds', message: `must be at most ${max} (the plan's maxOfflineSeconds)` }],
    );
  }
  return requested;
}

/**
 * How many fingerprint-less files checked out by key may be valid at one time: the plan's maxUnboundFiles, else
 * the license's seats; null = unlimited. A plan that requires fingerprints allows none.
 */
export function unboundFileLimit(source: LicenseFileSource): number | null {
  if (source.plan_require_fingerprint) return 0;
  return source.plan_max_unbound_files ?? effectiveSeats(source);
}

/** Whether Keyward made this key: a random Keyward key (145 random bits) or a `KW1.` signed key. */
export function isKeywardMadeKey(key: string): boolean {
  return checkLicenseKey(key).kind === 'keyward' || SIGNED_KEY_SHAPE.test(key);
}

/**
 * How an encrypted file is encrypted for this key: SHA-256 for keys Keyward made (at least 128 unpredictable bits),
 * PBKDF2-HMAC-SHA-256 with a random salt for imported keys, which may be short or guessable; imported keys shorter
 * than {@link MIN_IMPORTED_KEY_LENGTH_TO_ENCRYPT} are refused.
 */
export function fileEncryption(licenseKey: string, fingerprint: string | null): FileEncryption {
  if (isKeywardMadeKey(licenseKey)) return { licenseKey, fingerprint, kdf: { kind: 'sha256' } };
  if (licenseKey.length < MIN_IMPORTED_KEY_LENGTH_TO_ENCRYPT) {
    throw unprocessable(
      'KEY_TOO_SHORT_TO_ENCRYPT',
      `Encrypted license files need a license key of at least ${MIN_IMPORTED_KEY_LENGTH_TO_ENCRYPT} characters: ` +
        'a shorter imported key could be guessed from the file. Check out a plain (signed) file instead.',
      [{ field: '/body/encrypt', message: `the license key is shorter than ${MIN_IMPORTED_KEY_LENGTH_TO_ENCRYPT}` }],
    );
  }
  return { licenseKey, fingerprint, kdf: { kind: 'pbkdf2', iterations: PBKDF2_ITERATIONS } };
}
