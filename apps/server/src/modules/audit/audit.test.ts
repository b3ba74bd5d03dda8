import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { systemContext } from '../../platform/auth/actor.ts';
import { recordAudit } from './audit.write.ts';

describe(`audit log API (${dbKind})`, () => {
  let t: TestApp;
  let productA: string;
  let productB: string;
  let accountId: string;
  let licenseA: string;
  let licenseB: string;

  beforeAll(async () => {
    t = await startTestApp();
    const db = t.kw.database.db;
    productA = (await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'AUDA', name: 'A' } })).json()
      .id;
    productB = (await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'AUDB', name: 'B' } })).json()
      .id;
    const now = t.clock.now();
    accountId = (
      await db
        .insertInto('accounts')
        .values({ name: 'Globex', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const license = async (productId: string, key: string) => {
      const plan = await db
        .insertInto('plans')
        .values({ product_id: productId, name: 'Std', license_type: 'perpetual', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const row = await db
        .insertInto('licenses')
        .values({
          key,
          product_id: productId,
          plan_id: plan.id,
          account_id: accountId,
          license_type: 'perpetual',
          starts_at: now,
          ends_at: null,
          maintenance_ends_at: null,
          max_machines: null,
          created_at: now,
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      return row.id;
    };
    licenseA = await license(productA, 'AUDA-KEY-1');
    licenseB = await license(productB, 'AUDB-KEY-1');
    await db.transaction().execute(async (trx) => {
      const ctx = { ...systemContext('seed'), requestId: 'req-1' };
      for (const [action, productId, licenseId] of [
        ['license.created', productA, licenseA],
        ['license.renewed', productA, licenseA],
        ['license.created', productB, licenseB],
        ['license.suspended', productB, licenseB],
      ] as const) {
        t.clock.advanceSeconds(60);
        await recordAudit(trx, ctx, t.clock, {
          action,
          targetType: 'license',
          targetId: licenseId,
          productId,
          accountId,
          licenseId,
          after: { id: licenseId },
        });
      }
      t.clock.advanceSeconds(60);
      await recordAudit(trx, ctx, t.clock, {
        action: 'account.updated',
        targetType: 'account',
        targetId: accountId,
        accountId,
        before: { name: 'Globex Inc' },
        after: { name: 'Globex' },
      });
    });
  });
  afterAll(async () => t.close());

  it('lists events newest first with the documented shape', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/audit-events' });
    expect(res.statusCode).toBe(200);
    const events = res.json().data;
    const ids = events.map((e: { id: string }) => Number(e.id));
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    expect(events[0]).toEqual({
      id: expect.stringMatching(/^\d+$/),
      at: t.clock.now().toISOString(),
      actor: { type: 'system', id: null, name: 'seed' },
      action: 'account.updated',
      target: { type: 'account', id: accountId },
      productId: null,
      accountId,
      licenseId: null,
      before: { name: 'Globex Inc' },
      after: { name: 'Globex' },
      requestId: 'req-1',
    });
    const created = events.find((e: { action: string }) => e.action === 'product.created');
    expect(created.actor.type).toBe('token:admin');
    expect(created.requestId).toEqual(expect.any(String));
  });

  it('filters by exact action, action prefix, target, ids and time range', async () => {
    const actions = async (query: string) =>
      (await t.request({ method: 'GET', url: `/v1/audit-events?${query}` }))
        .json()
        .data.map((e: { action: string }) => e.action);
    expect(await actions('action=license.created')).toEqual(['license.created', 'license.created']);
    expect(await actions('action=license.')).toEqual([
      'license.suspended',
      'license.created',
      'license.renewed',
      'license.created',
    ]);
    expect(await actions('action=lic*')).toHaveLength(4);
    expect(await actions('action=license%25')).toEqual([]);
    expect(await actions(`licenseId=${licenseA}`)).toEqual(['license.renewed', 'license.created']);
    expect(await actions(`productId=${productB}&action=license.`)).toEqual(['license.suspended', 'license.created']);
    expect(await actions(`targetType=account&targetId=${accountId}`)).toEqual(['account.updated']);
    expect(await actions(`accountId=${accountId}`)).toHaveLength(5);
    expect(await actions('actorId=nobody')).toEqual([]);
    const at = new Date(t.clock.now().getTime() - 60_000).toISOString();
    expect(await actions(`from=${at}`)).toEqual(['account.updated', 'license.suspended']);
    expect(await actions(`to=${at}&action=license.`)).toEqual([
      'license.created',
      'license.renewed',
      'license.created',
    ]);
    const bad = await t.request({
      method: 'GET',
      url: `/v1/audit-events?from=${t.clock.now().toISOString()}&to=${at}`,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('INVALID_RANGE');
  });

  it('pages with a keyset cursor and rejects forged cursors', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/v1/audit-events?limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = (await t.request({ method: 'GET', url })).json();
      expect(page.data.length).toBeLessThanOrEqual(2);
      seen.push(...page.data.map((e: { id: string }) => e.id));
      cursor = page.nextCursor;
    } while (cursor);
    const all = (await t.request({ method: 'GET', url: '/v1/audit-events?limit=500' })).json().data;
    expect(seen).toEqual(all.map((e: { id: string }) => e.id));
    for (const forged of [
      { v: null, id: 'x' },
      { v: null, id: '99999999999999999999' },
      { v: 1, id: '1' },
    ]) {
      const raw = Buffer.from(JSON.stringify(forged)).toString('base64url');
      const res = await t.request({ method: 'GET', url: `/v1/audit-events?cursor=${raw}` });
      expect(res.statusCode).toBe(400);
    }
  });

  it('lists the history of one license or account, 404 for unknown ones', async () => {
    const lic = await t.request({ method: 'GET', url: `/v1/licenses/${licenseB}/audit-events` });
    expect(lic.json().data.map((e: { action: string }) => e.action)).toEqual(['license.suspended', 'license.created']);
    const acc = await t.request({ method: 'GET', url: `/v1/accounts/${accountId}/audit-events?action=account.` });
    expect(acc.json().data.map((e: { action: string }) => e.action)).toEqual(['account.updated']);
    const none = '00000000-0000-4000-8000-000000000000';
    const missingLicense = await t.request({ method: 'GET', url: `/v1/licenses/${none}/audit-events` });
    expect(missingLicense.statusCode).toBe(404);
    expect(missingLicense.json().error.code).toBe('LICENSE_NOT_FOUND');
    const missingAccount = await t.request({ method: 'GET', url: `/v1/accounts/${none}/audit-events` });
    expect(missingAccount.json().error.code).toBe('ACCOUNT_NOT_FOUND');
  });

  it('shows product tokens only their product and lets read-only tokens read', async () => {
    const make = async (payload: object) =>
      (await t.request({ method: 'POST', url: '/v1/tokens', payload })).json().secret as string;
    const productToken = await make({ name: 'a only', role: 'product', productId: productA });
    const readOnly = await make({ name: 'ro', role: 'read-only' });

    const scoped = await t.request({ method: 'GET', url: '/v1/audit-events?limit=500', token: productToken });
    expect(scoped.statusCode).toBe(200);
    const productIds = new Set(scoped.json().data.map((e: { productId: string }) => e.productId));
    expect([...productIds]).toEqual([productA]);
    const otherLicense = await t.request({
      method: 'GET',
      url: `/v1/licenses/${licenseB}/audit-events`,
      token: productToken,
    });
    expect(otherLicense.statusCode).toBe(404);
    const account = await t.request({
      method: 'GET',
      url: `/v1/accounts/${accountId}/audit-events`,
      token: productToken,
    });
    expect(account.json().data.map((e: { action: string }) => e.action)).toEqual([
      'license.renewed',
      'license.created',
    ]);

    const ro = await t.request({ method: 'GET', url: '/v1/audit-events', token: readOnly });
    expect(ro.statusCode).toBe(200);
    expect(ro.json().data.length).toBeGreaterThan(0);
  });
});
