/**
 * Inputs of the flag-evaluation benchmark (bench/flags.mjs), deterministic (seeded PRNG):
 *  - spec:      every case of @unleash/client-specification (state per file, isEnabled / getVariant per case)
 *  - realistic: 50 flags like a Keyward product has them (rollouts, constraints, segments, variants, strategy
 *               variants, dependencies, per-customer toggles), 200 license contexts × every flag
 *  - lists:     one flag with `accountId IN` 10 ids and one with 1,000 ids, half the contexts listed
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** [{file, state: {features, segments}, cases: [{name, context, variant: boolean}]}] */
export function specSuites(applyDelta) {
  const dir = path.join(path.dirname(require.resolve('@unleash/client-specification/package.json')), 'specifications');
  const files = JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8'));
  return files.map((file) => {
    const spec = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const state = spec.state.events ? applyDelta({}, spec.state.events) : spec.state;
    const cases = [
      ...(spec.tests ?? []).map((t) => ({ name: t.toggleName, context: t.context, variant: false })),
      ...(spec.variantTests ?? []).map((t) => ({ name: t.toggleName, context: t.context, variant: true })),
    ];
    return { file, state: { features: state.features ?? [], segments: state.segments ?? [] }, cases };
  });
}

const ACCOUNTS = Array.from({ length: 2000 }, (_, i) => `acc-${String(i).padStart(5, '0')}`);
const PLANS = ['Free', 'Starter', 'Pro', 'Enterprise'];

/** 50 flags + 5 segments (projected with withToggles like the server serves them) and 200 contexts. */
export function realisticSet(withToggles) {
  const r = rng(42);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const some = (xs, n) => Array.from({ length: n }, () => pick(xs));
  const segments = [
    { id: 1, name: 'paid', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro', 'Enterprise'] }] },
    { id: 2, name: 'eu', constraints: [{ contextName: 'region', operator: 'STR_STARTS_WITH', values: ['eu-'] }] },
    { id: 3, name: 'big', constraints: [{ contextName: 'seats', operator: 'NUM_GTE', value: '50' }] },
    { id: 4, name: 'modern', constraints: [{ contextName: 'version', operator: 'SEMVER_GTE', value: '2.0.0' }] },
    { id: 5, name: 'beta', constraints: [{ contextName: 'accountId', operator: 'IN', values: some(ACCOUNTS, 50) }] },
  ];
  const features = [];
  for (let i = 0; i < 50; i++) {
    const name = `flag-${i}`;
    const rollout = (pct, stickiness = 'default', extra = {}) => ({
      name: 'flexibleRollout',
      parameters: { rollout: String(pct), stickiness, groupId: name },
      ...extra,
    });
    let f;
    switch (i % 10) {
      case 0:
        f = { strategies: [{ name: 'default' }] };
        break;
      case 1:
        f = { strategies: [rollout(10 + ((i * 7) % 80))] };
        break;
      case 2:
        f = {
          strategies: [
            rollout(50, 'accountId', {
              constraints: [{ contextName: 'plan', operator: 'IN', values: ['Pro', 'Enterprise'] }],
            }),
          ],
        };
        break;
      case 3:
        f = {
          strategies: [
            {
              name: 'default',
              constraints: [
                { contextName: 'plan', operator: 'IN', values: ['Starter', 'Pro'] },
                { contextName: 'seats', operator: 'NUM_GT', value: '5' },
                { contextName: 'entitlements', operator: 'STR_CONTAINS', values: ['sso'] },
              ],
            },
          ],
        };
        break;
      case 4:
        f = {
          strategies: [rollout(100, 'default', { segments: [1, 2] }), rollout(20, 'accountId', { segments: [3] })],
        };
        break;
      case 5:
        f = {
          strategies: [
            { name: 'default', constraints: [{ contextName: 'version', operator: 'SEMVER_GTE', value: '1.5.0' }] },
          ],
          variants: ['a', 'b', 'c'].map((v, k) => ({
            name: v,
            weight: k === 0 ? 334 : 333,
            weightType: 'variable',
            stickiness: 'accountId',
            payload: { type: 'json', value: `{"layout":"${v}"}` },
          })),
        };
        break;
      case 6:
        f = {
          strategies: [
            rollout(60, 'default', {
              segments: [4],
              variants: [
                { name: 'on', weight: 500, weightType: 'variable', stickiness: 'default' },
                { name: 'off', weight: 500, weightType: 'variable', stickiness: 'default' },
              ],
            }),
          ],
        };
        break;
      case 7:
        f = { strategies: [rollout(80)], dependencies: [{ feature: `flag-${i - 6}` }] };
        break;
      case 8:
        f = {
          strategies: [
            { name: 'userWithId', parameters: { userIds: some(ACCOUNTS, 20).join(',') } },
            rollout(30, 'default', { segments: [5] }),
          ],
        };
        break;
      default:
        f =
          i % 20 === 9
            ? { enabled: false, strategies: [{ name: 'default' }] }
            : {
                strategies: [
                  {
                    name: 'default',
                    constraints: [
                      { contextName: 'currentTime', operator: 'DATE_AFTER', value: '2024-01-01T00:00:00Z' },
                    ],
                  },
                ],
              };
    }
    const def = { name, enabled: true, type: 'release', ...f };
    const toggles =
      i % 2 === 0
        ? {
            accounts: { on: some(ACCOUNTS, 5), off: some(ACCOUNTS, 5) },
            licenses: { on: some(ACCOUNTS, 3).map((a) => `lic-${a}`), off: some(ACCOUNTS, 3).map((a) => `lic-${a}`) },
          }
        : {};
    features.push(withToggles(def, toggles));
  }
  const contexts = Array.from({ length: 200 }, (_, i) => {
    const accountId = pick(ACCOUNTS);
    return {
      userId: `user-${i}`,
      sessionId: `session-${i}`,
      properties: {
        accountId,
        licenseId: `lic-${accountId}`,
        plan: pick(PLANS),
        seats: String(Math.floor(r() * 200)),
        version: pick(['1.4.2', '1.9.0', '2.0.0', '2.3.1']),
        region: pick(['eu-west-1', 'us-east-1', 'eu-central-1', 'ap-south-1']),
        entitlements: pick(['sso,audit', 'audit', '']),
        product: 'ACME',
      },
    };
  });
  return { features, segments, contexts };
}

const fresh = (s) => [...s].join('');

/** `accountId IN` 10 ids vs 1,000 ids; 200 contexts each, half of them listed. */
export function listSet() {
  const r = rng(7);
  const ids = (n) => ACCOUNTS.slice(0, n);
  const features = [10, 1000].map((n) => ({
    name: `list-${n}`,
    enabled: true,
    strategies: [{ name: 'default', constraints: [{ contextName: 'accountId', operator: 'IN', values: ids(n) }] }],
  }));
  const contexts = (n) =>
    Array.from({ length: 200 }, (_, i) => ({
      userId: `user-${i}`,
      // A fresh string per context (as parsed from a request), never the list's own string object.
      properties: { accountId: i % 2 === 0 ? fresh(ACCOUNTS[Math.floor(r() * n)]) : `other-${i}` },
    }));
  return { features, contexts10: contexts(10), contexts1000: contexts(1000) };
}
