import { FlagsService } from '../modules/flags/flags.service.ts';
import { TogglesService } from '../modules/flags/toggles.service.ts';
import { PlansService } from '../modules/plans/plans.service.ts';
import { OverridesService } from '../modules/properties/overrides.service.ts';
import { PlanValuesService } from '../modules/properties/plan-values.service.ts';
import { PropertiesService } from '../modules/properties/properties.service.ts';
import { UsageService } from '../modules/usage/usage.service.ts';
import type { RequestContext } from '../platform/auth/actor.ts';
import { addDays, type Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';

/** What the demo catalogue made that the entitlements demo builds on. */
export interface DemoCatalog {
  acmeId: string;
  acmeTrialId: string;
  acmeYearlyId: string;
  globexId: string;
  globexLicenseId: string;
  umbrellaTrialLicenseId: string;
}

/**
 * Demo entitlements and flags for Acme Analytics (docs/entitlements.md, docs/feature-flags.md): a switch, a metered
 * limit, options and a JSON config with plan values (the trial = Business with soft limits), an account override with
 * a reason, some usage, and flags with a rollout, a plan rule and a per-customer toggle — so the dashboard's
 * "Flags & entitlements" tab and `keyward explain` have something to show on a fresh start.
 */
export async function seedEntitlementsDemo(
  deps: { db: Db; clock: Clock },
  ctx: RequestContext,
  c: DemoCatalog,
): Promise<void> {
  const properties = new PropertiesService(deps);
  const planValues = new PlanValuesService(deps);
  const overrides = new OverridesService(deps);
  const flags = new FlagsService(deps);
  const toggles = new TogglesService(deps);
  const usage = new UsageService(deps);
  const productId = c.acmeId;

  const sso = await properties.create(ctx, {
    productId,
    key: 'sso',
    name: 'Single sign-on',
    type: 'boolean',
    defaultValue: false,
  });
  const calls = await properties.create(ctx, {
    productId,
    key: 'api_calls',
    name: 'API calls per month',
    type: 'number',
    defaultValue: 1000,
    enforcement: 'hard',
    warningThresholdPercent: 80,
    metered: true,
    resetPeriod: 'monthly',
    unit: 'calls',
  });
  const formats = await properties.create(ctx, {
    productId,
    key: 'export.formats',
    name: 'Export formats',
    type: 'enum',
    options: ['csv', 'pdf', 'xlsx'],
    multiple: true,
    defaultValue: ['csv'],
  });
  await properties.create(ctx, {
    productId,
    key: 'dashboard.theme',
    name: 'Dashboard theme',
    type: 'json',
    defaultValue: { accent: '#1c7ed6', logo: null },
  });

  // Business: SSO, 50k calls (hard), every format. Trial: based on Business (its formats and theme), a soft limit of
  // 5k calls, no SSO.
  await planValues.set(ctx, c.acmeYearlyId, sso.id, { value: true });
  await planValues.set(ctx, c.acmeYearlyId, calls.id, { value: 50_000 });
  await planValues.set(ctx, c.acmeYearlyId, formats.id, { value: ['csv', 'pdf', 'xlsx'] });
  await new PlansService(deps).update(ctx, c.acmeTrialId, { basePlanId: c.acmeYearlyId });
  await planValues.set(ctx, c.acmeTrialId, sso.id, { value: false });
  await planValues.set(ctx, c.acmeTrialId, calls.id, { value: 5_000, enforcement: 'soft' });

  await overrides.create(ctx, {
    propertyId: calls.id,
    accountId: c.globexId,
    value: 120_000,
    reason: 'Q4 launch campaign, approved by sales (ticket SALES-311)',
    expiresAt: addDays(deps.clock.now(), 60).toISOString(),
  });
  await usage.meter(ctx, c.globexLicenseId, 'api_calls', { op: 'set', amount: 38_250 });
  await usage.meter(ctx, c.umbrellaTrialLicenseId, 'api_calls', { op: 'set', amount: 4_400 });

  await flags.create(ctx, {
    productId,
    key: 'new-report-builder',
    description: 'The redesigned report builder (gradual rollout)',
    type: 'release',
    enabled: true,
    strategies: [
      {
        name: 'flexibleRollout',
        parameters: { rollout: '25', stickiness: 'accountId', groupId: 'new-report-builder' },
      },
    ],
  });
  const ai = await flags.create(ctx, {
    productId,
    key: 'ai-insights',
    description: 'AI insights: Business customers who joined from 2026 on, plus pilots',
    type: 'permission',
    enabled: true,
    strategies: [
      {
        name: 'default',
        constraints: [
          { contextName: 'plan', operator: 'IN', values: ['Business Yearly'] },
          { contextName: 'accountCreatedAt', operator: 'DATE_AFTER', value: '2026-01-01T00:00:00.000Z' },
        ],
      },
    ],
  });
  await toggles.put(
    ctx,
    { id: ai.id, scope: 'license', targetId: c.umbrellaTrialLicenseId },
    { enabled: true, reason: 'Pilot during the evaluation (asked by Alice Abernathy)' },
  );
  await flags.create(ctx, {
    productId,
    key: 'legacy-export',
    description: 'Kill switch for the old PDF exporter',
    type: 'kill-switch',
    enabled: false,
    strategies: [{ name: 'default' }],
  });
}
