/**
 * Usage metering benchmark (docs/performance.md, "Usage metering"): `POST /v1/client/usage` increments against the
 * real server, seeded through the admin API. Scenarios (each with the run's connections, 50 by default):
 *  - usageSpread: increment 1, keys round-robin over all licenses (one counter row each), hard limit never reached
 *  - usageIdempotent: the same with a fresh idempotency key on every request (one more unique-index entry)
 *  - usageHot: every connection increments ONE license's counter (all requests serialise on its row lock)
 *  - usageRefused: one license whose hard limit is reached, so every request is refused (decision + refusal row)
 * After each scenario the counters are checked against the accepted responses' invariants (see checks).
 */
import { measure } from './load.mjs';
import { pool } from './seed.mjs';

const PROPERTY = 'api_calls';
const FULL_LIMIT = 100;

/** Product USAGE, one plan, `licenses` licenses, the metered property `api_calls` (hard limit 10^12, monthly). */
export async function seedUsage(api, { licenses }) {
  const product = (await api.call('POST', '/v1/products', { code: 'USAGE', name: 'Usage bench' })).json;
  const plan = (
    await api.call('POST', '/v1/plans', {
      productId: product.id,
      name: 'Usage yearly',
      licenseType: 'subscription',
      durationDays: 365,
      maxMachines: 10,
      floating: true,
    })
  ).json;
  const account = (await api.call('POST', '/v1/accounts', { name: 'Usage bench account' })).json;
  const property = (
    await api.call('POST', '/v1/properties', {
      productId: product.id,
      key: PROPERTY,
      name: 'API calls',
      type: 'number',
      defaultValue: 1_000_000_000_000,
      enforcement: 'hard',
      warningThresholdPercent: 80,
      metered: true,
      resetPeriod: 'monthly',
      unit: 'calls',
    })
  ).json;
  const issued = await pool(licenses + 2, 8, async () => {
    const l = (await api.call('POST', '/v1/licenses', { planId: plan.id, accountId: account.id })).json;
    return { id: l.id, key: l.key };
  });
  const hot = issued[licenses];
  const full = issued[licenses + 1];
  // The full license: a license override lowers its limit, then an admin set fills it.
  await api.call('POST', '/v1/overrides', {
    propertyId: property.id,
    licenseId: full.id,
    value: FULL_LIMIT,
    reason: 'bench: a license at its hard limit',
  });
  await api.call('POST', `/v1/licenses/${full.id}/usage/${PROPERTY}`, { op: 'set', amount: FULL_LIMIT });
  return { spread: issued.slice(0, licenses), hot, full };
}

function usageRequest(licenses, { idempotent = false, tag = '' } = {}) {
  let i = 0;
  return {
    method: 'POST',
    path: '/v1/client/usage',
    next: () => {
      const n = i++;
      const body = { key: licenses[n % licenses.length].key, property: PROPERTY };
      if (idempotent) body.idempotencyKey = `${tag}-${n}`;
      return JSON.stringify(body);
    },
  };
}

async function usedOf(api, license) {
  const res = await api.call('GET', `/v1/licenses/${license.id}/usage`);
  return res.json.data.find((d) => d.property.key === PROPERTY)?.usage.used ?? 0;
}

/** Runs the four scenarios on a started server; returns them plus consistency checks. */
export async function usageScenarios({ port, api, cannon, licenses, tag, log }) {
  log('usage: seeding');
  const data = await seedUsage(api, { licenses });
  const scenarios = {};
  const checks = {};

  log('usage: increments spread over licenses');
  scenarios.usageSpread = await measure(port, usageRequest(data.spread), cannon);
  log('usage: increments with idempotency keys');
  scenarios.usageIdempotent = await measure(port, usageRequest(data.spread, { idempotent: true, tag }), cannon);
  const spreadTotal = (await pool(data.spread.length, 8, (i) => usedOf(api, data.spread[i]))).reduce(
    (a, b) => a + b,
    0,
  );
  // Warm-up requests count too, so the counters hold at least the measured accepted responses.
  const measured2xx = scenarios.usageSpread.statuses['200'] ?? 0;
  const idempotent2xx = scenarios.usageIdempotent.statuses['200'] ?? 0;
  checks.spreadCountersAtLeastAccepted = spreadTotal >= measured2xx + idempotent2xx;
  checks.spreadCounterTotal = spreadTotal;

  log('usage: one hot counter');
  scenarios.usageHot = await measure(port, usageRequest([data.hot]), cannon);
  const hotUsed = await usedOf(api, data.hot);
  checks.hotCounterAtLeastAccepted = hotUsed >= (scenarios.usageHot.statuses['200'] ?? 0);
  checks.hotCounter = hotUsed;

  log('usage: a license at its hard limit (every request refused)');
  scenarios.usageRefused = await measure(port, usageRequest([data.full]), cannon);
  const fullUsed = await usedOf(api, data.full);
  checks.refusedCounterStaysAtLimit = fullUsed === FULL_LIMIT;
  checks.refusedAll409 = Object.keys(scenarios.usageRefused.statuses).every((k) => k === '409');
  return { scenarios, checks };
}
