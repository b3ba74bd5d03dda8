import type { Db } from '../../platform/db/database.ts';
import { computeStatus } from '../licenses/license-status.ts';
import type { EffectiveProperty } from '../properties/effective.ts';
import { effectivePropertiesOf, type LicenseEntitlementRefs } from '../properties/properties.read.ts';
import { type CheckSource, findCheckSource } from './entitlements.repository.ts';
import {
  type CheckContext,
  type EntitlementsState,
  type FlagsReader,
  noFlags,
  noUsage,
  type UsageReader,
  type UsageState,
} from './entitlements.types.ts';
import { trialState } from './trial.ts';

/**
 * Read functions for other modules (license files embed the same state): a license's EntitlementsState, computed
 * exactly as the check call does. No authorization here — the caller has decided the license may be read.
 */

export interface StateOptions {
  expiringWindowDays: number;
  usage?: UsageReader | undefined;
  flags?: FlagsReader | undefined;
  context?: CheckContext | undefined;
}

export function refsOf(l: CheckSource): LicenseEntitlementRefs {
  return {
    licenseId: l.id,
    productId: l.product_id,
    accountId: l.account_id,
    planId: l.plan_id,
    planName: l.plan_name,
    basePlanId: l.base_plan_id,
    basePlanName: l.base_plan_name,
  };
}

function presentProperty(e: EffectiveProperty, usage: UsageState | undefined): EntitlementsState['properties'][number] {
  return {
    key: e.property.key,
    name: e.property.name,
    type: e.property.type,
    value: e.value,
    source: e.source,
    enforcement: e.enforcement,
    unit: e.property.unit,
    usage: e.property.type === 'number' && e.property.metered ? (usage ?? null) : null,
  };
}

/** The state of a license already loaded with findCheckSource: 2 queries plus the usage and flags readers. */
export async function entitlementsStateOf(
  db: Db,
  source: CheckSource,
  now: Date,
  opts: StateOptions,
): Promise<EntitlementsState> {
  const refs = refsOf(source);
  const effective = await effectivePropertiesOf(db, refs, now);
  const [usage, flags] = await Promise.all([
    (opts.usage ?? noUsage)(refs, effective, now),
    (opts.flags ?? noFlags)(refs, opts.context ?? {}, now),
  ]);
  return {
    computedAt: now.toISOString(),
    license: {
      id: source.id,
      status: computeStatus(source, source.plan_grace_days, now, opts.expiringWindowDays),
      type: source.license_type,
      plan: { id: source.plan_id, name: source.plan_name },
      product: { id: source.product_id, code: source.product_code },
      account: { id: source.account_id, name: source.account_name },
    },
    trial: trialState(
      {
        licenseType: source.license_type,
        startsAt: source.starts_at,
        endsAt: source.ends_at,
        graceDays: source.plan_grace_days,
        expirationStrategy: source.plan_expiration_strategy,
      },
      now,
    ),
    properties: effective.map((e) => presentProperty(e, usage.get(e.property.id))),
    flags,
  };
}

/** A license's EntitlementsState by id (3 queries plus the readers), or undefined when there is no such license. */
export async function entitlementsOfLicense(
  db: Db,
  licenseId: string,
  now: Date,
  opts: StateOptions,
): Promise<EntitlementsState | undefined> {
  const source = await findCheckSource(db, { id: licenseId });
  return source ? entitlementsStateOf(db, source, now, opts) : undefined;
}
