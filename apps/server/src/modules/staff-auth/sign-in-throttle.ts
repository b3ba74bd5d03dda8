import { createHash } from 'node:crypto';
import { AppError } from '../../platform/errors.ts';

/*
 * Brute-force defence of the dashboard sign-in (docs/dashboard-auth.md, "Sign-in and brute force"): failed
 * sign-ins are counted per (email, client address) — for known and unknown emails alike — and after
 * FREE_FAILURES of them that address is refused for that email for a growing time. No account is ever locked: a
 * stranger's failures block only the stranger's address, and the right password from any other address signs in.
 * The state is in PostgreSQL (table sign_in_throttle), so every server process sees the same counts.
 */

/** Failed sign-ins of one email from one address that cost nothing but the answer 401. */
export const FREE_FAILURES = 5;
/** The block after the FREE_FAILURES-th failure; each further failure (after the block ended) doubles it … */
export const FIRST_BLOCK_SECONDS = 60;
/** … up to this. */
export const MAX_BLOCK_SECONDS = 60 * 60;
/** Failures are forgotten this long after the last one (and at once by a successful sign-in from that address). */
export const FORGET_FAILURES_AFTER_SECONDS = 24 * 60 * 60;

/** Seconds the address is blocked for after its `failures`-th failure in a row; null: not blocked. */
export function blockSecondsAfter(failures: number): number | null {
  if (failures < FREE_FAILURES) return null;
  return Math.min(FIRST_BLOCK_SECONDS * 2 ** Math.min(failures - FREE_FAILURES, 20), MAX_BLOCK_SECONDS);
}

/** The throttle row's key part for an email (normalised): SHA-256 hex, never the email in clear. */
export function emailHash(normalizedEmail: string): string {
  return createHash('sha256').update(normalizedEmail, 'utf8').digest('hex');
}

/**
 * 429 with Retry-After (set by the error handler): this email may not be tried from this address for a while. The
 * same answer whether a user has this email or not.
 */
export class SignInThrottledError extends AppError {
  constructor(readonly retryAfterSeconds: number) {
    const minutes = Math.ceil(retryAfterSeconds / 60);
    super(
      'SIGN_IN_THROTTLED',
      429,
      `Too many failed sign-ins for this email from your address: try again in ${minutes} minute${minutes === 1 ? '' : 's'}`,
    );
  }
}
