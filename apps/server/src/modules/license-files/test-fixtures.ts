import { expect } from 'vitest';
import type { TestApp } from '../../../test/harness.ts';
import type { PublicKeys } from '../../../test/support/spec-verifier.ts';
import { clientCall } from '../client/test-fixtures.ts';

/** The published public keys (GET /v1/keys, no token), as kid → b64 raw key. */
export async function publishedKeys(t: TestApp): Promise<PublicKeys> {
  const res = await t.request({ method: 'GET', url: '/v1/keys', token: null });
  expect(res.statusCode).toBe(200);
  const { keys } = res.json() as { keys: { kid: string; publicKey: string }[] };
  return Object.fromEntries(keys.map((k) => [k.kid, k.publicKey]));
}

/** Admin check-out (POST /v1/licenses/:id/actions/check-out). */
export function adminCheckOut(t: TestApp, licenseId: string, payload: Record<string, unknown> = {}, token?: string) {
  return t.request({
    method: 'POST',
    url: `/v1/licenses/${licenseId}/actions/check-out`,
    payload,
    ...(token ? { token } : {}),
  });
}

/** Client check-out (POST /v1/licenses/check-out, the license key as credential). */
export const clientCheckOut = (t: TestApp, payload: unknown, ip?: string) =>
  clientCall(t, '/v1/licenses/check-out', payload, ip);

/** The certificate of a successful check-out. */
export function certificateOf(res: { statusCode: number; body: string; json(): unknown }): string {
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { certificate: string }).certificate;
}
