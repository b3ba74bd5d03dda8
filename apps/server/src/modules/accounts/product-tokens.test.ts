import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { catalog, insertAccount, insertToken, issue } from '../licenses/test-fixtures.ts';
import { asUser, signInAs } from '../staff-auth/test-session.ts';

/**
 * ADR 0007: what a product token may do with accounts and license keys. It reads every account and creates
 * accounts; it changes only accounts that hold no other product's licenses; it cannot choose a license key, so no
 * answer ever depends on whether another product has that key.
 */
describe(`product tokens, accounts and license keys (${dbKind})`, () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof catalog>>;
  let b: Awaited<ReturnType<typeof catalog>>;
  let tokenA: string;

  beforeAll(async () => {
    t = await startTestApp();
    a = await catalog(t, 'PTA');
    b = await catalog(t, 'PTB');
    tokenA = await insertToken(t, 'product', a.product.id);
  });
  afterAll(async () => t.close());

  const as = (token: string, opts: InjectOptions) => t.request({ ...opts, token });
  const patch = (id: string, payload: object, token = tokenA) =>
    as(token, { method: 'PATCH', url: `/v1/accounts/${id}`, payload });
  const put = (crmId: string, payload: object, token = tokenA) =>
    as(token, { method: 'PUT', url: `/v1/accounts/by-crm-id/${crmId}`, payload });
  const accountEvents = async (id: string) =>
    (
      await t.kw.database.db
        .selectFrom('audit_events')
        .select('action')
        .where('target_id', '=', id)
        .where('action', '=', 'account.updated')
        .execute()
    ).length;
  /** An account holding licenses of the given catalogs (none: no licenses). */
  const accountWith = async (crmId: string, ...catalogs: (typeof a)[]) => {
    const account = await insertAccount(t, {
      name: `Customer ${crmId}`,
      crm_id: crmId,
      contacts: JSON.stringify([{ name: 'Ann', email: 'ann@example.com', role: '' }]),
    });
    for (const c of catalogs) await issue(t, { planId: c.yearly.id, accountId: account.id });
    return account;
  };

  it('changes accounts only of its own product or without licenses', async () => {
    const own = await accountWith('CRM-OWN', a);
    const fresh = await accountWith('CRM-FRESH');
    expect((await patch(own.id, { notes: 'ours' })).statusCode).toBe(200);
    expect((await patch(fresh.id, { contacts: [] })).statusCode).toBe(200);
    expect((await put('CRM-OWN', { name: 'Renamed by A' })).statusCode).toBe(200);
    const created = await as(tokenA, { method: 'POST', url: '/v1/accounts', payload: { name: 'New customer' } });
    expect(created.statusCode).toBe(201);
    expect((await put('CRM-NEW-A', { name: 'Created by A' })).statusCode).toBe(201);
  });

  it('refuses changes to accounts that hold another product’s licenses (403), writing nothing', async () => {
    const foreign = await accountWith('CRM-B-ONLY', b);
    const shared = await accountWith('CRM-SHARED', a, b);
    for (const account of [foreign, shared]) {
      for (const res of [
        await patch(account.id, { contacts: [{ name: 'Mallory', email: 'mallory@evil.example' }] }),
        await patch(account.id, { notes: 'x' }),
        await put(account.crm_id as string, { name: 'Taken over' }),
      ]) {
        expect(res.statusCode).toBe(403);
        expect(res.json().error.code).toBe('FORBIDDEN');
      }
      const now = (await t.request({ method: 'GET', url: `/v1/accounts/${account.id}` })).json();
      expect(now).toMatchObject({
        name: account.name,
        notes: '',
        contacts: [{ name: 'Ann', email: 'ann@example.com' }],
      });
      expect(await accountEvents(account.id)).toBe(0);
    }
    // Reading it and a request that changes nothing (find-or-create by CRM id) still work.
    expect((await as(tokenA, { method: 'GET', url: `/v1/accounts/${foreign.id}` })).json().licenseCount).toBe(0);
    const same = await put('CRM-B-ONLY', { name: foreign.name });
    expect([same.statusCode, same.json().id]).toEqual([200, foreign.id]);
    // The account team and admin tokens change it as before.
    const byAdmin = await t.request({ method: 'PATCH', url: `/v1/accounts/${shared.id}`, payload: { notes: 'admin' } });
    expect(byAdmin.statusCode).toBe(200);
    const manager = await signInAs(t, 'account_manager');
    const byManager = await asUser(t, manager, {
      method: 'PATCH',
      url: `/v1/accounts/${foreign.id}`,
      payload: { notes: 'manager' },
    });
    expect(byManager.statusCode).toBe(200);
  });

  it('may issue its product’s license to any account, which does not let it change that account', async () => {
    const foreign = await accountWith('CRM-CROSS', b);
    const res = await as(tokenA, {
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: a.yearly.id, accountId: foreign.id },
    });
    expect(res.statusCode).toBe(201);
    expect((await patch(foreign.id, { notes: 'now mine?' })).statusCode).toBe(403);
  });

  it('cannot choose a license key: one answer whether the key is free, its own or another product’s', async () => {
    const keyOfB = (await issue(t, { planId: b.yearly.id, accountId: b.account.id, key: 'LEGACY-B-0001' })).key;
    const keyOfA = (await issue(t, { planId: a.yearly.id, accountId: a.account.id, key: 'LEGACY-A-0001' })).key;
    const answers = [];
    for (const key of [keyOfB, keyOfA, 'LEGACY-FREE-0001']) {
      const res = await as(tokenA, {
        method: 'POST',
        url: '/v1/licenses',
        payload: { planId: a.yearly.id, accountId: a.account.id, key },
      });
      const { requestId: _r, ...error } = res.json().error;
      answers.push({ status: res.statusCode, error });
    }
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]).toEqual(answers[2]);
    expect(answers[0]).toMatchObject({
      status: 403,
      error: { code: 'FORBIDDEN', details: [{ field: '/body/key', message: 'is not allowed with a product token' }] },
    });
    const free = await t.kw.database.db
      .selectFrom('licenses')
      .select('id')
      .where('key', '=', 'LEGACY-FREE-0001')
      .execute();
    expect(free).toEqual([]);
    // Generated keys work; admin tokens import keys and learn of collisions as before.
    const generated = await as(tokenA, {
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: a.yearly.id, accountId: a.account.id },
    });
    expect(generated.statusCode).toBe(201);
    const taken = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: a.yearly.id, accountId: a.account.id, key: keyOfB },
    });
    expect([taken.statusCode, taken.json().error.code]).toEqual([409, 'LICENSE_KEY_TAKEN']);
  });

  it('never applies a product token’s change after another product’s license arrived concurrently', async () => {
    for (let round = 0; round < 10; round++) {
      const account = await accountWith(`CRM-RACE-${round}`);
      const [patched, issued] = await Promise.all([
        patch(account.id, { notes: `race ${round}` }),
        t.request({ method: 'POST', url: '/v1/licenses', payload: { planId: b.yearly.id, accountId: account.id } }),
      ]);
      expect(issued.statusCode).toBe(201);
      expect([200, 403]).toContain(patched.statusCode);
      const events = await t.kw.database.db
        .selectFrom('audit_events')
        .select(['id', 'action'])
        .where('account_id', '=', account.id)
        .where('action', 'in', ['account.updated', 'license.created'])
        .orderBy('id')
        .execute();
      // A change that went through came before the license (it saw none); a refused one wrote nothing.
      expect(events.map((e) => e.action)).toEqual(
        patched.statusCode === 200 ? ['account.updated', 'license.created'] : ['license.created'],
      );
    }
  });
});
