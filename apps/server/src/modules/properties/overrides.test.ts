import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { catalog, insertToken, issue } from '../licenses/test-fixtures.ts';
import { asUser, signInAs } from '../staff-auth/test-session.ts';
import { auditOfTarget, createOverride, createProperty, errorOf } from './test-fixtures.ts';

/** A uuid no record has. */
const NOTHING = '00000000-0000-4000-8000-00000000beef';

describe(`overrides API (${dbKind})`, () => {
  let t: TestApp;
  let c: Awaited<ReturnType<typeof catalog>>;
  let other: Awaited<ReturnType<typeof catalog>>;
  let calls: { id: string };
  let formats: { id: string };
  let licenseId: string;

  const post = (payload: Record<string, unknown>, token?: string) =>
    t.request({ method: 'POST', url: '/v1/overrides', payload, ...(token ? { token } : {}) });
  const inDays = (days: number) => new Date(t.clock.now().getTime() + days * 86_400_000).toISOString();

  beforeAll(async () => {
    t = await startTestApp();
    c = await catalog(t, 'OVR');
    other = await catalog(t, 'OVRX');
    calls = await createProperty(t, {
      productId: c.product.id,
      key: 'calls',
      name: 'API calls',
      type: 'number',
      defaultValue: 100,
      metered: true,
    });
    formats = await createProperty(t, {
      productId: c.product.id,
      key: 'formats',
      name: 'Formats',
      type: 'enum',
      options: ['pdf', 'csv'],
      multiple: true,
    });
    licenseId = (await issue(t, { planId: c.yearly.id, accountId: c.account.id })).id;
  });
  afterAll(async () => t.close());

  it('creates, lists, changes and deletes overrides with author, reason and expiry; audits with the customer', async () => {
    const expiresAt = inDays(30);
    const created = await post({
      propertyId: calls.id,
      accountId: c.account.id,
      value: 300,
      reason: '  300 calls until June (deal #4711)  ',
      expiresAt,
    });
    expect(created.statusCode, created.body).toBe(201);
    const o = created.json();
    expect(o).toMatchObject({
      propertyId: calls.id,
      property: { id: calls.id, key: 'calls', name: 'API calls', type: 'number' },
      productId: c.product.id,
      target: 'account',
      accountId: c.account.id,
      licenseId: null,
      value: 300,
      enforcement: null,
      reason: '300 calls until June (deal #4711)',
      author: { id: expect.any(String), name: expect.any(String) },
      expiresAt,
      active: true,
    });
    const lic = await createOverride(t, {
      propertyId: formats.id,
      licenseId,
      value: ['pdf', 'csv'],
      reason: 'pilot',
    });
    expect(lic).toMatchObject({ target: 'license', licenseId, accountId: null });

    const byAccount = await t.request({ method: 'GET', url: `/v1/overrides?accountId=${c.account.id}` });
    expect(byAccount.json().data.map((x: { id: string }) => x.id)).toEqual([o.id]);
    const byLicense = await t.request({ method: 'GET', url: `/v1/overrides?licenseId=${licenseId}` });
    expect(byLicense.json().data.map((x: { id: string }) => x.id)).toEqual([lic.id]);
    const byProperty = await t.request({ method: 'GET', url: `/v1/overrides?propertyId=${formats.id}` });
    expect(byProperty.json().data.map((x: { id: string }) => x.id)).toEqual([lic.id]);
    expect((await t.request({ method: 'GET', url: `/v1/overrides/${o.id}` })).json()).toEqual(o);

    t.clock.advanceSeconds(60);
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/overrides/${o.id}`,
      payload: { value: 500, enforcement: 'soft', expiresAt: null },
    });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ value: 500, enforcement: 'soft', expiresAt: null, reason: o.reason });

    expect((await t.request({ method: 'DELETE', url: `/v1/overrides/${lic.id}` })).statusCode).toBe(204);
    expect(errorOf(await t.request({ method: 'GET', url: `/v1/overrides/${lic.id}` }))).toMatchObject({
      status: 404,
      code: 'OVERRIDE_NOT_FOUND',
    });

    const events = await auditOfTarget(t, o.id);
    expect(events.map((e) => e.action)).toEqual(['override.created', 'override.updated']);
    expect(events[0]).toMatchObject({ product_id: c.product.id, account_id: c.account.id, license_id: null });
    expect(events[1]?.before).toMatchObject({ value: 300 });
    expect(events[1]?.after).toMatchObject({ value: 500 });
    // License overrides show in the license's and its account's history.
    const licEvents = await auditOfTarget(t, lic.id);
    expect(licEvents.map((e) => e.action)).toEqual(['override.created', 'override.deleted']);
    for (const e of licEvents) expect(e).toMatchObject({ account_id: c.account.id, license_id: licenseId });
  });

  it('lists active overrides by default; an expired one is listed with includeExpired and can be replaced', async () => {
    const acct = (
      await t.kw.database.db
        .insertInto('accounts')
        .values({ name: 'Expiring Ltd', crm_id: null, created_at: t.clock.now(), updated_at: t.clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    const o = await createOverride(t, {
      propertyId: calls.id,
      accountId: acct,
      value: 1,
      reason: 'short promo',
      expiresAt: inDays(1),
    });
    expect(errorOf(await post({ propertyId: calls.id, accountId: acct, value: 2, reason: 'again' }))).toMatchObject({
      status: 409,
      code: 'OVERRIDE_EXISTS',
    });
    t.clock.advanceDays(2);
    const active = await t.request({ method: 'GET', url: `/v1/overrides?accountId=${acct}` });
    expect(active.json().data).toEqual([]);
    const all = await t.request({ method: 'GET', url: `/v1/overrides?accountId=${acct}&includeExpired=true` });
    expect(all.json().data).toMatchObject([{ id: o.id, active: false }]);
    // The expired override is history: a new one replaces it (both audited).
    const replacement = await createOverride(t, { propertyId: calls.id, accountId: acct, value: 2, reason: 'renewed' });
    expect(replacement.id).not.toBe(o.id);
    expect((await auditOfTarget(t, o.id)).map((e) => e.action)).toEqual(['override.created', 'override.deleted']);
  });

  it('refuses bad input with stable codes', async () => {
    const base = { propertyId: calls.id, accountId: c.account.id, value: 5, reason: 'why' };
    const cases: Array<[Record<string, unknown>, number, string, string[]]> = [
      [{ value: -1 }, 422, 'PROPERTY_VALUE_INVALID', ['/body/value']],
      [{ value: 1.5 }, 422, 'PROPERTY_VALUE_INVALID', ['/body/value']],
      [{ value: 'many' }, 422, 'PROPERTY_VALUE_INVALID', ['/body/value']],
      [{ propertyId: formats.id, value: ['pdf', 'doc'] }, 422, 'PROPERTY_VALUE_INVALID', ['/body/value/1']],
      [{ propertyId: NOTHING }, 422, 'PROPERTY_NOT_FOUND', ['/body/propertyId']],
      [{ accountId: NOTHING }, 422, 'ACCOUNT_NOT_FOUND', ['/body/accountId']],
      [{ accountId: undefined, licenseId: NOTHING }, 422, 'LICENSE_NOT_FOUND', ['/body/licenseId']],
      [{ reason: '   ' }, 422, 'OVERRIDE_REASON_REQUIRED', ['/body/reason']],
      [{ reason: '' }, 422, 'OVERRIDE_REASON_REQUIRED', ['/body/reason']],
      [{ reason: undefined }, 400, 'VALIDATION_FAILED', ['/body/reason']],
      [{ expiresAt: inDays(-1) }, 422, 'OVERRIDE_EXPIRY_PAST', ['/body/expiresAt']],
      [{ expiresAt: t.clock.now().toISOString() }, 422, 'OVERRIDE_EXPIRY_PAST', ['/body/expiresAt']],
      [{ licenseId }, 422, 'OVERRIDE_TARGET_INVALID', ['/body/accountId']],
      [{ accountId: undefined }, 422, 'OVERRIDE_TARGET_INVALID', ['/body/accountId']],
      [
        { propertyId: formats.id, value: ['pdf'], enforcement: 'soft' },
        422,
        'PROPERTY_FIELD_NOT_APPLICABLE',
        ['/body/enforcement'],
      ],
    ];
    for (const [extra, status, code, fields] of cases) {
      const res = await post({ ...base, ...extra });
      expect({ extra, ...errorOf(res) }).toEqual({ extra, status, code, fields });
    }
    // A license override's property must be of the license's product.
    const foreign = await createProperty(t, { productId: other.product.id, key: 'calls', name: 'C', type: 'number' });
    expect(errorOf(await post({ propertyId: foreign.id, licenseId, value: 1, reason: 'cross-product' }))).toEqual({
      status: 422,
      code: 'PROPERTY_PRODUCT_MISMATCH',
      fields: ['/body/propertyId'],
    });
    // PATCH follows the same rules.
    const o = await createOverride(t, { propertyId: calls.id, licenseId, value: 10, reason: 'ok' });
    const patch = (payload: Record<string, unknown>) =>
      t.request({ method: 'PATCH', url: `/v1/overrides/${o.id}`, payload });
    expect(errorOf(await patch({ value: -3 }))).toMatchObject({ status: 422, code: 'PROPERTY_VALUE_INVALID' });
    expect(errorOf(await patch({ reason: ' ' }))).toMatchObject({ status: 422, code: 'OVERRIDE_REASON_REQUIRED' });
    expect(errorOf(await patch({ expiresAt: inDays(-2) }))).toMatchObject({
      status: 422,
      code: 'OVERRIDE_EXPIRY_PAST',
    });
    expect(errorOf(await patch({}))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(errorOf(await patch({ accountId: c.account.id }))).toMatchObject({ status: 400 });
  });

  it('confines product tokens to overrides of their product', async () => {
    const mine = await insertToken(t, 'product', c.product.id);
    const theirs = await insertToken(t, 'product', other.product.id);
    const own = await createOverride(
      t,
      { propertyId: formats.id, accountId: c.account.id, value: [], reason: 'none' },
      mine,
    );
    expect((await t.request({ method: 'GET', url: `/v1/overrides/${own.id}`, token: theirs })).statusCode).toBe(404);
    expect((await t.request({ method: 'DELETE', url: `/v1/overrides/${own.id}`, token: theirs })).statusCode).toBe(404);
    const listed = await t.request({ method: 'GET', url: '/v1/overrides?includeExpired=true', token: theirs });
    expect(listed.json().data).toEqual([]);
    expect(
      errorOf(await post({ propertyId: formats.id, accountId: other.account.id, value: [], reason: 'x' }, theirs)),
    ).toMatchObject({ status: 422, code: 'PROPERTY_NOT_FOUND' });
    expect((await t.request({ method: 'GET', url: `/v1/overrides/${own.id}`, token: mine })).statusCode).toBe(200);
  });

  it('dashboard roles: support and account managers write overrides, read_only cannot; only admins define properties', async () => {
    const roles = ['admin', 'account_manager', 'support', 'read_only'] as const;
    const outcomes: Record<string, number[]> = {};
    for (const role of roles) {
      const session = await signInAs(t, role);
      const acct = (
        await t.kw.database.db
          .insertInto('accounts')
          .values({ name: `${role} customer`, crm_id: null, created_at: t.clock.now(), updated_at: t.clock.now() })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
      const create = await asUser(t, session, {
        method: 'POST',
        url: '/v1/overrides',
        payload: { propertyId: calls.id, accountId: acct, value: 7, reason: `${role} says so` },
      });
      const property = await asUser(t, session, {
        method: 'POST',
        url: '/v1/properties',
        payload: { productId: c.product.id, key: `by_${role}`, name: role, type: 'boolean' },
      });
      const explain = await asUser(t, session, {
        method: 'GET',
        url: `/v1/properties/${calls.id}/explain?accountId=${acct}`,
      });
      outcomes[role] = [create.statusCode, property.statusCode, explain.statusCode];
      if (create.statusCode === 201) {
        expect(create.json().author.name).toContain(role);
        const patched = await asUser(t, session, {
          method: 'PATCH',
          url: `/v1/overrides/${create.json().id}`,
          payload: { value: 8 },
        });
        expect(patched.statusCode).toBe(200);
      }
    }
    expect(outcomes).toEqual({
      admin: [201, 201, 200],
      account_manager: [201, 403, 200],
      support: [201, 403, 200],
      read_only: [403, 403, 200],
    });
  });
});
