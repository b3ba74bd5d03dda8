import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { activate, clientCall, createLicense, NO_RATE_LIMIT } from './test-fixtures.ts';

/*
 * A plan with requireNonce (docs/license-files.md, "Signed responses"): every signed client call of its licenses
 * must carry a nonce, so none of their signed answers can be replayed to another request. Refused before anything
 * changes; other plans are unaffected.
 */

describe(`plans that require a nonce (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const machineCount = async (licenseId: string) =>
    (await t.kw.database.db.selectFrom('machines').select('id').where('license_id', '=', licenseId).execute()).length;

  it('every signed call without a nonce is 400 NONCE_REQUIRED (signed), with one it goes through', async () => {
    const f = await createLicense(t, { plan: { require_nonce: true } });
    const calls: [string, Record<string, unknown>, number][] = [
      ['/v1/licenses/validate-key', { key: f.key }, 200],
      ['/v1/machines/activate', { key: f.key, fingerprint: 'fp-1' }, 201],
      ['/v1/machines/heartbeat', { key: f.key, fingerprint: 'fp-1' }, 200],
      ['/v1/licenses/check-out', { key: f.key }, 200],
      ['/v1/client/usage', { key: f.key, property: 'no_such_property' }, 404],
      ['/v1/client/entitlements', { key: f.key }, 200],
      ['/v1/client/flags', { key: f.key }, 200],
    ];
    for (const [path, body, expected] of calls) {
      const refused = await clientCall(t, path, body);
      expect(refused.statusCode, `${path} ${refused.body}`).toBe(400);
      expect(refused.json().error).toMatchObject({ code: 'NONCE_REQUIRED', details: [{ field: '/body/nonce' }] });
      expect(refused.headers['keyward-signature']).toMatch(/^v=1; /);
      if (path === '/v1/machines/activate') expect(await machineCount(f.licenseId)).toBe(0); // nothing happened
      for (const nonce of ['n-1', 7]) {
        const ok = await clientCall(t, path, { ...body, nonce });
        expect(ok.statusCode, `${path} ${ok.body}`).toBe(expected === 201 && nonce === 7 ? 200 : expected);
      }
    }
    // The requirement comes with the license's plan: an unknown key is still just not found.
    const unknown = await clientCall(t, '/v1/licenses/validate-key', { key: 'NOPE-1234' });
    expect(unknown.json()).toMatchObject({ valid: false, code: 'NOT_FOUND' });
  });

  it('plans without it keep answering calls without a nonce', async () => {
    const f = await createLicense(t);
    expect((await clientCall(t, '/v1/licenses/validate-key', { key: f.key })).json()).toMatchObject({ valid: true });
    expect((await activate(t, { key: f.key, fingerprint: 'fp-2' })).statusCode).toBe(201);
  });

  it('turning it on for a plan applies at once to its licenses', async () => {
    const f = await createLicense(t);
    const patched = await t.request({ method: 'PATCH', url: `/v1/plans/${f.planId}`, payload: { requireNonce: true } });
    expect(patched.statusCode, patched.body).toBe(200);
    const res = await clientCall(t, '/v1/licenses/validate-key', { key: f.key });
    expect(res.json().error.code).toBe('NONCE_REQUIRED');
  });
});
