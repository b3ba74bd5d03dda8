import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { verifyLicenseFile, verifySignedKey } from '../../../test/support/spec-verifier.ts';
import { memoryIo } from '../../cli/io.ts';
import { run } from '../../cli/main.ts';
import { activate, clientCall, createProduct, createToken, NO_RATE_LIMIT, validate } from '../client/test-fixtures.ts';
import { clientCheckOut, publishedKeys } from './test-fixtures.ts';

describe(`signed license keys and keyScheme on plans (${dbKind})`, () => {
  let t: TestApp;
  let product: { id: string; code: string };
  let accountId: string;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    product = await createProduct(t);
    const account = await t.request({ method: 'POST', url: '/v1/accounts', payload: { name: 'Initech' } });
    expect(account.statusCode, account.body).toBe(201);
    accountId = account.json().id;
  });
  afterAll(async () => t.close());

  const createPlan = (payload: Record<string, unknown>) =>
    t.request({
      method: 'POST',
      url: '/v1/plans',
      payload: { productId: product.id, licenseType: 'subscription', durationDays: 365, ...payload },
    });
  const issue = async (planId: string, extra: Record<string, unknown> = {}) => {
    const res = await t.request({ method: 'POST', url: '/v1/licenses', payload: { planId, accountId, ...extra } });
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  };

  it('plans expose keyScheme: random by default, ed25519-signed on request, editable, anything else a 400', async () => {
    const plain = await createPlan({ name: 'Random keys' });
    expect(plain.json().keyScheme).toBe('random');
    const signed = await createPlan({ name: 'Signed keys', keyScheme: 'ed25519-signed' });
    expect(signed.statusCode, signed.body).toBe(201);
    expect(signed.json().keyScheme).toBe('ed25519-signed');
    const got = await t.request({ method: 'GET', url: `/v1/plans/${signed.json().id}` });
    expect(got.json().keyScheme).toBe('ed25519-signed');
    const edited = await t.request({
      method: 'PATCH',
      url: `/v1/plans/${plain.json().id}`,
      payload: { keyScheme: 'ed25519-signed' },
    });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().keyScheme).toBe('ed25519-signed');
    const bad = await createPlan({ name: 'Bad', keyScheme: 'rsa' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.map((d: { field: string }) => d.field)).toContain('/body/keyScheme');
  });

  it('issuing on a signed plan makes a KW1 key that verifies offline and states the license at issue', async () => {
    const plan = (await createPlan({ name: 'Signed 5 seats', keyScheme: 'ed25519-signed', maxMachines: 5 })).json();
    const license = await issue(plan.id);
    expect(license.key).toMatch(/^KW1\.[\w-]{16}\.[\w-]+\.[\w-]{86}$/);
    expect(license.key.length).toBeLessThan(512);
    const data = verifySignedKey(license.key, await publishedKeys(t));
    expect(data).toEqual({
      lid: license.id,
      prd: product.code,
      iat: t.clock.now().toISOString(),
      exp: license.endsAt,
      seats: 5,
    });
    // Seats as enforced: the license's own limit, else the plan's (null = unlimited).
    const unlimited = (await createPlan({ name: 'Signed unlimited', keyScheme: 'ed25519-signed' })).json();
    const perpetual = await issue(unlimited.id, { endsAt: null });
    expect(verifySignedKey(perpetual.key, await publishedKeys(t))).toMatchObject({ exp: null, seats: null });
    const three = await issue(unlimited.id, { maxMachines: 3 });
    expect(verifySignedKey(three.key, await publishedKeys(t)).seats).toBe(3);
    const imported = await issue(plan.id, { key: 'LEGACY-KEY-0001' });
    expect(imported.key).toBe('LEGACY-KEY-0001');
    const random = await issue((await createPlan({ name: 'Still random' })).json().id);
    expect(random.key.startsWith(`${product.code}-`)).toBe(true);
    const foreignToken = await createToken(t, 'product', (await createProduct(t)).id);
    const foreign = await t.request({
      method: 'POST',
      url: '/v1/licenses',
      payload: { planId: plan.id, accountId, endsAt: '1999-01-01T00:00:00Z' },
      token: foreignToken,
    });
    expect(foreign.statusCode, foreign.body).toBe(422);
    expect(foreign.json().error.code).toBe('PLAN_NOT_FOUND');
  });

  it('signed keys work online as they are: validate-key, activation, client check-out', async () => {
    const plan = (await createPlan({ name: 'Signed online', keyScheme: 'ed25519-signed' })).json();
    const { id, key } = await issue(plan.id);
    const valid = await validate(t, { key: `  ${key} ` });
    expect(valid.json()).toMatchObject({ valid: true, code: 'VALID', license: { id } });
    const typo = await validate(t, { key: key.toLowerCase() });
    expect(typo.json()).toMatchObject({ valid: false, code: 'NOT_FOUND' });
    expect((await activate(t, { key, fingerprint: 'fp-signed' })).statusCode).toBe(201);
    const res = await clientCheckOut(t, { key, fingerprint: 'fp-signed', encrypt: true });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ alg: 'aes-256-gcm+ed25519', bind: 'machine' }); // a KW1 key: SHA-256
    const payload = verifyLicenseFile(res.json().certificate, await publishedKeys(t), {
      now: t.clock.now(),
      licenseKey: key,
      fingerprint: 'fp-signed',
    });
    expect(payload.license).toMatchObject({ id, key });
    const heartbeat = await clientCall(t, '/v1/machines/heartbeat', { key, fingerprint: 'fp-signed' });
    expect(heartbeat.statusCode).toBe(200);
  });

  it('CLI: keyward license-file prints the file or writes it with --out; bad options exit 2', async () => {
    const plan = (await createPlan({ name: 'CLI plan' })).json();
    const license = await issue(plan.id);
    await activate(t, { key: license.key, fingerprint: 'fp-cli' });
    const cli = async (args: string[]) => {
      const io = memoryIo();
      const opened = { kw: t.kw, migrations: { applied: [], alreadyApplied: 2 }, release: async () => {} };
      const code = await run(args, { io, env: { LOG_LEVEL: 'silent' }, open: async () => opened });
      return { code, stdout: io.stdout(), stderr: io.stderr() };
    };
    const keys = await publishedKeys(t);
    const printed = await cli(['license-file', license.key, '--ttl', '7200']);
    expect(printed.code, printed.stderr).toBe(0);
    const payload = verifyLicenseFile(printed.stdout, keys, { now: t.clock.now() });
    expect(payload.meta.ttlSeconds).toBe(7_200);
    const { mkdtempSync, readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const out = join(mkdtempSync(join(tmpdir(), 'keyward-lf-')), 'license.lic');
    const written = await cli(['license-file', license.id, '--encrypt', '--fingerprint', 'fp-cli', '--out', out]);
    expect(written.code, written.stderr).toBe(0);
    expect(written.stdout).toContain(out);
    const bound = verifyLicenseFile(readFileSync(out, 'utf8'), keys, {
      now: t.clock.now(),
      licenseKey: license.key,
      fingerprint: 'fp-cli',
    });
    expect(bound.machine.fingerprint).toBe('fp-cli');
    expect((await cli(['license-file', license.id, '--ttl', '60'])).code).toBe(2);
    const missing = await cli(['license-file', license.id, '--fingerprint', 'nope']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('MACHINE_NOT_FOUND');
  });
});
