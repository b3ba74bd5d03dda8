/**
 * Per-customer toggles (the account team's "on/off for this customer" switches) projected into plain Unleash
 * strategies, so that FlagEngine and unmodified Unleash SDKs give the same answer for the projected definition:
 *
 *   1. `keyward:license-on`  default strategy, `licenseId IN <licenses on>`
 *   2. `keyward:account-on`  default strategy, `accountId IN <accounts on>` AND `licenseId NOT_IN <licenses off>`
 *   3. every original strategy, plus `accountId NOT_IN <accounts off>` and `licenseId NOT_IN <licenses off>`
 *      (each only when that list is non-empty; marked `origin: 'toggle'` for explain()).
 *
 * Precedence: license toggle > account toggle > the flag's strategies. A license turned on is on even if its account
 * is turned off; a license turned off is off even if its account is turned on. An id in both lists of one scope
 * counts as off. The kill switch stays absolute: a flag with `enabled: false` is off for everyone, toggles included.
 * Fields come from the context's properties: `accountId`, `licenseId` (set by the server / license file).
 *
 * The projection also makes the definition safe for SDKs that ignore Keyward's conventions: disabled strategies are
 * dropped (Unleash SDKs do not read `disabled`; a flag whose strategies are all disabled and that has no on-toggles
 * is served switched off), flexibleRollout strategies and strategies with variants get an explicit `groupId` (the
 * flag name — the Node SDK would otherwise hash with an empty / "undefined" group), and a flag with no strategies
 * (on for everyone) gets an explicit `default` strategy when off-toggles must be attached to it.
 */
import type { Constraint, FeatureDefinition, FlagToggles, StrategyDefinition } from './types.ts';

export const TOGGLE_LICENSE_ON = 'keyward:license-on';
export const TOGGLE_ACCOUNT_ON = 'keyward:account-on';

const ids = (list: readonly string[] | undefined): string[] => [...new Set((list ?? []).map(String))];

function offConstraint(field: 'accountId' | 'licenseId', values: string[]): Constraint {
  return { contextName: field, operator: 'NOT_IN', values, inverted: false, caseInsensitive: false, origin: 'toggle' };
}

function withGroupId(s: StrategyDefinition, flagName: string): StrategyDefinition {
  const needs = s.name === 'flexibleRollout' || (Array.isArray(s.variants) && s.variants.length > 0);
  if (!needs || s.parameters?.groupId) return s;
  return { ...s, parameters: { ...(s.parameters ?? {}), groupId: flagName } };
}

export function withToggles(feature: FeatureDefinition, toggles?: FlagToggles | null): FeatureDefinition {
  const accountsOff = ids(toggles?.accounts?.off);
  const licensesOff = ids(toggles?.licenses?.off);
  const accountsOn = ids(toggles?.accounts?.on).filter((id) => !accountsOff.includes(id));
  const licensesOn = ids(toggles?.licenses?.on).filter((id) => !licensesOff.includes(id));
  const source = Array.isArray(feature.strategies) ? feature.strategies : [];
  let original = source.filter((s) => s && s.disabled !== true).map((s) => withGroupId(s, feature.name));
  const offs: Constraint[] = [];
  if (accountsOff.length > 0) offs.push(offConstraint('accountId', accountsOff));
  if (licensesOff.length > 0) offs.push(offConstraint('licenseId', licensesOff));
  if (source.length === 0 && offs.length + accountsOn.length + licensesOn.length > 0) {
    original = [{ name: 'default', parameters: {}, constraints: [] }];
  }
  if (offs.length > 0) {
    original = original.map((s) => ({ ...s, constraints: [...(s.constraints ?? []), ...offs] }));
  }
  const strategies: StrategyDefinition[] = [];
  if (licensesOn.length > 0) {
    strategies.push({
      name: 'default',
      id: TOGGLE_LICENSE_ON,
      title: 'Per-customer toggle: licenses turned on',
      parameters: {},
      constraints: [
        { contextName: 'licenseId', operator: 'IN', values: licensesOn, inverted: false, caseInsensitive: false },
      ],
    });
  }
  if (accountsOn.length > 0) {
    const constraints: Constraint[] = [
      { contextName: 'accountId', operator: 'IN', values: accountsOn, inverted: false, caseInsensitive: false },
    ];
    if (licensesOff.length > 0) constraints.push(offConstraint('licenseId', licensesOff));
    strategies.push({
      name: 'default',
      id: TOGGLE_ACCOUNT_ON,
      title: 'Per-customer toggle: accounts turned on',
      parameters: {},
      constraints,
    });
  }
  strategies.push(...original);
  const allDisabled = source.length > 0 && strategies.length === 0;
  return { ...feature, enabled: feature.enabled === true && !allDisabled, strategies };
}

/** Only the toggles that concern one customer (for a license file or a per-license bundle). */
export function narrowToggles(
  toggles: FlagToggles | null | undefined,
  who: { accountId?: string | null | undefined; licenseId?: string | null | undefined },
): FlagToggles {
  const keep = (list: readonly string[] | undefined, id: string | null | undefined) =>
    id !== null && id !== undefined && (list ?? []).includes(id) ? [id] : [];
  return {
    accounts: { on: keep(toggles?.accounts?.on, who.accountId), off: keep(toggles?.accounts?.off, who.accountId) },
    licenses: { on: keep(toggles?.licenses?.on, who.licenseId), off: keep(toggles?.licenses?.off, who.licenseId) },
  };
}
