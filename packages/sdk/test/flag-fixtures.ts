/** Test-only: a flag bundle and entitlement properties covering every reason and error code of the provider. */
import type { EntitlementProperty, EntitlementsState, FlagBundle } from '../src/entitlements-types.ts';
import type { FeatureDefinition } from '../src/flags/types.ts';

const on = (name: string, extra: Partial<FeatureDefinition> = {}): FeatureDefinition => ({
  name,
  enabled: true,
  strategies: [{ name: 'default', parameters: {}, constraints: [] }],
  ...extra,
});

const variant = (name: string, type: 'string' | 'number' | 'json' | 'csv', value: string) => ({
  name,
  weight: 1000,
  weightType: 'variable' as const,
  stickiness: 'default',
  payload: { type, value },
});

export const LICENSE_CONTEXT = {
  accountId: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  licenseId: '5b0f6d1e-8a57-4b43-9c11-2f4c4d0b7a10',
  plan: 'Pro',
  planId: '8f1e3a22-1b2c-4d5e-8f90-112233445566',
  product: 'ACME',
  licenseType: 'subscription',
  entitlements: 'sso',
};

export function features(): FeatureDefinition[] {
  return [
    on('static-on'),
    on('killed', { enabled: false }),
    on('pro-only', {
      strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro'] }] }],
    }),
    on('gold-tier', {
      strategies: [{ name: 'default', constraints: [{ contextName: 'tier', operator: 'IN', values: ['gold'] }] }],
    }),
    on('beta-users', { strategies: [{ name: 'userWithId', parameters: { userIds: 'alice,bob' } }] }),
    on('rollout-50', {
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: 50, stickiness: 'userId', groupId: 'r50' } }],
    }),
    on('child', { dependencies: [{ feature: 'killed' }] }),
    on('theme', { variants: [variant('dark', 'string', 'dark')] }),
    on('max-items', { variants: [variant('big', 'number', '25')] }),
    on('bad-number', { variants: [variant('oops', 'number', 'twenty')] }),
    on('layout', { variants: [variant('grid', 'json', '{"columns":3,"dense":true}')] }),
    on('bad-json', { variants: [variant('broken', 'json', '{"columns":')] }),
    on('regions', { variants: [variant('some', 'csv', 'eu, us')] }),
    on('named', { variants: [{ name: 'blue', weight: 1000, weightType: 'variable', stickiness: 'default' }] }),
    on('plain-on'),
  ];
}

export function bundle(over: Partial<FlagBundle> = {}): FlagBundle {
  return { features: features(), segments: [], context: { ...LICENSE_CONTEXT }, ...over };
}

const source = (kind: EntitlementProperty['source']['kind']) => ({
  kind,
  id: null,
  planName: kind === 'plan' ? 'Pro' : null,
  reason: null,
  authorName: null,
  expiresAt: null,
});

export function properties(): EntitlementProperty[] {
  const p = (key: string, type: EntitlementProperty['type'], value: unknown, kind = 'plan' as const) =>
    ({
      key,
      name: key,
      type,
      value,
      source: source(kind),
      enforcement: type === 'number' ? 'hard' : null,
      unit: '',
      usage: null,
    }) as EntitlementProperty;
  return [
    {
      ...p('api_calls', 'number', 1000),
      unit: 'calls',
      usage: {
        used: 250,
        limit: 1000,
        remaining: 750,
        enforcement: 'hard',
        warningAt: 800,
        status: 'ok',
        resetPeriod: 'monthly',
        periodStart: '2026-11-01T00:00:00.000Z',
        periodEnd: '2026-12-01T00:00:00.000Z',
      },
    },
    p('seats', 'number', null),
    p('sso', 'boolean', true),
    { ...p('region', 'enum', 'eu'), source: source('default') },
    { ...p('limits', 'json', { exports: 5 }), source: source('license_override') },
    // A property named like a flag: the flag wins.
    p('static-on', 'boolean', false),
  ];
}

export function entitlementsState(props = properties()): EntitlementsState {
  return {
    computedAt: '2026-11-22T10:00:00.000Z',
    license: {
      id: LICENSE_CONTEXT.licenseId,
      status: 'active',
      type: 'subscription',
      plan: { id: LICENSE_CONTEXT.planId, name: 'Pro' },
      product: { id: '0d7c2d55-3f1b-4f7e-a4a3-6c2b3f5d9e01', code: 'ACME' },
      account: { id: LICENSE_CONTEXT.accountId, name: 'Acme Corp' },
    },
    trial: {
      isTrial: false,
      startsAt: '2026-01-01T00:00:00.000Z',
      endsAt: null,
      daysLeft: null,
      graceEndsAt: null,
      softExpiry: false,
      phase: 'active',
    },
    properties: props,
    flags: [],
  };
}
