import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { catalog, insertAccount, insertToken, issue } from '../licenses/test-fixtures.ts';

describe(`GET /v1/search (${dbKind})`, () => {
  let t: TestApp;
  let productToken: string;
  let keyA: string;
  let keyB: string;

  const search = async (q: string, token?: string, extra = '') => {
    const res = await t.request({
      method: 'GET',
      url: `/v1/search?q=${encodeURIComponent(q)}${extra}`,
      ...(token ? { token } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    t = await startTestApp();
    const a = await catalog(t, 'FINDA');
    const b = await catalog(t, 'FINDB');
    await insertAccount(t, {
      name: 'Initech',
      crm_id: 'SF-0042',
      email_domains: ['initech.example'],
      contacts: JSON.stringify([{ name: 'Bill', email: 'bill.lumbergh@initech-mail.example', role: 'boss' }]),
    });
    await insertAccount(t, { name: 'Umbrella Initiative', crm_id: null });
    await insertAccount(t, { name: 'Tech Init 100% Corp', crm_id: null });
    const licA = await issue(t, {
      planId: a.yearly.id,
      accountId: a.account.id,
      name: 'Production cluster',
      domains: ['cluster.findme.example'],
    });
    const licB = await issue(t, { planId: b.yearly.id, accountId: b.account.id, name: 'Staging cluster' });
    keyA = licA.key;
    keyB = licB.key;
    productToken = await insertToken(t, 'product', a.product.id);
  });
  afterAll(async () => t.close());

  it('finds accounts by name, CRM id, email domain and contact email, with the reason', async () => {
    const byName = await search('INIT');
    // Name prefixes first, then other name matches by name.
    expect(byName.accounts.map((x: { name: string }) => x.name)).toEqual([
      'Initech',
      'Tech Init 100% Corp',
      'Umbrella Initiative',
    ]);
    expect(byName.accounts[0].match).toEqual({ field: 'name', value: 'Initech' });

    const byCrm = await search('sf-004');
    expect(byCrm.accounts).toHaveLength(1);
    expect(byCrm.accounts[0]).toMatchObject({ name: 'Initech', crmId: 'SF-0042', match: { field: 'crmId' } });

    const byDomain = await search('initech.exam');
    expect(byDomain.accounts[0].match).toEqual({ field: 'domain', value: 'initech.example' });

    const byEmail = await search('lumbergh');
    expect(byEmail.accounts[0].match).toEqual({ field: 'contactEmail', value: 'bill.lumbergh@initech-mail.example' });
    expect(byEmail.licenses).toEqual([]);
  });

  it('finds licenses by key prefix (any case), name and domain, with status and account', async () => {
    const byKey = await search(keyA.slice(0, 12).toLowerCase());
    expect(byKey.licenses).toHaveLength(1);
    expect(byKey.licenses[0]).toMatchObject({
      key: keyA,
      status: 'active',
      productCode: 'FINDA',
      account: { name: 'FINDA Customer GmbH' },
      match: { field: 'key', value: keyA },
    });
    expect(byKey.licenses[0].endsAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);

    const byName = await search('cluster');
    expect(byName.licenses.map((l: { key: string }) => l.key).sort()).toEqual([keyA, keyB].sort());
    expect(byName.licenses[0].match.field).toBe('name');

    const byDomain = await search('findme');
    expect(byDomain.licenses.map((l: { match: unknown }) => l.match)).toEqual([
      { field: 'domain', value: 'cluster.findme.example' },
    ]);
  });

  it('confines licenses to a product token’s product (accounts are shared records)', async () => {
    const res = await search('cluster', productToken);
    expect(res.licenses.map((l: { key: string }) => l.key)).toEqual([keyA]);
    expect((await search(keyB.slice(0, 14), productToken)).licenses).toEqual([]);
    expect((await search('initech', productToken)).accounts).toHaveLength(1);
  });

  it('treats LIKE wildcards literally, limits results and ignores empty queries', async () => {
    expect((await search('100%')).accounts.map((x: { name: string }) => x.name)).toEqual(['Tech Init 100% Corp']);
    expect((await search('_')).accounts).toEqual([]);
    expect((await search('init', undefined, '&limit=1')).accounts).toHaveLength(1);
    expect(await search('   ')).toEqual({ accounts: [], licenses: [] });
    const none = await t.request({ method: 'GET', url: '/v1/search' });
    expect(none.json()).toEqual({ accounts: [], licenses: [] });
  });

  it('rejects bad input with field details and needs a token', async () => {
    const tooMany = await t.request({ method: 'GET', url: '/v1/search?q=a&limit=500' });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().error.details[0].field).toContain('limit');
    const long = await t.request({ method: 'GET', url: `/v1/search?q=${'x'.repeat(201)}` });
    expect(long.statusCode).toBe(400);
    const anon = await t.request({ method: 'GET', url: '/v1/search?q=a', token: null });
    expect(anon.statusCode).toBe(401);
  });
});
