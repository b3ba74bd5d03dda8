import type { FlagContext } from '@keyward/sdk/flags';
import type { LicenseFacts } from './customers.repository.ts';

/**
 * The license-aware evaluation context (docs/feature-flags.md, "Context"): what the server knows about a license or
 * an account, as Unleash context properties, merged with what the caller passes.
 */

/** What a caller may pass (Unleash's fields); the shape of the entitlements check's CheckContext. */
export interface FlagContextInput {
  userId?: string | undefined;
  sessionId?: string | undefined;
  remoteAddress?: string | undefined;
  environment?: string | undefined;
  appName?: string | undefined;
  currentTime?: string | undefined;
  properties?: Record<string, string> | undefined;
}

/** A context as evaluated: `properties` always present, every value a string. */
export interface ResolvedContext extends FlagContext {
  currentTime: string;
  properties: Record<string, string>;
}

/** The license's context properties (FlagBundle.context): ids, plan, product, account age, type, entitlements. */
export function licenseContextProperties(l: LicenseFacts): Record<string, string> {
  const entitlements = [...new Set([...l.plan_entitlements, ...l.entitlements])].sort();
  return {
    accountId: l.account_id,
    licenseId: l.id,
    plan: l.plan_name,
    planId: l.plan_id,
    product: l.product_code,
    accountCreatedAt: new Date(l.account_created_at).toISOString(),
    licenseType: l.license_type,
    entitlements: entitlements.join(','),
  };
}

/** An account's context properties (explain and lists for an account: no license fields). */
export function accountContextProperties(account: { id: string; created_at: Date }): Record<string, string> {
  return { accountId: account.id, accountCreatedAt: new Date(account.created_at).toISOString() };
}

/** Ids the server decides: a caller cannot pose as another customer (toggles are keyed by them). */
const PROTECTED = ['accountId', 'licenseId'] as const;

/**
 * The caller's context with the customer's properties: the caller may set other fields (and override the
 * informational ones, e.g. to try another plan in explain), never accountId or licenseId.
 */
export function mergeContext(
  customer: Record<string, string>,
  input: FlagContextInput | undefined,
  now: Date,
): ResolvedContext {
  const properties: Record<string, string> = { ...customer, ...(input?.properties ?? {}) };
  for (const name of PROTECTED) {
    if (customer[name] !== undefined) properties[name] = customer[name];
    else delete properties[name];
  }
  const ctx: ResolvedContext = { properties, currentTime: input?.currentTime ?? now.toISOString() };
  if (input?.userId !== undefined) ctx.userId = input.userId;
  if (input?.sessionId !== undefined) ctx.sessionId = input.sessionId;
  if (input?.remoteAddress !== undefined) ctx.remoteAddress = input.remoteAddress;
  if (input?.environment !== undefined) ctx.environment = input.environment;
  if (input?.appName !== undefined) ctx.appName = input.appName;
  return ctx;
}
