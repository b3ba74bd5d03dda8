import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { InMemStorageProvider, startUnleash, type Unleash } from 'unleash-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { DAY_MS } from '../../platform/clock.ts';
import { createProduct } from '../client/test-fixtures.ts';
import { evaluateFlagsForLicense, flagBundleForLicense } from '../flags/flags.read.ts';
import { createFlag, createSegment, setToggle } from '../flags/test-fixtures.ts';
import { insertAccount, insertLicense, insertPlan } from '../licenses/test-fixtures.ts';
import { findLicenseRefs } from '../properties/properties.read.ts';

/**
 * The acceptance test of the Unleash client API: the real `unleash-client` SDK against a listening Keyward, with a
 * client token. For several customers and users, the SDK's isEnabled/getVariant must agree with Keyward's own
 * evaluation (the same definitions, per-customer toggles projected into plain strategies); its registration and
 * metrics must be stored.
 */
describe(`unleash-client SDK against Keyward (${dbKind})`, () => {
  let t: TestApp;
  let unleash: Unleash;
  const licenses: string[] = [];
  let toggledFlag: { id: string };

  beforeAll(async () => {
    t = await startTestApp();
    const product = await createProduct(t);
    const business = await insertPlan(t, product.id, { name: 'Business' });
    const starter = await insertPlan(t, product.id, { name: 'Starter' });
    const acme = await insertAccount(t, { name: 'Acme' });
    const globex = await insertAccount(t, { name: 'Globex' });
    const dates = { starts_at: new Date(t.clock.now().getTime() - DAY_MS), ends_at: null };
    licenses.push(
      await insertLicense(t, business, acme.id, dates),
      await insertLicense(t, starter, acme.id, dates),
      await insertLicense(t, business, globex.id, dates),
      await insertLicense(t, starter, globex.id, dates),
    );
    const [l1, l2, l3] = licenses as [string, string, string];

    const paying = await createSegment(t, {
      productId: product.id,
      name: 'Paying business customers',
      constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business'] }],
    });
    await createFlag(t, {
      productId: product.id,
      key: 'half-rollout',
      enabled: true,
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: '50', stickiness: 'userId' } }],
    });
    await createFlag(t, {
      productId: product.id,
      key: 'business-only',
      enabled: true,
      strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business'] }] }],
    });
    await createFlag(t, {
      productId: product.id,
      key: 'segmented-rollout',
      enabled: true,
      strategies: [
        { name: 'flexibleRollout', parameters: { rollout: '70', stickiness: 'default' }, segments: [paying.id] },
      ],
    });
    await createFlag(t, {
      productId: product.id,
      key: 'child-of-business',
      enabled: true,
      dependencies: [{ feature: 'business-only' }],
    });
    await createFlag(t, {
      productId: product.id,
      key: 'experiment',
      type: 'experiment',
      enabled: true,
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: '100', stickiness: 'userId' } }],
      variants: [
        { name: 'blue', weight: 500, stickiness: 'userId', payload: { type: 'json', value: '{"color":"blue"}' } },
        { name: 'green', weight: 500, stickiness: 'userId', payload: { type: 'string', value: 'green' } },
      ],
    });
    toggledFlag = await createFlag(t, {
      productId: product.id,
      key: 'customer-switch',
      enabled: true,
      strategies: [{ name: 'flexibleRollout', parameters: { rollout: '0', stickiness: 'default' } }],
    });
    await setToggle(t, toggledFlag.id, 'license', l2, true, 'pilot');
    await setToggle(t, toggledFlag.id, 'account', globex.id, true, 'whole account');
    await setToggle(t, toggledFlag.id, 'license', l3, false, 'except this one');
    const killed = await createFlag(t, { productId: product.id, key: 'killed', enabled: false });
    await setToggle(t, killed.id, 'license', l1, true, 'toggles do not beat the kill switch');

    const token = await t.request({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'acceptance sdk', role: 'client', productId: product.id },
    });
    expect(token.statusCode, token.body).toBe(201);
    await t.kw.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.kw.app.server.address() as AddressInfo;
    unleash = await startUnleash({
      url: `http://127.0.0.1:${port}/api`,
      appName: 'acceptance',
      instanceId: 'acceptance-1',
      customHeaders: { Authorization: token.json().secret },
      refreshInterval: 200,
      metricsInterval: 60_000,
      storageProvider: new InMemStorageProvider(),
    });
  });
  afterAll(async () => {
    unleash?.destroy();
    await t.close();
  });

  /** Keyward's evaluation and the SDK's, for every license and some users, as comparable rows. */
  async function compare() {
    const ours: string[] = [];
    const theirs: string[] = [];
    for (const licenseId of licenses) {
      const refs = await findLicenseRefs(t.kw.database.db, licenseId);
      if (!refs) throw new Error('refs');
      const { context } = await flagBundleForLicense(t.kw.database.db, refs, t.clock.now());
      for (let u = 0; u < 12; u++) {
        const userId = `user-${u}`;
        const states = await evaluateFlagsForLicense(t.kw.database.db, refs, { userId }, t.clock.now());
        for (const s of states) {
          const v = unleash.getVariant(s.key, { userId, properties: context });
          const row = (enabled: boolean, name: string, vEnabled: boolean, payload: unknown) =>
            JSON.stringify({ licenseId, userId, flag: s.key, enabled, variant: name, vEnabled, payload });
          ours.push(row(s.enabled, s.variant.name, s.variant.enabled, s.variant.payload ?? null));
          theirs.push(
            row(unleash.isEnabled(s.key, { userId, properties: context }), v.name, v.enabled, v.payload ?? null),
          );
        }
      }
    }
    return { ours, theirs };
  }

  it('isEnabled and getVariant agree with Keyward for every customer and user', async () => {
    const { ours, theirs } = await compare();
    expect(ours.length).toBe(4 * 12 * 7);
    expect(theirs).toEqual(ours);
    // The cases are not trivial: the toggles, the rollout and the variants all showed up.
    const rows = ours.map(
      (r) => JSON.parse(r) as { flag: string; enabled: boolean; licenseId: string; variant: string },
    );
    const enabled = (flag: string, licenseId: string) =>
      rows.filter((r) => r.flag === flag && r.licenseId === licenseId).every((r) => r.enabled);
    const [l1, l2, l3, l4] = licenses as [string, string, string, string];
    expect([enabled('customer-switch', l1), enabled('customer-switch', l2)]).toEqual([false, true]);
    expect([enabled('customer-switch', l3), enabled('customer-switch', l4)]).toEqual([false, true]);
    expect(rows.filter((r) => r.flag === 'killed').some((r) => r.enabled)).toBe(false);
    const half = rows.filter((r) => r.flag === 'half-rollout' && r.licenseId === l1);
    expect(half.some((r) => r.enabled) && half.some((r) => !r.enabled)).toBe(true);
    expect(new Set(rows.filter((r) => r.flag === 'experiment').map((r) => r.variant))).toEqual(
      new Set(['blue', 'green']),
    );
  });

  it('follows changes: a new toggle reaches the SDK on its next poll (ETag changed), then agrees again', async () => {
    await once(unleash, 'unchanged'); // a poll answered 304
    const [l1] = licenses as [string];
    await setToggle(t, toggledFlag.id, 'license', l1, true, 'late addition');
    await once(unleash, 'changed');
    const { ours, theirs } = await compare();
    expect(theirs).toEqual(ours);
    expect(ours.some((r) => r.includes(l1) && r.includes('"flag":"customer-switch","enabled":true'))).toBe(true);
  });

  it('registration and metrics from the SDK are accepted and stored', async () => {
    // The SDK registers when it starts (asynchronously): wait for the row.
    const readClients = () => t.kw.database.db.selectFrom('flag_clients').selectAll().execute();
    for (let i = 0; i < 50 && (await readClients()).length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    const clients = await readClients();
    expect(clients).toEqual([
      expect.objectContaining({ app_name: 'acceptance', instance_id: 'acceptance-1', interval_ms: 60_000 }),
    ]);
    expect(clients[0]?.sdk_version).toMatch(/^unleash-node-sdk:/);
    await unleash.flushMetrics();
    const metrics = await t.kw.database.db.selectFrom('flag_metrics').selectAll().orderBy('flag_key').execute();
    expect(metrics.map((m) => m.flag_key)).toEqual([
      'business-only',
      'child-of-business',
      'customer-switch',
      'experiment',
      'half-rollout',
      'killed',
      'segmented-rollout',
    ]);
    // Two comparisons: 2 × 4 licenses × 12 users × (isEnabled + getVariant) evaluations per flag.
    for (const m of metrics) expect(Number(m.yes) + Number(m.no)).toBe(2 * 4 * 12 * 2);
    const experiment = metrics.find((m) => m.flag_key === 'experiment');
    expect(Object.keys(experiment?.variants ?? {}).sort()).toEqual(['blue', 'green']);
  });
});
