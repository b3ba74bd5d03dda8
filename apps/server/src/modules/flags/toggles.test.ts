import { FlagEngine } from '@keyward/sdk/flags';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { DAY_MS } from '../../platform/clock.ts';
import type { PlanRow } from '../../platform/db/schema.ts';
import { createProduct, createToken } from '../client/test-fixtures.ts';
import { EntitlementsService } from '../entitlements/entitlements.service.ts';
import type { FlagsReader } from '../entitlements/entitlements.types.ts';
import { insertAccount, insertLicense, insertPlan, insertToken } from '../licenses/test-fixtures.ts';
import { findLicenseRefs } from '../properties/properties.read.ts';
import { asUser, signInAs } from '../staff-auth/test-session.ts';
import { evaluateFlagsForLicense, flagBundleForLicense } from './flags.read.ts';
import { createFlag, enabledFor, errorOf, licenseFlags, patchFlag, setToggle, toggle } from './test-fixtures.ts';

const NOTHING = '00000000-0000-4000-8000-000000000001';

describe(`per-customer toggles, customer flag lists, explain (${dbKind})`, () => {
  let t: TestApp;
  let product: { id: string; code: string };
  let business: PlanRow;
  let acme: { id: string };
  let globex: { id: string };
  /** Acme's Business license, Acme's Starter license, Globex's Business license. */
  let l1: string;
  let l2: string;
  let l3: string;
  let beta: { id: string; key: string };

  const del = (flagId: string, scope: string, target: string) =>
    t.request({ method: 'DELETE', url: `/v1/flags/${flagId}/toggles/${scope}/${target}` });
  const explain = (flagId: string, payload: Record<string, unknown>) =>
    t.request({ method: 'POST', url: `/v1/flags/${flagId}/explain`, payload });

  beforeAll(async () => {
    t = await startTestApp();
    product = await createProduct(t);
    business = await insertPlan(t, product.id, { name: 'Business', entitlements: ['SSO', 'CORE'] });
    const starter = await insertPlan(t, product.id, { name: 'Starter' });
    acme = await insertAccount(t, { name: 'Acme' });
    globex = await insertAccount(t, { name: 'Globex' });
    const dates = { starts_at: new Date(t.clock.now().getTime() - DAY_MS), ends_at: null };
    l1 = await insertLicense(t, business, acme.id, { ...dates, entitlements: ['EXTRA'] } as typeof dates);
    l2 = await insertLicense(t, starter, acme.id, dates);
    l3 = await insertLicense(t, business, globex.id, dates);
    beta = await createFlag(t, {
      productId: product.id,
      key: 'beta',
      enabled: true,
      strategies: [{ name: 'default', constraints: [{ contextName: 'plan', operator: 'IN', values: ['Business'] }] }],
    });
  });
  afterAll(async () => t.close());

  it('applies precedence: license toggle > account toggle > the flag strategies', async () => {
    expect((await enabledFor(t, l1)).beta).toBe(true); // Business
    expect((await enabledFor(t, l2)).beta).toBe(false); // Starter

    await setToggle(t, beta.id, 'account', acme.id, false, 'churn risk');
    expect((await enabledFor(t, l1)).beta).toBe(false); // account off beats the strategy
    expect((await enabledFor(t, l3)).beta).toBe(true); // another account: untouched

    await setToggle(t, beta.id, 'license', l1, true, 'pilot user');
    expect((await enabledFor(t, l1)).beta).toBe(true); // license on beats account off
    expect((await enabledFor(t, l2)).beta).toBe(false);

    await setToggle(t, beta.id, 'account', acme.id, true, 'whole account in');
    expect((await enabledFor(t, l2)).beta).toBe(true); // account on beats a strategy miss
    await setToggle(t, beta.id, 'license', l2, false, 'not this one');
    expect((await enabledFor(t, l2)).beta).toBe(false); // license off beats account on

    const list = await licenseFlags(t, l2);
    const flag = list.flags.find((f) => f.key === 'beta');
    expect(flag?.toggle).toMatchObject({ state: 'off', scope: 'license', reason: 'not this one' });
    expect(flag?.accountToggle).toMatchObject({ enabled: true, reason: 'whole account in' });
    expect(flag?.evaluated).toMatchObject({ enabled: false, reason: 'DEFAULT' });
    expect(list.context.properties).toMatchObject({ licenseId: l2, accountId: acme.id, plan: 'Starter' });

    const toggles = await t.request({ method: 'GET', url: `/v1/flags/${beta.id}/toggles` });
    expect(toggles.json().data).toHaveLength(3);
    expect(toggles.json().data.find((x: { scope: string }) => x.scope === 'account')).toMatchObject({
      targetId: acme.id,
      targetName: 'Acme',
      accountId: acme.id,
      enabled: true,
    });
    expect(toggles.json().data.find((x: { targetId: string }) => x.targetId === l1)).toMatchObject({
      accountId: acme.id,
      targetName: expect.stringContaining('BULK-'),
    });

    for (const [scope, id] of [
      ['license', l1],
      ['license', l2],
      ['account', acme.id],
    ] as const) {
      expect((await del(beta.id, scope, id)).statusCode).toBe(204);
    }
    expect(await enabledFor(t, l1)).toMatchObject({ beta: true });
    expect(await enabledFor(t, l2)).toMatchObject({ beta: false });
  });

  it('keeps the kill switch absolute: a disabled flag is off for toggled customers too', async () => {
    const kill = await createFlag(t, { productId: product.id, key: 'kill', type: 'kill-switch', enabled: true });
    await setToggle(t, kill.id, 'license', l2, true);
    expect((await enabledFor(t, l2)).kill).toBe(true);
    await patchFlag(t, kill.id, { enabled: false });
    const list = await licenseFlags(t, l2);
    expect(list.flags.find((f) => f.key === 'kill')?.evaluated).toMatchObject({ enabled: false, reason: 'DISABLED' });
    const why = (await explain(kill.id, { licenseId: l2 })).json();
    expect(why.explanation).toMatchObject({ enabled: false, reason: 'DISABLED' });
    expect(why.explanation.steps[0]).toMatchObject({ subject: 'toggle license', outcome: 'skip' });
    expect(why.explanation.steps[0].detail).toContain('kill switch');
  });

  it('bumps the flag version and audits every toggle change in the customer history', async () => {
    const flag = await createFlag(t, { productId: product.id, key: 'audited', enabled: true });
    await setToggle(t, flag.id, 'license', l3, true, 'first');
    await setToggle(t, flag.id, 'license', l3, false, 'second');
    await del(flag.id, 'license', l3);
    const after = await t.request({ method: 'GET', url: `/v1/flags/${flag.id}` });
    expect(after.json().version).toBe(4);
    const history = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'before', 'after', 'account_id', 'product_id'])
      .where('license_id', '=', l3)
      .where('target_id', '=', flag.id)
      .orderBy('id')
      .execute();
    expect(history.map((h) => h.action)).toEqual(['flag.toggled', 'flag.toggled', 'flag.toggle_removed']);
    for (const h of history) expect(h).toMatchObject({ account_id: globex.id, product_id: product.id });
    expect(history[1]).toMatchObject({
      before: { enabled: true, reason: 'first' },
      after: { enabled: false, reason: 'second', authorName: expect.stringContaining('bootstrap') },
    });
  });

  it('checks toggle targets: a license of the flag product, an existing account', async () => {
    const otherProduct = await createProduct(t);
    const otherPlan = await insertPlan(t, otherProduct.id, { name: 'Other' });
    const foreign = await insertLicense(t, otherPlan, acme.id, { starts_at: t.clock.now(), ends_at: null });
    expect(errorOf(await toggle(t, beta.id, 'license', foreign, { enabled: true }))).toMatchObject({
      status: 422,
      code: 'TOGGLE_TARGET_PRODUCT_MISMATCH',
    });
    expect(errorOf(await toggle(t, beta.id, 'license', NOTHING, { enabled: true }))).toMatchObject({
      status: 404,
      code: 'LICENSE_NOT_FOUND',
    });
    expect(errorOf(await toggle(t, beta.id, 'account', NOTHING, { enabled: true }))).toMatchObject({
      status: 404,
      code: 'ACCOUNT_NOT_FOUND',
    });
    expect(errorOf(await toggle(t, NOTHING, 'account', acme.id, { enabled: true }))).toMatchObject({
      status: 404,
      code: 'FLAG_NOT_FOUND',
    });
    expect(errorOf(await del(beta.id, 'account', globex.id))).toMatchObject({
      status: 404,
      code: 'FLAG_TOGGLE_NOT_FOUND',
    });
    expect((await toggle(t, beta.id, 'team' as 'account', acme.id, { enabled: true })).statusCode).toBe(400);
    // A product token of another product sees neither the flag nor (through it) the license.
    const otherToken = await createToken(t, 'product', otherProduct.id);
    expect((await toggle(t, beta.id, 'account', acme.id, { enabled: true }, otherToken)).statusCode).toBe(404);
    const mine = await createToken(t, 'product', product.id);
    expect((await toggle(t, beta.id, 'license', foreign, { enabled: true }, mine)).statusCode).toBe(404);
  });

  it('lets support and account managers toggle; only admins define flags; read_only only reads and explains', async () => {
    const support = await signInAs(t, 'support');
    const manager = await signInAs(t, 'account_manager');
    const viewer = await signInAs(t, 'read_only');
    const put = (session: typeof support, enabled: boolean) =>
      asUser(t, session, {
        method: 'PUT',
        url: `/v1/flags/${beta.id}/toggles/account/${globex.id}`,
        payload: { enabled, reason: 'asked by the customer' },
      });
    const putBySupport = await put(support, false);
    expect(putBySupport.statusCode, putBySupport.body).toBe(200);
    expect(putBySupport.json().authorName).toMatch(/support/);
    expect((await put(manager, true)).statusCode).toBe(200);
    expect(errorOf(await put(viewer, true))).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    for (const session of [support, manager]) {
      const res = await asUser(t, session, {
        method: 'PATCH',
        url: `/v1/flags/${beta.id}`,
        payload: { enabled: false },
      });
      expect(res.statusCode).toBe(403);
      const seg = await asUser(t, session, {
        method: 'POST',
        url: '/v1/flag-segments',
        payload: { productId: product.id, name: 'nope', constraints: [] },
      });
      expect(seg.statusCode).toBe(403);
    }
    const why = await asUser(t, viewer, {
      method: 'POST',
      url: `/v1/flags/${beta.id}/explain`,
      payload: { licenseId: l3 },
    });
    expect(why.statusCode, why.body).toBe(200);
    expect((await asUser(t, viewer, { method: 'GET', url: `/v1/licenses/${l3}/flags` })).statusCode).toBe(200);
    // Read-only API tokens may explain too (a POST that only reads), but still not toggle.
    const readOnly = await insertToken(t, 'read-only');
    const tokenWhy = await t.request({
      method: 'POST',
      url: `/v1/flags/${beta.id}/explain`,
      payload: { licenseId: l3 },
      token: readOnly,
    });
    expect(tokenWhy.statusCode, tokenWhy.body).toBe(200);
    expect(errorOf(await toggle(t, beta.id, 'license', l3, { enabled: true }, readOnly))).toMatchObject({
      status: 403,
    });
    const removed = await asUser(t, support, {
      method: 'DELETE',
      url: `/v1/flags/${beta.id}/toggles/account/${globex.id}`,
    });
    expect(removed.statusCode).toBe(204);
  });

  it('explains with the context used and toggle steps in words', async () => {
    await setToggle(t, beta.id, 'license', l2, true, 'design partner');
    await setToggle(t, beta.id, 'account', acme.id, false, 'on hold');
    const res = await explain(beta.id, {
      licenseId: l2,
      context: { userId: 'u-1', properties: { licenseId: 'forged', plan: 'Enterprise', team: 'red' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json();
    expect(body.explanation).toMatchObject({
      flag: 'beta',
      enabled: true,
      reason: 'TARGETING_MATCH',
      strategy: { id: 'keyward:license-on' },
    });
    expect(body.context).toMatchObject({
      userId: 'u-1',
      currentTime: t.clock.now().toISOString(),
      properties: { licenseId: l2, accountId: acme.id, plan: 'Enterprise', planId: expect.any(String), team: 'red' },
    });
    const [license, account] = body.explanation.steps;
    expect(license).toMatchObject({ subject: 'toggle license', outcome: 'decide' });
    expect(license.detail).toMatch(
      /^Switched on for this license by bootstrap .* on \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC/,
    );
    expect(license.detail).toContain('"design partner"');
    expect(account).toMatchObject({ subject: 'toggle account', outcome: 'skip' });
    expect(account.detail).toContain("the license's own toggle takes precedence");
    expect(body.explanation.steps.length).toBeGreaterThan(2);

    const forAccount = (await explain(beta.id, { accountId: acme.id })).json();
    expect(forAccount).toMatchObject({ licenseId: null, accountId: acme.id, explanation: { enabled: false } });
    expect(forAccount.explanation.steps[0]).toMatchObject({ subject: 'toggle account', outcome: 'decide' });
    expect(Object.keys(forAccount.context.properties).sort()).toEqual(['accountCreatedAt', 'accountId']);

    const bare = (await explain(beta.id, { context: { properties: { plan: 'Business' } } })).json();
    expect(bare).toMatchObject({ licenseId: null, accountId: null, explanation: { enabled: true } });

    expect(errorOf(await explain(beta.id, { licenseId: l2, accountId: acme.id }))).toMatchObject({
      status: 422,
      code: 'EXPLAIN_TARGET_INVALID',
    });
    expect(errorOf(await explain(beta.id, { licenseId: NOTHING }))).toMatchObject({
      status: 422,
      code: 'LICENSE_NOT_FOUND',
    });
    await del(beta.id, 'license', l2);
    await del(beta.id, 'account', acme.id);
  });

  it('lists an account flags for a product with its toggles', async () => {
    await setToggle(t, beta.id, 'account', globex.id, true, 'trial of beta');
    const res = await t.request({ method: 'GET', url: `/v1/accounts/${globex.id}/flags?productId=${product.id}` });
    expect(res.statusCode, res.body).toBe(200);
    const flag = res.json().flags.find((f: { key: string }) => f.key === 'beta');
    expect(flag).toMatchObject({
      toggle: { state: 'on', scope: 'account', reason: 'trial of beta' },
      licenseToggle: null,
      evaluated: { enabled: true, reason: 'TARGETING_MATCH' },
    });
    expect(res.json()).toMatchObject({ licenseId: null, accountId: globex.id, productId: product.id });
    const missing = await t.request({ method: 'GET', url: `/v1/accounts/${globex.id}/flags?productId=${NOTHING}` });
    expect(errorOf(missing)).toMatchObject({ status: 422, code: 'PRODUCT_NOT_FOUND' });
    expect((await t.request({ method: 'GET', url: `/v1/accounts/${globex.id}/flags` })).statusCode).toBe(400);
    expect((await t.request({ method: 'GET', url: `/v1/licenses/${NOTHING}/flags` })).statusCode).toBe(404);
    await del(beta.id, 'account', globex.id);
  });

  it('read functions: a bundle with toggles narrowed to the license, evaluated like the server', async () => {
    const now = t.clock.now();
    // Many customers toggled: the license's bundle carries only its own ids.
    for (const id of [l2, l3]) await setToggle(t, beta.id, 'license', id, true);
    await setToggle(t, beta.id, 'account', globex.id, false);
    await setToggle(t, beta.id, 'license', l1, false);
    const refs = await findLicenseRefs(t.kw.database.db, l1);
    if (!refs) throw new Error('license refs');
    const bundle = await flagBundleForLicense(t.kw.database.db, refs, now);
    expect(bundle.context).toEqual({
      accountId: acme.id,
      licenseId: l1,
      plan: 'Business',
      planId: business.id,
      product: product.code,
      accountCreatedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      licenseType: 'subscription',
      entitlements: 'CORE,EXTRA,SSO',
    });
    const projected = JSON.stringify(bundle.features.find((f) => f.name === 'beta'));
    expect(projected).toContain(l1);
    for (const other of [l2, l3, globex.id]) expect(projected).not.toContain(other);

    const server = await evaluateFlagsForLicense(t.kw.database.db, refs, { userId: 'u-7' }, now);
    const engine = new FlagEngine({ features: bundle.features, segments: bundle.segments });
    const local = bundle.features.map((f) => {
      const e = engine.evaluate(f.name, { userId: 'u-7', currentTime: now, properties: bundle.context });
      return { key: e.flag, enabled: e.enabled, reason: e.reason, variant: e.variant };
    });
    expect(local).toEqual(server);
    expect(server.find((f) => f.key === 'beta')).toMatchObject({ enabled: false });

    // Wired into the entitlements check as its flags reader (what app.ts passes to EntitlementsService).
    const reader: FlagsReader = (r, c, n) => evaluateFlagsForLicense(t.kw.database.db, r, c, n);
    const entitlements = new EntitlementsService({
      db: t.kw.database.db,
      clock: t.clock,
      expiringWindowDays: 30,
      flags: reader,
    });
    const state = await entitlements.forLicense(systemContext('test'), l1, { userId: 'u-7' });
    expect(state.flags).toEqual(server);
    for (const id of [l1, l2, l3]) await del(beta.id, 'license', id);
    await del(beta.id, 'account', globex.id);
  });

  it('sees changes made through another process: the definitions cache is checked against the database', async () => {
    const flag = await createFlag(t, { productId: product.id, key: 'cached', enabled: false });
    const refs = await findLicenseRefs(t.kw.database.db, l3);
    if (!refs) throw new Error('license refs');
    // Another Kysely instance over the same database: its own in-process cache, like another server process.
    const elsewhere = t.kw.database.db.withPlugin({
      transformQuery: (args) => args.node,
      transformResult: async (args) => args.result,
    });
    const read = async () =>
      (await evaluateFlagsForLicense(elsewhere, refs, {}, t.clock.now())).find((f) => f.key === 'cached')?.enabled;
    expect(await read()).toBe(false);
    await patchFlag(t, flag.id, { enabled: true });
    expect(await read()).toBe(true);
    await setToggle(t, flag.id, 'license', l3, false);
    expect(await read()).toBe(false);
  });

  it("forgets a deleted license's and account's toggles (database trigger, whatever deletes them)", async () => {
    const account = await insertAccount(t, { name: 'Short-lived' });
    const dates = { starts_at: new Date(t.clock.now().getTime() - DAY_MS), ends_at: null };
    const license = await insertLicense(t, business, account.id, dates);
    await setToggle(t, beta.id, 'license', license, true, 'trial');
    await setToggle(t, beta.id, 'account', account.id, true, 'trial');
    const rows = () =>
      t.kw.database.db
        .selectFrom('flag_toggles')
        .select('scope')
        .where('target_id', 'in', [license, account.id])
        .orderBy('scope')
        .execute();
    expect(await rows()).toEqual([{ scope: 'account' }, { scope: 'license' }]);
    expect((await t.request({ method: 'DELETE', url: `/v1/licenses/${license}` })).statusCode).toBe(204);
    expect(await rows()).toEqual([{ scope: 'account' }]);
    expect((await t.request({ method: 'DELETE', url: `/v1/accounts/${account.id}` })).statusCode).toBe(204);
    expect(await rows()).toEqual([]);
  });
});
