import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';

describe(`products API (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.close());

  it('creates, reads, updates, lists and deletes a product, auditing each change', async () => {
    const created = await t.request({
      method: 'POST',
      url: '/v1/products',
      payload: { code: 'ACME', name: 'Acme Suite' },
    });
    expect(created.statusCode).toBe(201);
    const product = created.json();
    expect(product).toMatchObject({ code: 'ACME', name: 'Acme Suite', description: '' });

    const got = await t.request({ method: 'GET', url: `/v1/products/${product.id}` });
    expect(got.json().id).toBe(product.id);

    const patched = await t.request({
      method: 'PATCH',
      url: `/v1/products/${product.id}`,
      payload: { description: 'Our flagship' },
    });
    expect(patched.json().description).toBe('Our flagship');

    const list = await t.request({ method: 'GET', url: '/v1/products?q=acme' });
    expect(list.json().data.map((p: { code: string }) => p.code)).toEqual(['ACME']);

    const del = await t.request({ method: 'DELETE', url: `/v1/products/${product.id}` });
    expect(del.statusCode).toBe(204);
    const gone = await t.request({ method: 'GET', url: `/v1/products/${product.id}` });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error.code).toBe('PRODUCT_NOT_FOUND');

    const audit = await t.kw.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', product.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['product.created', 'product.updated', 'product.deleted']);
  });

  it('rejects a duplicate code with 409 and bad input with field details', async () => {
    await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'DUP', name: 'One' } });
    const dup = await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'DUP', name: 'Two' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.code).toBe('PRODUCT_CODE_TAKEN');

    const bad = await t.request({ method: 'POST', url: '/v1/products', payload: { code: 'lower case', extra: 1 } });
    expect(bad.statusCode).toBe(400);
    const fields = bad.json().error.details.map((d: { field: string }) => d.field);
    expect(fields).toEqual(expect.arrayContaining(['/body/code', '/body/name', '/body/extra']));
  });

  it('pages with an opaque cursor', async () => {
    for (const code of ['PA', 'PB', 'PC']) {
      t.clock.advanceSeconds(1);
      await t.request({ method: 'POST', url: '/v1/products', payload: { code, name: code } });
    }
    const first = (await t.request({ method: 'GET', url: '/v1/products?limit=2&q=P' })).json();
    expect(first.data).toHaveLength(2);
    const second = (
      await t.request({ method: 'GET', url: `/v1/products?limit=2&q=P&cursor=${first.nextCursor}` })
    ).json();
    const codes = [...first.data, ...second.data].map((p: { code: string }) => p.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(codes).toEqual(expect.arrayContaining(['PA', 'PB', 'PC']));
    const bad = await t.request({ method: 'GET', url: '/v1/products?cursor=%%%' });
    expect(bad.statusCode).toBe(400);
  });

  it('requires a token', async () => {
    const res = await t.request({ method: 'GET', url: '/v1/products', token: null });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('UNAUTHORIZED');
  });
});
