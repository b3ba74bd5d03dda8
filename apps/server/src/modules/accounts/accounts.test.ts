import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { hashTokenSecret } from '../../platform/auth/token-secret.ts';

type Res = { statusCode: number; json(): { error: { code: string; details?: { field: string }[] } } };
const fields = (res: Res) => (res.json().error.details ?? []).map((d) => d.field);

describe(`accounts API (${dbKind})`, () => {
  let t: TestApp;
  const post = (payload: Record<string, unknown>, token?: string) =>
    t.request({ method: 'POST', url: '/v1/accounts', payload, ...(token ? { token } : {}) });
  const put = (crmId: string, payload: Record<string, unknown>, token?: string) =>
    t.request({
      method: 'PUT',
      url: `/v1/accounts/by-crm-id/${encodeURIComponent(crmId)}`,
      payload,
      ...(token ? { token } : {}),
    });
  const insertToken = async (secret: string, role: 'product' | 'read-only', productId: string | null) => {
    await t.kw.database.db
      .insertInto('api_tokens')
      .values({
        name: `${role} token`,
        role,
        product_id: productId,
        token_hash: hashTokenSecret(secret),
        token_prefix: secret.slice(0, 10),
        created_at: t.clock.now(),
      })
      .execute();
    return secret;
  };
  const auditOf = (id: string) =>
    t.kw.database.db.selectFrom('audit_events').selectAll().where('target_id', '=', id).orderBy('id').execute();

  /** A product, a plan and `n` licenses of that product for the account (inserted directly). */
  let seq = 0;
  const addLicenses = async (accountId: string, n: number) => {
    const db = t.kw.database.db;
    const now = t.clock.now();
    seq += 1;
    const product = await db
      .insertInto('products')
      .values({ code: `LIC${seq}`, name: `Licensed ${seq}`, created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const plan = await db
      .insertInto('plans')
      .values({ product_id: product.id, name: 'Plan', license_type: 'perpetual', created_at: now, updated_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (let i = 0; i < n; i++) {
      await db
        .insertInto('licenses')
        .values({
          key: `LIC${seq}-${i}`,
          product_id: product.id,
          plan_id: plan.id,
          account_id: accountId,
          license_type: 'perpetual',
          starts_at: now,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
    return product.id;
  };

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('creates, reads, updates and deletes an account, auditing each change', async () => {
    const created = await post({
      name: 'Acme Corp',
      emailDomains: ['Acme.COM', 'acme.com', 'mail.acme.com'],
      contacts: [
        { name: 'Ann', email: 'ann@acme.com' },
        { name: 'Bob', email: 'bob@acme.com', role: 'billing' },
      ],
      crmId: 'CRM-1',
    });
    expect(created.statusCode).toBe(201);
    const account = created.json();
    expect(account).toMatchObject({
      name: 'Acme Corp',
      emailDomains: ['acme.com', 'mail.acme.com'],
      contacts: [
        { name: 'Ann', email: 'ann@acme.com', role: '' },
        { name: 'Bob', email: 'bob@acme.com', role: 'billing' },
      ],
      crmId: 'CRM-1',
      notes: '',
      licenseCount: 0,
      createdAt: t.clock.now().toISOString(),
    });
    expect((await t.request({ method: 'GET', url: `/v1/accounts/${account.id}` })).json()).toEqual(account);
    expect((await t.request({ method: 'GET', url: '/v1/accounts/by-crm-id/CRM-1' })).json()).toEqual(account);

    t.clock.advanceSeconds(30);
    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/accounts/${account.id}`,
      payload: { notes: 'Key account', crmId: null, contacts: [] },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      notes: 'Key account',
      crmId: null,
      contacts: [],
      emailDomains: ['acme.com', 'mail.acme.com'],
      updatedAt: t.clock.now().toISOString(),
    });
    const noop = await t.request({
      method: 'PATCH',
      url: `/v1/accounts/${account.id}`,
      payload: { notes: 'Key account' },
    });
    expect(noop.json()).toEqual(patched.json());

    const del = await t.request({ method: 'DELETE', url: `/v1/accounts/${account.id}` });
    expect(del.statusCode).toBe(204);
    const gone = await t.request({ method: 'GET', url: `/v1/accounts/${account.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('ACCOUNT_NOT_FOUND');

    const audit = await auditOf(account.id);
    expect(audit.map((a) => [a.action, a.target_type, a.account_id])).toEqual([
      ['account.created', 'account', account.id],
      ['account.updated', 'account', account.id],
      ['account.deleted', 'account', account.id],
    ]);
    expect(audit[1]?.before).toMatchObject({ crmId: 'CRM-1', notes: '' });
    expect(audit[1]?.after).toMatchObject({ crmId: null, notes: 'Key account' });
  });

  it('rejects bad input with field details and duplicate CRM ids with 409', async () => {
    const bad = await post({
      emailDomains: ['not a domain', 'ok.com'],
      contacts: [{ name: 'X', email: 'not-an-email', phone: '1' }],
      crmId: '',
      extra: 1,
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION_FAILED');
    expect(fields(bad)).toEqual(
      expect.arrayContaining([
        '/body/name',
        '/body/emailDomains/0',
        '/body/contacts/0/email',
        '/body/contacts/0/phone',
        '/body/crmId',
        '/body/extra',
      ]),
    );
    const many = Array.from({ length: 51 }, (_, i) => ({ name: `C${i}`, email: `c${i}@x.com` }));
    expect((await post({ name: 'Many', contacts: many })).statusCode).toBe(400);
    const nul = await post({ name: 'Nul', contacts: [{ name: 'a\u0000', email: 'a@b.co' }] });
    expect(fields(nul)).toEqual(['/body/contacts/0/name']);

    expect((await post({ name: 'One', crmId: 'DUP-1' })).statusCode).toBe(201);
    const dup = await post({ name: 'Two', crmId: 'DUP-1' });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('ACCOUNT_CRM_ID_TAKEN');
    const other = (await post({ name: 'Three', crmId: null })).json();
    expect(other.crmId).toBeNull();
    const steal = await t.request({ method: 'PATCH', url: `/v1/accounts/${other.id}`, payload: { crmId: 'DUP-1' } });
    expect(steal.statusCode).toBe(409);
    expect(steal.json().error.code).toBe('ACCOUNT_CRM_ID_TAKEN');

    const missing = '00000000-0000-4000-8000-000000000000';
    for (const method of ['GET', 'PATCH', 'DELETE'] as const) {
      const res = await t.request({
        method,
        url: `/v1/accounts/${missing}`,
        payload: method === 'PATCH' ? { notes: 'x' } : undefined,
      });
      expect(res.statusCode).toBe(404);
      expect(res.json().error.code).toBe('ACCOUNT_NOT_FOUND');
    }
    const noCrm = await t.request({ method: 'GET', url: '/v1/accounts/by-crm-id/NOPE' });
    expect(noCrm.statusCode).toBe(404);
    expect(noCrm.json().error.code).toBe('ACCOUNT_NOT_FOUND');
    const badQuery = await t.request({ method: 'GET', url: '/v1/accounts?sort=size&createdAfter=yesterday&x=1' });
    expect(badQuery.statusCode).toBe(400);
    expect(fields(badQuery)).toEqual(
      expect.arrayContaining(['/querystring/sort', '/querystring/createdAfter', '/querystring/x']),
    );
  });

  it('searches name, domains, CRM id and contact emails; filters by date; sorts and pages', async () => {
    t.clock.set('2026-03-01T00:00:00.000Z');
    const make = async (payload: Record<string, unknown>) => {
      t.clock.advanceSeconds(60);
      const res = await post(payload);
      expect(res.statusCode).toBe(201);
      return res.json();
    };
    const zeta = await make({ name: 'zeta Search', emailDomains: ['zeta-search.io'] });
    const alpha = await make({ name: 'Alpha', crmId: 'SF-SEARCH-42' });
    const mid = await make({ name: 'mid', contacts: [{ name: 'Eve', email: 'Eve@Contact-Search.org' }] });
    const pct = await make({ name: 'Fifty% Search_co' });
    const search = async (query: string) => {
      const res = await t.request({ method: 'GET', url: `/v1/accounts?${query}` });
      expect(res.statusCode).toBe(200);
      return res.json().data.map((a: { id: string }) => a.id);
    };
    expect(await search('q=ZETA-SEARCH.IO')).toEqual([zeta.id]);
    expect(await search('q=sf-search')).toEqual([alpha.id]);
    expect(await search('q=eve%40contact')).toEqual([mid.id]);
    expect(await search('q=search')).toEqual([zeta.id, alpha.id, mid.id, pct.id]);
    expect(await search('q=%25')).toEqual([pct.id]);
    expect(await search('q=h_c')).toEqual([pct.id]);
    expect(await search('crmId=SF-SEARCH-42')).toEqual([alpha.id]);
    expect(await search('crmId=sf-search-42')).toEqual([]);
    expect(await search(`q=search&createdAfter=${alpha.createdAt}&createdBefore=${pct.createdAt}`)).toEqual([
      alpha.id,
      mid.id,
    ]);
    expect(await search('q=search&sort=-createdAt')).toEqual([pct.id, mid.id, alpha.id, zeta.id]);
    expect(await search('q=search&sort=name')).toEqual([alpha.id, pct.id, mid.id, zeta.id]);

    for (const sort of ['createdAt', '-createdAt', 'name']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await t.request({
          method: 'GET',
          url: `/v1/accounts?q=search&limit=1&sort=${sort}${cursor ? `&cursor=${cursor}` : ''}`,
        });
        const page = res.json();
        seen.push(...page.data.map((a: { id: string }) => a.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(seen).toEqual(await search(`q=search&sort=${sort}`));
    }
    const nameCursor = (await t.request({ method: 'GET', url: '/v1/accounts?q=search&limit=1&sort=name' })).json();
    const mixed = await t.request({ method: 'GET', url: `/v1/accounts?cursor=${nameCursor.nextCursor}` });
    expect(mixed.statusCode).toBe(400);
    expect(mixed.json().error.code).toBe('INVALID_CURSOR');
  });

  it('counts licenses and refuses to delete an account that has some', async () => {
    const account = (await post({ name: 'Licensed' })).json();
    const productId = await addLicenses(account.id, 2);
    await addLicenses(account.id, 1);
    expect((await t.request({ method: 'GET', url: `/v1/accounts/${account.id}` })).json().licenseCount).toBe(3);
    const token = await insertToken('kw_product_token_for_accounts_0123456789', 'product', productId);
    const scoped = await t.request({ method: 'GET', url: `/v1/accounts/${account.id}`, token });
    expect(scoped.json().licenseCount).toBe(2);

    const del = await t.request({ method: 'DELETE', url: `/v1/accounts/${account.id}` });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.code).toBe('ACCOUNT_HAS_LICENSES');
    expect((await auditOf(account.id)).map((a) => a.action)).toEqual(['account.created']);
  });

  it('lets product tokens read, create and update accounts but only admins delete them', async () => {
    const productId = await addLicenses((await post({ name: 'Seed' })).json().id, 0);
    const token = await insertToken('kw_product_token_two_for_accounts_012345', 'product', productId);
    const readOnly = await insertToken('kw_readonly_token_for_accounts_012345678', 'read-only', null);

    const created = await post({ name: 'By product token' }, token);
    expect(created.statusCode).toBe(201);
    const id = created.json().id;
    const patched = await t.request({ method: 'PATCH', url: `/v1/accounts/${id}`, payload: { notes: 'n' }, token });
    expect(patched.json().notes).toBe('n');
    expect((await put('PT-1', { name: 'Upserted by product token' }, token)).statusCode).toBe(201);
    expect((await t.request({ method: 'GET', url: '/v1/accounts?q=product%20token', token })).json().data).toHaveLength(
      2,
    );
    const del = await t.request({ method: 'DELETE', url: `/v1/accounts/${id}`, token });
    expect(del.statusCode).toBe(403);
    expect(del.json().error.code).toBe('FORBIDDEN');

    expect((await t.request({ method: 'GET', url: `/v1/accounts/${id}`, token: readOnly })).statusCode).toBe(200);
    expect((await post({ name: 'RO' }, readOnly)).statusCode).toBe(403);
    expect((await put('RO-1', { name: 'RO' }, readOnly)).statusCode).toBe(403);
    const audit = await auditOf(id);
    expect(audit.map((a) => [a.action, a.actor_type])).toEqual([
      ['account.created', 'token:product'],
      ['account.updated', 'token:product'],
    ]);
  });

  it('upserts by CRM id idempotently, keeping fields the CRM leaves out', async () => {
    const crmId = 'SF 001/ä';
    const first = await put(crmId, { name: 'Upsert Co', emailDomains: ['UPSERT.co'] });
    expect(first.statusCode).toBe(201);
    const account = first.json();
    expect(account).toMatchObject({ crmId, name: 'Upsert Co', emailDomains: ['upsert.co'] });

    t.clock.advanceSeconds(5);
    const again = await put(crmId, { name: 'Upsert Co', emailDomains: ['upsert.co'] });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toEqual(account);

    await t.request({ method: 'PATCH', url: `/v1/accounts/${account.id}`, payload: { notes: 'Support note' } });
    const renamed = await put(crmId, { name: 'Upsert Company' });
    expect(renamed.statusCode).toBe(200);
    expect(renamed.json()).toMatchObject({
      id: account.id,
      name: 'Upsert Company',
      emailDomains: ['upsert.co'],
      notes: 'Support note',
    });
    const byCrm = await t.request({ method: 'GET', url: `/v1/accounts/by-crm-id/${encodeURIComponent(crmId)}` });
    expect(byCrm.json()).toEqual(renamed.json());
    expect((await auditOf(account.id)).map((a) => a.action)).toEqual([
      'account.created',
      'account.updated',
      'account.updated',
    ]);

    const withCrmInBody = await put('X-2', { name: 'X', crmId: 'X-2' });
    expect(withCrmInBody.statusCode).toBe(400);
    expect(fields(withCrmInBody)).toEqual(['/body/crmId']);
  });

  it('creates exactly one account for 10 concurrent upserts of one CRM id', async () => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => put('CONCURRENT-1', { name: 'Race Inc', emailDomains: ['race.io'] })),
    );
    const statuses = responses.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(responses.map((r) => (r.json() as unknown as { id: string }).id));
    expect(ids.size).toBe(1);
    const rows = await t.kw.database.db
      .selectFrom('accounts')
      .select('id')
      .where('crm_id', '=', 'CONCURRENT-1')
      .execute();
    expect(rows).toHaveLength(1);
    expect((await auditOf(rows[0]!.id)).map((a) => a.action)).toEqual(['account.created']);
  });
});
