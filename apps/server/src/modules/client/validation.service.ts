import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { PendingHit } from '../../platform/http/rate-limit.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { checkLicenseKey } from '../licenses/license-key.ts';
import { type ClientLicenseRow, findLicenseForValidation, type MachineStats } from './client.repository.ts';
import type { ValidateKeyInput, ValidationResultDto } from './client.schemas.ts';
import { assertNonce } from './client-access.ts';
import {
  effectiveEntitlements,
  effectiveMaxMachines,
  licenseGraceEndsAt,
  presentClientLicense,
} from './client-license.ts';
import { type DecisionLicense, decide } from './validation.decide.ts';
import type { ValidationStats } from './validation-stats.ts';

export interface ValidationDeps {
  db: Db;
  clock: Clock;
  metrics: Metrics;
  stats: ValidationStats;
  expiringWindowDays: number;
}

function decisionLicense(row: ClientLicenseRow & MachineStats): DecisionLicense {
  return {
    revoked: row.revoked,
    suspended: row.suspended,
    startsAt: row.starts_at,
    endsAt: row.ends_at,
    graceEndsAt: licenseGraceEndsAt(row),
    maintenanceEndsAt: row.maintenance_ends_at,
    expirationStrategy: row.plan_expiration_strategy,
    productId: row.product_id,
    productCode: row.product_code,
    maxMachines: effectiveMaxMachines(row),
    requireFingerprint: row.plan_require_fingerprint,
    requireDomain: row.plan_require_domain,
    heartbeatIntervalSeconds: row.plan_heartbeat_interval_seconds,
    domains: row.domains,
    entitlements: effectiveEntitlements(row),
    machineTotal: row.machine_total,
    machineAlive: row.machine_alive,
    machine:
      row.fp_found && row.fp_created_at
        ? { created_at: row.fp_created_at, last_heartbeat_at: row.fp_last_heartbeat_at }
        : null,
  };
}

/**
 * validate-key: one statement (the rate-limit counter and the lookup), a pure decision, statistics buffered in
 * memory. Never writes license data on the request path.
 */
export class ValidationService {
  constructor(private readonly deps: ValidationDeps) {}

  /**
   * `hit`: the request's rate-limit hit, counted in the same statement as the lookup (or alone for a mistyped key);
   * throws RateLimitedError when over a limit.
   */
  async validate(input: ValidateKeyInput, hit: PendingHit | null = null): Promise<ValidationResultDto> {
    const now = this.deps.clock.now();
    const check = checkLicenseKey(input.key);
    const scope = input.scope;
    if (check.kind === 'malformed') await hit?.count();
    const row =
      check.kind === 'malformed'
        ? undefined
        : await findLicenseForValidation(this.deps.db, check.key, scope?.fingerprint ?? null, now, hit);
    if (row) assertNonce(row, input.nonce);
    const decision = decide({
      malformedKey: check.kind === 'malformed',
      license: row ? decisionLicense(row) : null,
      scope: { ...scope, releasedAt: scope?.releasedAt ? new Date(scope.releasedAt) : undefined },
      now,
    });
    if (row) this.deps.stats.record(row.id, now);
    this.deps.metrics.validations.inc({ code: decision.code, valid: String(decision.valid) });
    return {
      ...decision,
      license: row ? presentClientLicense(row, row.machine_alive, now, this.deps.expiringWindowDays) : null,
      meta: { ts: now.toISOString(), nonce: input.nonce ?? null, scope: scope ?? null },
    };
  }

  /** Writes the buffered validation statistics now (tests, shutdown). */
  flushStatistics(): Promise<void> {
    return this.deps.stats.flush();
  }

  /** Stops the statistics timer and flushes (app onClose, before the database closes). */
  close(): Promise<void> {
    return this.deps.stats.close();
  }
}
