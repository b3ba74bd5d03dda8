import type { FlagBundle, FlagState } from '@keyward/sdk';
import {
  type Evaluation,
  type FeatureDefinition,
  type FlagToggles,
  type SegmentDefinition,
  withToggles,
} from '@keyward/sdk/flags';
import type { Db } from '../../platform/db/database.ts';
import type { LicenseEntitlementRefs } from '../properties/properties.read.ts';
import { findLicenseFacts, type LicenseFacts } from './customers.repository.ts';
import { type FlagContextInput, licenseContextProperties, mergeContext, type ResolvedContext } from './flag-context.ts';
import { type CustomerDefinitions, forCustomer, productDefinitions, togglesByFlag } from './flag-definitions.ts';
import { findFlag, productStamp } from './flags.repository.ts';
import { productToggles, type TargetToggle, togglesOfTargets } from './toggles.repository.ts';

/**
 * Read functions for other modules (the entitlements check, license files): a license's flags as a bundle the SDK
 * evaluates itself, or evaluated here. A constant number of queries whatever the number of flags or of customers
 * toggled: the product's stamp (definitions are cached per process under it), the license's context facts, and the
 * toggles of this license and its account (an indexed lookup by target id).
 */

export type { FlagContextInput } from './flag-context.ts';

export interface Customer {
  productId: string;
  /** Null for a bare context (explain without a customer): no toggles apply. */
  accountId: string | null;
  licenseId: string | null;
  /** The customer's context properties (licenseContextProperties / accountContextProperties). */
  properties: Record<string, string>;
}

export interface CustomerFlagsState extends CustomerDefinitions {
  toggles: readonly TargetToggle[];
  properties: Record<string, string>;
}

/** The product's definitions with this customer's toggles projected. */
export async function customerFlags(db: Db, customer: Customer): Promise<CustomerFlagsState> {
  const defs = await productDefinitions(db, customer.productId);
  const toggles = await togglesOfTargets(db, customer.productId, {
    licenseId: customer.licenseId,
    accountId: customer.accountId,
  });
  return { ...forCustomer(defs, togglesByFlag(toggles)), toggles, properties: customer.properties };
}

export function flagStateOf(e: Evaluation): FlagState {
  return { key: e.flag, enabled: e.enabled, reason: e.reason, variant: e.variant };
}

/** Every flag of the customer's product evaluated for `ctx`, in key order. */
export function evaluateAll(state: CustomerDefinitions, ctx: ResolvedContext): FlagState[] {
  return state.features.map((f) => flagStateOf(state.engine.evaluate(f.name, ctx)));
}

/** The customer of a license (facts loaded with findLicenseFacts). */
export function licenseCustomer(l: LicenseFacts): Customer {
  return {
    productId: l.product_id,
    accountId: l.account_id,
    licenseId: l.id,
    properties: licenseContextProperties(l),
  };
}

async function customerOfRefs(db: Db, refs: LicenseEntitlementRefs): Promise<Customer> {
  const facts = await findLicenseFacts(db, { id: refs.licenseId });
  if (facts) return licenseCustomer(facts);
  // Deleted meanwhile: what the refs know.
  return {
    productId: refs.productId,
    accountId: refs.accountId,
    licenseId: refs.licenseId,
    properties: { accountId: refs.accountId, licenseId: refs.licenseId, plan: refs.planName, planId: refs.planId },
  };
}

/**
 * What the SDK needs to evaluate the license's flags itself (online cache or license file): the product's flags
 * with this license's and its account's toggles projected (lists of one id), the segments, and the license-aware
 * context properties.
 */
export async function flagBundleForLicense(db: Db, refs: LicenseEntitlementRefs, _now: Date): Promise<FlagBundle> {
  const state = await customerFlags(db, await customerOfRefs(db, refs));
  return { features: [...state.features], segments: [...state.segments], context: state.properties };
}

/**
 * The license's flags evaluated for a context (the entitlements check): the caller's context merged with the
 * license's properties (accountId and licenseId always the license's); DATE_* constraints compare with `now`
 * unless the context gives currentTime.
 */
export async function evaluateFlagsForLicense(
  db: Db,
  refs: LicenseEntitlementRefs,
  context: FlagContextInput,
  now: Date,
): Promise<FlagState[]> {
  const state = await customerFlags(db, await customerOfRefs(db, refs));
  return evaluateAll(state, mergeContext(state.properties, context, now));
}

/** A fingerprint of the product's flags, segments and toggles (changes with any of them): the Unleash ETag. */
export function flagStampOf(db: Db, productId: string): Promise<string> {
  return productStamp(db, productId);
}

export interface ProjectedFlags {
  stamp: string;
  features: FeatureDefinition[];
  segments: SegmentDefinition[];
}

/**
 * The product's flags with every per-customer toggle projected into plain Unleash strategies (withToggles), for
 * SDKs that evaluate for any customer — the Unleash client API. The one place the full lists are built, at serve
 * time, from the toggle rows.
 */
export async function projectedFlagsOf(db: Db, productId: string): Promise<ProjectedFlags> {
  const defs = await productDefinitions(db, productId);
  const byFlag = new Map<
    string,
    { accounts: { on: string[]; off: string[] }; licenses: { on: string[]; off: string[] } }
  >();
  for (const t of await productToggles(db, productId)) {
    let toggles = byFlag.get(t.flag_key);
    if (!toggles) {
      toggles = { accounts: { on: [], off: [] }, licenses: { on: [], off: [] } };
      byFlag.set(t.flag_key, toggles);
    }
    toggles[t.scope === 'license' ? 'licenses' : 'accounts'][t.enabled ? 'on' : 'off'].push(t.target_id);
  }
  const features = defs.features.map((f) => {
    const toggles: FlagToggles | undefined = byFlag.get(f.name);
    const stored = defs.stored.get(f.name);
    return toggles && stored ? withToggles(stored, toggles) : f;
  });
  return { stamp: defs.stamp, features, segments: [...defs.segments] };
}

export interface FlagRef {
  id: string;
  key: string;
  productId: string;
}

/** A flag's id, key and product (the flag-metrics module reads its reports by product and key), or null. */
export async function findFlagRef(db: Db, id: string): Promise<FlagRef | null> {
  const row = await findFlag(db, id);
  return row ? { id: row.id, key: row.key, productId: row.product_id } : null;
}
