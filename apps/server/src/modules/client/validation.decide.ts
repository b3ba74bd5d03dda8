import type { ExpirationStrategy } from '../../platform/db/schema.ts';
import { isMachineDead } from '../machines/machine-liveness.ts';

/** Everything the decision looks at, as plain data: no database, no clock. */
export interface DecisionLicense {
  revoked: boolean;
  suspended: boolean;
  startsAt: Date;
  endsAt: Date | null;
  graceEndsAt: Date | null;
  maintenanceEndsAt: Date | null;
  expirationStrategy: ExpirationStrategy;
  productId: string;
  productCode: string;
  /** Effective seats (null = unlimited). */
  maxMachines: number | null;
  requireFingerprint: boolean;
  requireDomain: boolean;
  heartbeatIntervalSeconds: number | null;
  domains: string[];
  /** Plan ∪ license entitlements. */
  entitlements: string[];
  machineTotal: number;
  /** Machines holding a seat (dead heartbeat machines excluded). */
  machineAlive: number;
  /** The machine with the scope's fingerprint, when one was given and exists. */
  machine: { created_at: Date; last_heartbeat_at: Date | null } | null;
}

export interface DecisionScope {
  product?: string | undefined;
  fingerprint?: string | undefined;
  domain?: string | undefined;
  entitlements?: string[] | undefined;
  releasedAt?: Date | undefined;
}

export interface DecisionInput {
  /** The key failed its check symbol (a typo): nothing was looked up. */
  malformedKey: boolean;
  license: DecisionLicense | null;
  scope: DecisionScope;
  now: Date;
}

export type ValidationCode =
  | 'VALID'
  | 'MALFORMED_KEY'
  | 'NOT_FOUND'
  | 'REVOKED'
  | 'SUSPENDED'
  | 'NOT_YET_VALID'
  | 'IN_GRACE_PERIOD'
  | 'EXPIRED'
  | 'PRODUCT_SCOPE_MISMATCH'
  | 'MAINTENANCE_EXPIRED'
  | 'FINGERPRINT_SCOPE_REQUIRED'
  | 'NO_MACHINE'
  | 'FINGERPRINT_SCOPE_MISMATCH'
  | 'HEARTBEAT_DEAD'
  | 'TOO_MANY_MACHINES'
  | 'DOMAIN_SCOPE_REQUIRED'
  | 'DOMAIN_SCOPE_MISMATCH'
  | 'ENTITLEMENTS_MISSING';

export interface Decision {
  valid: boolean;
  code: ValidationCode;
  detail: string;
}

const no = (code: ValidationCode, detail: string): Decision => ({ valid: false, code, detail });

const normaliseDomain = (d: string) => d.trim().toLowerCase().replace(/\.$/, '');

/** True when `domain` equals one of `allowed` or is a subdomain of one (app.example.com under example.com). */
export function domainAllowed(domain: string, allowed: string[]): boolean {
  const d = normaliseDomain(domain);
  return allowed.some((a) => {
    const parent = normaliseDomain(a);
    return parent !== '' && (d === parent || d.endsWith(`.${parent}`));
  });
}

/**
 * Keygen-style validation, in this order: key shape, existence, revoked, suspended, not yet started, expiry (by the
 * plan's expiration strategy), then the scopes. An expiry that still lets the license work (in grace; EXPIRED under
 * `maintain`/`allow`) does not stop the scope checks: a failing scope wins, otherwise that expiry code is the answer
 * (valid=true) instead of VALID.
 */
export function decide(input: DecisionInput): Decision {
  const { license: l, scope, now } = input;
  if (input.malformedKey) {
    return no('MALFORMED_KEY', 'The license key is mistyped: its check character does not match');
  }
  if (!l) return no('NOT_FOUND', 'No license has this key');
  if (l.revoked) return no('REVOKED', 'The license has been revoked');
  if (l.suspended) return no('SUSPENDED', 'The license is suspended');
  if (l.startsAt > now) return no('NOT_YET_VALID', `The license starts on ${l.startsAt.toISOString()}`);

  let caveat: Decision | null = null;
  if (l.endsAt && l.endsAt <= now) {
    const ended = l.endsAt.toISOString();
    if (l.graceEndsAt && l.graceEndsAt > now) {
      caveat = {
        valid: true,
        code: 'IN_GRACE_PERIOD',
        detail: `The license expired on ${ended} and is in its grace period until ${l.graceEndsAt.toISOString()}`,
      };
    } else if (l.expirationStrategy === 'restrict' || l.expirationStrategy === 'revoke') {
      return no('EXPIRED', `The license expired on ${ended}`);
    } else if (l.expirationStrategy === 'maintain' && scope.releasedAt && scope.releasedAt > l.endsAt) {
      return no('EXPIRED', `The license expired on ${ended}; it covers releases up to that date only`);
    } else {
      const which = l.expirationStrategy === 'maintain' ? 'releases up to that date' : 'continued use';
      caveat = { valid: true, code: 'EXPIRED', detail: `The license expired on ${ended}; its plan allows ${which}` };
    }
  }

  if (scope.product !== undefined) {
    const p = scope.product.trim();
    if (p.toUpperCase() !== l.productCode && p.toLowerCase() !== l.productId.toLowerCase()) {
      return no('PRODUCT_SCOPE_MISMATCH', `The license is for product ${l.productCode}, not ${p}`);
    }
  }
  if (scope.releasedAt && l.maintenanceEndsAt && scope.releasedAt > l.maintenanceEndsAt) {
    return no(
      'MAINTENANCE_EXPIRED',
      `Maintenance ended on ${l.maintenanceEndsAt.toISOString()}; this release is newer than that`,
    );
  }
  if (scope.fingerprint === undefined) {
    if (l.requireFingerprint) return no('FINGERPRINT_SCOPE_REQUIRED', 'The plan requires a machine fingerprint');
  } else {
    if (l.machineTotal === 0) return no('NO_MACHINE', 'No machine is activated on the license');
    if (!l.machine) return no('FINGERPRINT_SCOPE_MISMATCH', 'No machine with this fingerprint is activated');
    if (isMachineDead(l.machine, l.heartbeatIntervalSeconds, now)) {
      return no('HEARTBEAT_DEAD', 'The machine missed its heartbeat; activate it again');
    }
  }
  if (l.maxMachines !== null && l.machineAlive > l.maxMachines) {
    return no(
      'TOO_MANY_MACHINES',
      `The license has ${l.machineAlive} machines but allows ${l.maxMachines}; deactivate some`,
    );
  }
  if (scope.domain === undefined) {
    if (l.requireDomain) return no('DOMAIN_SCOPE_REQUIRED', 'The plan requires a domain');
  } else if (l.domains.length > 0 && !domainAllowed(scope.domain, l.domains)) {
    return no('DOMAIN_SCOPE_MISMATCH', `The license does not cover the domain ${scope.domain}`);
  }
  if (scope.entitlements?.length) {
    const have = new Set(l.entitlements);
    const missing = [...new Set(scope.entitlements)].filter((e) => !have.has(e));
    if (missing.length > 0) {
      return no('ENTITLEMENTS_MISSING', `The license lacks the entitlement(s) ${missing.join(', ')}`);
    }
  }
  return caveat ?? { valid: true, code: 'VALID', detail: 'The license is valid' };
}
