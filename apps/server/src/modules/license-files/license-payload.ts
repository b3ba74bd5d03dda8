// The payload type (docs/license-files.md, "Payload") is the SDK's: the server cannot build one the SDK would not read.
import type { LicenseFilePayload } from '@keyward/sdk';

import { computeStatus, graceEndsAt } from '../licenses/license-status.ts';
import { LICENSE_FILE_FORMAT } from './license-file.format.ts';
import type { LicenseFileSource } from './license-files.repository.ts';

export const DEFAULT_TTL_SECONDS = 2_592_000; // 30 days
export const MIN_TTL_SECONDS = 3_600;
export const MAX_TTL_SECONDS = 315_360_000; // 10 years

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** Seats as the server enforces them: the license's limit, else the plan's; node-locked plans allow one machine. */
export function effectiveSeats(l: Pick<LicenseFileSource, 'max_machines' | 'plan_max_machines' | 'plan_floating'>) {
  if (!l.plan_floating) return 1;
  return l.max_machines ?? l.plan_max_machines;
}

export interface PayloadOptions {
  now: Date;
  ttlSeconds: number;
  expiringWindowDays: number;
  machine: { id: string; fingerprint: string } | null;
}

/** Everything in the file is computed here, by the server: status, grace end, seats, entitlements. */
export function licenseFilePayload(l: LicenseFileSource, opts: PayloadOptions): LicenseFilePayload {
  const { now, ttlSeconds } = opts;
  return {
    format: LICENSE_FILE_FORMAT,
    meta: {
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlSeconds * 1000).toISOString(),
      ttlSeconds,
    },
    license: {
      id: l.id,
      key: l.key,
      name: l.name,
      type: l.license_type,
      status: computeStatus(l, l.plan_grace_days, now, opts.expiringWindowDays),
      startsAt: l.starts_at.toISOString(),
      endsAt: iso(l.ends_at),
      graceEndsAt: iso(graceEndsAt(l, l.plan_grace_days)),
      maintenanceEndsAt: iso(l.maintenance_ends_at),
      maxMachines: effectiveSeats(l),
      domains: l.domains,
      entitlements: [...new Set([...l.plan_entitlements, ...l.entitlements])].sort(),
      metadata: l.metadata ?? {},
    },
    product: { id: l.product_id, code: l.product_code, name: l.product_name },
    plan: {
      id: l.plan_id,
      name: l.plan_name,
      expirationStrategy: l.plan_expiration_strategy,
      graceDays: l.plan_grace_days,
      floating: l.plan_floating,
      heartbeatIntervalSeconds: l.plan_heartbeat_interval_seconds,
    },
    account: { id: l.account_id, name: l.account_name },
    machine: opts.machine ? { id: opts.machine.id, fingerprint: opts.machine.fingerprint } : null,
  };
}
