/** Seeds a fresh server through its admin API (and the client API for machines). */

export function adminClient(port, token) {
  const base = `http://127.0.0.1:${port}`;
  async function call(method, path, body, { auth = true, expect } = {}) {
    const res = await fetch(base + path, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(auth ? { authorization: `Bearer ${token}` } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (expect ? !expect.includes(res.status) : !res.ok) {
      throw new Error(`${method} ${path} → ${res.status}: ${text.slice(0, 500)}`);
    }
    return { status: res.status, json, headers: res.headers };
  }
  return { call };
}

/** Runs `fn(i)` for i in [0, n) with at most `limit` in flight. */
export async function pool(n, limit, fn) {
  const out = new Array(n);
  let next = 0;
  const worker = async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, n) }, worker));
  return out;
}

/** Swaps one middle character of a canonical key for another symbol, which its check symbol catches (a typo). */
export function typo(key) {
  const i = 6; // first character of the first group after "BENCH-"
  const c = key[i];
  return key.slice(0, i) + (c === 'A' ? 'B' : 'A') + key.slice(i + 1);
}

/**
 * Product BENCH, a subscription plan (1000 seats, floating, entitlements), `accounts` accounts, `licenses`
 * licenses, `suspended` of them suspended, and one activated machine on each of the first `machines` licenses.
 */
export async function seed(api, { licenses, accounts = 25, suspended, machines }) {
  const product = (await api.call('POST', '/v1/products', { code: 'BENCH', name: 'Bench product' })).json;
  const plan = (
    await api.call('POST', '/v1/plans', {
      productId: product.id,
      name: 'Bench yearly',
      licenseType: 'subscription',
      durationDays: 365,
      graceDays: 14,
      maxMachines: 1000,
      floating: true,
      entitlements: ['sso', 'export.pdf'],
    })
  ).json;
  const accts = await pool(
    accounts,
    4,
    async (i) => (await api.call('POST', '/v1/accounts', { name: `Bench account ${i}`, crmId: `BENCH-${i}` })).json,
  );
  const t0 = performance.now();
  const issued = await pool(licenses, 8, async (i) => {
    const l = (await api.call('POST', '/v1/licenses', { planId: plan.id, accountId: accts[i % accounts].id })).json;
    return { id: l.id, key: l.key };
  });
  const issueSeconds = (performance.now() - t0) / 1000;
  const suspendedList = issued.slice(licenses - suspended);
  await pool(suspendedList.length, 4, (i) =>
    api.call('POST', `/v1/licenses/${suspendedList[i].id}/actions/suspend`, {}),
  );
  const active = issued.slice(0, licenses - suspended);
  const withMachine = active.slice(0, machines).map((l, i) => ({ ...l, fingerprint: `seed-host-${i}` }));
  await pool(withMachine.length, 4, (i) =>
    api.call(
      'POST',
      '/v1/machines/activate',
      { key: withMachine[i].key, fingerprint: withMachine[i].fingerprint },
      { auth: false, expect: [201] },
    ),
  );
  return { product, plan, active, suspended: suspendedList, withMachine, issueSeconds };
}

/** Deterministic PRNG (mulberry32) so every run validates the same mix. */
export function prng(seedValue) {
  let a = seedValue >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The validate-key mix, as JSON bodies: 70 % plain valid keys, 10 % with a product + entitlement scope, 10 % with
 * the fingerprint of an activated machine, 5 % suspended licenses, 5 % mistyped keys (no lookup). Keys are spread
 * over all licenses.
 */
export function validateMix(data, size = 20_000) {
  const rnd = prng(42);
  const pick = (list) => list[Math.floor(rnd() * list.length)];
  const bodies = [];
  for (let i = 0; i < size; i++) {
    const r = rnd();
    let body;
    if (r < 0.7) body = { key: pick(data.active).key };
    else if (r < 0.8) body = { key: pick(data.active).key, scope: { product: 'BENCH', entitlements: ['sso'] } };
    else if (r < 0.9) {
      const m = pick(data.withMachine);
      body = { key: m.key, scope: { fingerprint: m.fingerprint } };
    } else if (r < 0.95) body = { key: pick(data.suspended).key };
    else body = { key: typo(pick(data.active).key) };
    bodies.push(JSON.stringify({ ...body, nonce: `n${i}` }));
  }
  return bodies;
}
