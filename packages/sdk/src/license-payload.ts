/** The license file payload (`format: "keyward-license/1"`) and the offline checks on it (spec steps 5 and 6). */
import { isRecord, parseIso } from './encoding.ts';
import type { EntitlementsState, FlagBundle } from './entitlements-types.ts';

export type ExpirationStrategy = 'restrict' | 'revoke' | 'maintain' | 'allow';

/**
 * Every `license.status` a file can carry (the status at check-out). A verifier refuses `suspended` and `revoked`
 * outright and judges the others by the dates against its own clock (docs/license-files.md, "License status").
 */
export const LICENSE_STATUSES = [
  'pending',
  'active',
  'expiring',
  'in_grace',
  'expired',
  'suspended',
  'revoked',
] as const;
export type LicenseStatus = (typeof LICENSE_STATUSES)[number];

/** Payload of a license file. Later versions add fields; unknown ones are kept as they are. */
export interface LicenseFilePayload {
  format: 'keyward-license/1';
  meta: { issuedAt: string; expiresAt: string; ttlSeconds: number };
  license: {
    id: string;
    key: string;
    name: string;
    type: string;
    status: string;
    startsAt: string;
    endsAt: string | null;
    graceEndsAt: string | null;
    maintenanceEndsAt: string | null;
    maxMachines: number | null;
    domains: string[];
    entitlements: string[];
    metadata: Record<string, unknown>;
  };
  product: { id: string; code: string; name: string };
  plan: {
    id: string;
    name: string;
    expirationStrategy: ExpirationStrategy;
    graceDays: number;
    floating: boolean;
    heartbeatIntervalSeconds: number | null;
  };
  account: { id: string; name: string };
  machine: { id: string; fingerprint: string } | null;
  /** What the license may do at check-out: properties with effective values and sources, usage, trial, flags. */
  entitlements?: EntitlementsState;
  /** Flag definitions narrowed to this license, to evaluate flags offline with the SDK's engine. */
  flags?: FlagBundle;
}

export type PayloadReason =
  | 'MALFORMED'
  | 'UNSUPPORTED_VERSION'
  | 'WRONG_LICENSE_KEY'
  | 'CLOCK_ROLLBACK'
  | 'WRONG_FINGERPRINT'
  | 'FILE_EXPIRED'
  | 'LICENSE_REVOKED'
  | 'LICENSE_SUSPENDED'
  | 'NOT_YET_VALID'
  | 'LICENSE_EXPIRED';

/** How a license that passed the checks stands: like the online codes VALID, IN_GRACE_PERIOD and EXPIRED. */
export interface PayloadStanding {
  code: 'VALID' | 'IN_GRACE_PERIOD' | 'EXPIRED';
  detail: string;
  /** Past its end date and grace period, but the plan's strategy (`allow`, `maintain`) lets it work. */
  expired: boolean;
  /** Past its end date, within the grace period. */
  inGracePeriod: boolean;
}

export interface PayloadCheckOptions {
  now: Date;
  toleranceMs: number;
  /** Compared with license.key for plain files (encrypted files prove the key by decrypting). */
  licenseKey?: string | undefined;
  fingerprint?: string | undefined;
  lastSeenAt?: Date | null | undefined;
  releasedAt?: Date | null | undefined;
}

type Failure = { reason: PayloadReason; detail: string };

/** null (no end) stays null; a date string is parsed; anything else — missing, not a date — is undefined (MALFORMED). */
const nullableDate = (v: unknown): Date | null | undefined => (v === null ? null : (parseIso(v) ?? undefined));

/** The payload's dates, parsed once by {@link checkPayloadShape} for {@link checkPayload}. */
export interface PayloadDates {
  issuedAt: Date;
  expiresAt: Date;
  startsAt: Date;
  endsAt: Date | null;
  graceEndsAt: Date | null;
}

/** Checks the payload's shape: the fields the offline checks rely on must be there and well formed. */
export function checkPayloadShape(value: unknown): Failure | PayloadDates {
  if (!isRecord(value)) return { reason: 'MALFORMED', detail: 'The payload is not a JSON object' };
  if (value.format !== 'keyward-license/1') {
    return { reason: 'UNSUPPORTED_VERSION', detail: `Unsupported payload format ${String(value.format)}` };
  }
  const { meta, license, plan, machine } = value;
  const issuedAt = isRecord(meta) ? parseIso(meta.issuedAt) : null;
  const expiresAt = isRecord(meta) ? parseIso(meta.expiresAt) : null;
  if (!issuedAt || !expiresAt) {
    return { reason: 'MALFORMED', detail: 'meta.issuedAt and meta.expiresAt must be ISO-8601 dates' };
  }
  const ok = isRecord(license) && typeof license.key === 'string' && typeof license.status === 'string';
  if (ok && !(LICENSE_STATUSES as readonly string[]).includes(license.status as string)) {
    return { reason: 'MALFORMED', detail: `Unknown license.status ${String(license.status)}` };
  }
  const startsAt = ok ? parseIso(license.startsAt) : null;
  const endsAt = ok ? nullableDate(license.endsAt) : undefined;
  const graceEndsAt = ok ? nullableDate(license.graceEndsAt) : undefined;
  if (!startsAt || endsAt === undefined || graceEndsAt === undefined) {
    return { reason: 'MALFORMED', detail: 'license must have key, status, startsAt, endsAt and graceEndsAt' };
  }
  if (plan !== undefined && plan !== null && !isRecord(plan)) {
    return { reason: 'MALFORMED', detail: 'plan must be an object' };
  }
  if (machine !== undefined && machine !== null && !(isRecord(machine) && typeof machine.fingerprint === 'string')) {
    return { reason: 'MALFORMED', detail: 'machine must be null or have a fingerprint' };
  }
  return { issuedAt, expiresAt, startsAt, endsAt, graceEndsAt };
}

/**
 * Canonical form of a license key as the server issues it (and as it is in `license.key` and in the secret of an
 * encrypted file): Keyward-format keys (`PRODUCT-XXXXXX-…`) are upper-cased, spaces removed and look-alikes mapped
 * (I/L → 1, O → 0) in the random part; every other key — `KW1.` signed keys and imported keys — is only trimmed
 * (case and every other character kept).
 */
export function canonicalLicenseKey(input: string): string {
  const trimmed = input.trim();
  const match = /^([A-Z][A-Z0-9]{1,11})-((?:[0-9A-Z]{6}-){4}[0-9A-Z]{6})$/.exec(
    trimmed.toUpperCase().replace(/\s+/g, ''),
  );
  if (!match) return trimmed;
  return `${match[1]}-${match[2]!.replace(/[IL]/g, '1').replace(/O/g, '0')}`;
}

const iso = (d: Date) => d.toISOString();

/** Steps 5 and 6 of the spec, on a payload whose signature verified. Order: identity, then clocks, then license. */
export function checkPayload(
  p: LicenseFilePayload,
  dates: PayloadDates,
  o: PayloadCheckOptions,
): Failure | PayloadStanding {
  const { now, toleranceMs } = o;
  if (o.licenseKey !== undefined && canonicalLicenseKey(o.licenseKey) !== canonicalLicenseKey(p.license.key)) {
    return { reason: 'WRONG_LICENSE_KEY', detail: 'The file is for another license key' };
  }
  if (p.machine) {
    if (o.fingerprint === undefined) {
      return { reason: 'WRONG_FINGERPRINT', detail: "The file is bound to a machine: pass this machine's fingerprint" };
    }
    if (o.fingerprint !== p.machine.fingerprint) {
      return { reason: 'WRONG_FINGERPRINT', detail: 'The file is bound to another machine' };
    }
  }
  const { issuedAt, expiresAt, startsAt } = dates;
  if (now.getTime() < issuedAt.getTime() - toleranceMs) {
    return {
      reason: 'CLOCK_ROLLBACK',
      detail: `The clock (${iso(now)}) is before the file was issued (${iso(issuedAt)})`,
    };
  }
  if (o.lastSeenAt && now.getTime() < o.lastSeenAt.getTime() - toleranceMs) {
    return {
      reason: 'CLOCK_ROLLBACK',
      detail: `The clock (${iso(now)}) is before a time already seen on this machine (${iso(o.lastSeenAt)})`,
    };
  }
  if (now >= expiresAt) {
    return { reason: 'FILE_EXPIRED', detail: `The file expired on ${iso(expiresAt)}: check out a fresh one online` };
  }
  if (p.license.status === 'revoked') return { reason: 'LICENSE_REVOKED', detail: 'The license has been revoked' };
  if (p.license.status === 'suspended') return { reason: 'LICENSE_SUSPENDED', detail: 'The license is suspended' };
  if (now.getTime() < startsAt.getTime() - toleranceMs) {
    return { reason: 'NOT_YET_VALID', detail: `The license starts on ${iso(startsAt)}` };
  }
  return standing(p, dates, now, o.releasedAt ?? null);
}

function standing(
  p: LicenseFilePayload,
  d: PayloadDates,
  now: Date,
  releasedAt: Date | null,
): Failure | PayloadStanding {
  const { endsAt, graceEndsAt } = d;
  if (!endsAt || endsAt > now) {
    return { code: 'VALID', detail: 'The license is valid', expired: false, inGracePeriod: false };
  }
  const ended = iso(endsAt);
  if (graceEndsAt && graceEndsAt > now) {
    const detail = `The license expired on ${ended} and is in its grace period until ${iso(graceEndsAt)}`;
    return { code: 'IN_GRACE_PERIOD', detail, expired: false, inGracePeriod: true };
  }
  const strategy = p.plan?.expirationStrategy ?? 'restrict';
  if (strategy === 'allow' || (strategy === 'maintain' && !(releasedAt && releasedAt > endsAt))) {
    const which = strategy === 'maintain' ? 'releases up to that date' : 'continued use';
    const detail = `The license expired on ${ended}; its plan allows ${which}`;
    return { code: 'EXPIRED', detail, expired: true, inGracePeriod: false };
  }
  const more = strategy === 'maintain' ? '; it covers releases up to that date only' : '';
  return { reason: 'LICENSE_EXPIRED', detail: `The license expired on ${ended}${more}` };
}
