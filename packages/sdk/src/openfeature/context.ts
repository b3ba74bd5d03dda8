/**
 * OpenFeature evaluation context → the flag engine's context (Unleash model). The license's own context (the
 * bundle's `context`: accountId, licenseId, plan, …) is laid over the caller's, so a caller can add attributes but
 * never pretend to be another license, account or plan.
 */
import type { EvaluationContext } from '@openfeature/server-sdk';
import type { FlagContext } from '../flags/types.ts';

/** License-aware fields: always taken from the license (bundle or file), never from the evaluation context. */
export const LICENSE_FIELDS: readonly string[] = [
  'accountId',
  'licenseId',
  'plan',
  'planId',
  'product',
  'accountCreatedAt',
  'licenseType',
  'entitlements',
];

/** Unleash's top-level context fields; every other attribute goes to `properties`. */
const TOP_LEVEL = ['sessionId', 'remoteAddress', 'environment', 'appName'] as const;

type Property = string | number | boolean;

/** A context attribute as an Unleash property: primitives as they are, dates as ISO-8601, anything else dropped. */
function propertyOf(value: unknown): Property | undefined {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
  return undefined;
}

/**
 * Maps an OpenFeature context: `targetingKey` (or else `userId`) → userId; sessionId, remoteAddress, environment,
 * appName and currentTime → the Unleash fields of those names; every other string, number, boolean or Date
 * attribute → `properties`. Objects and arrays are ignored. Then the license context is laid over `properties`.
 */
export function flagContextOf(ctx: EvaluationContext, license: Record<string, string>): FlagContext {
  const out: FlagContext = {};
  const properties: Record<string, Property> = {};
  const reserved = new Set([...LICENSE_FIELDS, ...Object.keys(license)]);
  for (const [name, raw] of Object.entries(ctx)) {
    const value = propertyOf(raw);
    if (value === undefined) continue;
    if (name === 'targetingKey' || name === 'userId') {
      if (name === 'targetingKey' || ctx.targetingKey === undefined) out.userId = String(value);
    } else if (name === 'currentTime') {
      out.currentTime = String(value);
    } else if ((TOP_LEVEL as readonly string[]).includes(name)) {
      out[name as (typeof TOP_LEVEL)[number]] = String(value);
    } else if (!reserved.has(name)) {
      properties[name] = value;
    }
  }
  out.properties = { ...properties, ...license };
  return out;
}
