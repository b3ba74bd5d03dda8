import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { activate, createLicense, createToken, type Fixture, NO_RATE_LIMIT } from '../client/test-fixtures.ts';

describe(`machines admin API (${dbKind})`, () => {
  let t: TestApp;
  let a: Fixture;
  let b: Fixture;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    a = await createLicense(t, { license: { max_machines: 10 } });
    b = await createLicense(t);
    for (const fp of ['a-1', 'a-2', 'a-3']) {
      t.clock.advanceSeconds(1);
      ids[fp] = (await activate(t, { key: a.key, fingerprint: fp })).json().machine.id;
    }
    ids['b-1'] = (await activate(t, { key: b.key, fingerprint: 'b-1' })).json().machine.id;
  });
  afterAll(async () => t.close());

  const fingerprints = (body: { data: { fingerprint: string }[] }) => body.data.map((m) => m.fingerprint);

  it('lists machines with filters and cursor pagination', async () => {
    const all = await t.request({ method: 'GET', url: `/v1/machines?licenseId=${a.licenseId}` });
    expect(all.statusCode).toBe(200);
    expect(fingerprints(all.json())).toEqual(['a-1', 'a-2', 'a-3']);
    expect(all.json().data[0]).toMatchObject({ licenseId: a.licenseId, ip: '203.0.113.7', lastHeartbeatAt: null });

    const byFp = await t.request({ method: 'GET', url: '/v1/machines?fingerprint=b-1' });
    expect(byFp.json().data.map((m: { id: string }) => m.id)).toEqual([ids['b-1']]);

    const first = (await t.request({ method: 'GET', url: `/v1/machines?licenseId=${a.licenseId}&limit=2` })).json();
    expect(fingerprints(first)).toEqual(['a-1', 'a-2']);
    const second = (
      await t.request({
        method: 'GET',
        url: `/v1/machines?licenseId=${a.licenseId}&limit=2&cursor=${first.nextCursor}`,
      })
    ).json();
    expect(fingerprints(second)).toEqual(['a-3']);
    expect(second.nextCursor).toBeNull();

    const viaLicense = await t.request({ method: 'GET', url: `/v1/licenses/${a.licenseId}/machines?limit=2` });
    expect(fingerprints(viaLicense.json())).toEqual(['a-1', 'a-2']);
  });

  it('gets a machine and answers 404 for unknown ids and licenses', async () => {
    const got = await t.request({ method: 'GET', url: `/v1/machines/${ids['a-2']}` });
    expect(got.json()).toMatchObject({ id: ids['a-2'], fingerprint: 'a-2' });
    const missing = await t.request({ method: 'GET', url: '/v1/machines/00000000-0000-4000-8000-000000000000' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.code).toBe('MACHINE_NOT_FOUND');
    const noLicense = await t.request({
      method: 'GET',
      url: '/v1/licenses/00000000-0000-4000-8000-000000000000/machines',
    });
    expect(noLicense.json().error.code).toBe('LICENSE_NOT_FOUND');
  });

  it('rejects bad input with 400 and field details', async () => {
    for (const url of [
      '/v1/machines/not-a-uuid',
      '/v1/machines?licenseId=x',
      '/v1/machines?limit=0',
      '/v1/machines?x=1',
    ]) {
      const res = await t.request({ method: 'GET', url });
      expect(res.statusCode, url).toBe(400);
      expect(res.json().error.details.length, url).toBeGreaterThan(0);
    }
    const forged = Buffer.from(JSON.stringify({ v: 'nope', id: 'x' })).toString('base64url');
    expect((await t.request({ method: 'GET', url: `/v1/machines?cursor=${forged}` })).statusCode).toBe(400);
  });

  it('confines product tokens to their product and read-only tokens to reading', async () => {
    const productToken = await createToken(t, 'product', b.product.id);
    const list = await t.request({ method: 'GET', url: '/v1/machines', token: productToken });
    expect(fingerprints(list.json())).toEqual(['b-1']);
    const other = await t.request({ method: 'GET', url: `/v1/machines/${ids['a-1']}`, token: productToken });
    expect(other.statusCode).toBe(404);
    const otherLicense = await t.request({
      method: 'GET',
      url: `/v1/licenses/${a.licenseId}/machines`,
      token: productToken,
    });
    expect(otherLicense.statusCode).toBe(404);
    const del = await t.request({ method: 'DELETE', url: `/v1/machines/${ids['a-1']}`, token: productToken });
    expect(del.statusCode).toBe(404);

    const readOnly = await createToken(t, 'read-only');
    expect((await t.request({ method: 'GET', url: '/v1/machines', token: readOnly })).statusCode).toBe(200);
    const refused = await t.request({ method: 'DELETE', url: `/v1/machines/${ids['a-1']}`, token: readOnly });
    expect(refused.statusCode).toBe(403);
    expect((await t.request({ method: 'GET', url: '/v1/machines', token: null })).statusCode).toBe(401);
  });

  it('deletes a machine, freeing its seat, and audits it', async () => {
    const productToken = await createToken(t, 'product', b.product.id);
    const del = await t.request({ method: 'DELETE', url: `/v1/machines/${ids['b-1']}`, token: productToken });
    expect(del.statusCode).toBe(204);
    expect((await t.request({ method: 'GET', url: `/v1/machines/${ids['b-1']}` })).statusCode).toBe(404);
    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'license_id', 'product_id'])
      .where('target_id', '=', ids['b-1']!)
      .orderBy('id')
      .execute();
    expect(audit.map((e) => e.action)).toEqual(['machine.activated', 'machine.deleted']);
    expect(audit[1]).toMatchObject({ actor_type: 'token:product', license_id: b.licenseId, product_id: b.product.id });
  });
});
