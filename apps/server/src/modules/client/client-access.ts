import { AppError, badRequest, notFound } from '../../platform/errors.ts';
import { checkLicenseKey } from '../licenses/license-key.ts';
import type { ClientLicensePolicy } from './client.repository.ts';
import { licenseGraceEndsAt } from './client-license.ts';

/**
 * Who may call the client API with a license key, shared by its operations (activation, heartbeats, usage
 * metering): the key's shape, and whether the license may do the operation now (docs/client-api.md).
 */

/**
 * - activate: a new seat; refused once expired past grace under `revoke` or `restrict`.
 * - heartbeat: an existing seat; refused past grace under `revoke`.
 * - deactivate: frees a seat, also on a suspended or revoked license; refused past grace under `revoke`.
 * - consume (usage increments and sets) follows activate; release (usage decrements) follows heartbeat. Neither may
 *   run before the license starts.
 */
export type ClientOperation = 'activate' | 'heartbeat' | 'deactivate' | 'consume' | 'release';

const refused = (code: string, message: string) => new AppError(code, 403, message);

export const licenseNotFound = () => notFound('LICENSE_NOT_FOUND', 'License');

/** Throws when the license may not do `op` now (see the client API docs for the rules). */
export function assertUsable(l: ClientLicensePolicy, op: ClientOperation, now: Date): void {
  if (op !== 'deactivate') {
    if (l.revoked) throw refused('LICENSE_REVOKED', 'The license has been revoked');
    if (l.suspended) throw refused('LICENSE_SUSPENDED', 'The license is suspended');
  }
  if ((op === 'activate' || op === 'consume' || op === 'release') && l.starts_at > now) {
    throw refused('LICENSE_NOT_YET_VALID', `The license starts on ${l.starts_at.toISOString()}`);
  }
  const graceEnd = licenseGraceEndsAt(l);
  if (graceEnd && graceEnd <= now) {
    const strategy = l.plan_expiration_strategy;
    const newUse = op === 'activate' || op === 'consume';
    if (strategy === 'revoke' || (newUse && strategy === 'restrict')) {
      throw refused('LICENSE_EXPIRED', `The license expired on ${l.ends_at?.toISOString()}`);
    }
  }
}

/**
 * A plan with `requireNonce` refuses signed client calls without a nonce, so that none of its signed answers can be
 * replayed to another request (docs/license-files.md, "Signed responses"). Checked once the license is known,
 * before anything is changed.
 */
export function assertNonce(l: { plan_require_nonce: boolean }, nonce: string | number | undefined): void {
  if (l.plan_require_nonce && nonce === undefined) {
    throw badRequest('NONCE_REQUIRED', "The license's plan requires a nonce in every signed call", [
      { field: '/body/nonce', message: 'is required by the plan of this license' },
    ]);
  }
}

/** The canonical form of a license key; a mistyped Keyward key (wrong check symbol) is a 400 MALFORMED_KEY. */
export function keyOf(rawKey: string): string {
  const check = checkLicenseKey(rawKey);
  if (check.kind === 'malformed') {
    throw badRequest('MALFORMED_KEY', 'The license key is mistyped: its check character does not match', [
      { field: '/body/key', message: 'has a wrong check character' },
    ]);
  }
  return check.key;
}
