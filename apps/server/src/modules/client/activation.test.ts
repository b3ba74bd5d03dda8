import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { activate, createLicense, deactivate, heartbeat, NO_RATE_LIMIT } from './test-fixtures.ts';

const DAY = 86_400_000;

describe(`machine activation (${dbKind})`, () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
  });
  afterAll(async () => t.close());

  const machinesOf = (licenseId: string) =>
    t.kw.database.db.selectFrom('machines').selectAll().where('license_id', '=', licenseId).execute();
  const auditOf = (licenseId: string) =>
    t.kw.database.db
      .selectFrom('audit_events')
      .select(['action', 'actor_type', 'actor_id', 'actor_name', 'product_id'])
      .where('license_id', '=', licenseId)
      .orderBy('id')
      .execute();

  it('activates (201), is idempotent per fingerprint (200) and audits with a license actor', async () => {
    const f = await createLicense(t);
    const first = await activate(t, { key: f.key, fingerprint: 'fp-1', hostname: 'build-01', platform: 'linux' });
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({
      machine: {
        licenseId: f.licenseId,
        fingerprint: 'fp-1',
        hostname: 'build-01',
        platform: 'linux',
        ip: '203.0.113.7',
      },
      license: { id: f.licenseId, machineCount: 1, maxMachines: 3 },
    });
    const again = await activate(
      t,
      { key: f.key.toLowerCase(), fingerprint: 'fp-1', hostname: 'build-02' },
      '198.51.100.1',
    );
    expect(again.statusCode).toBe(200);
    expect(again.json().machine).toMatchObject({
      id: first.json().machine.id,
      hostname: 'build-02',
      platform: null,
      ip: '198.51.100.1',
    });
    expect(again.json().license.machineCount).toBe(1);
    expect(await machinesOf(f.licenseId)).toHaveLength(1);
    expect(await auditOf(f.licenseId)).toEqual([
      {
        action: 'machine.activated',
        actor_type: 'license',
        actor_id: f.licenseId,
        actor_name: 'license key',
        product_id: f.product.id,
      },
    ]);
  });

  it('refuses malformed, unknown, revoked, suspended, not yet valid and expired licenses', async () => {
    const f = await createLicense(t);
    const broken = f.key.slice(0, -1) + (f.key.endsWith('0') ? '1' : '0');
    const expectError = async (key: string, status: number, code: string) => {
      const res = await activate(t, { key, fingerprint: 'fp' });
      expect(res.statusCode, code).toBe(status);
      expect(res.json().error.code).toBe(code);
    };
    await expectError(broken, 400, 'MALFORMED_KEY');
    await expectError('no-such-key', 404, 'LICENSE_NOT_FOUND');
    await expectError((await createLicense(t, { license: { revoked: true } })).key, 403, 'LICENSE_REVOKED');
    await expectError((await createLicense(t, { license: { suspended: true } })).key, 403, 'LICENSE_SUSPENDED');
    const later = new Date(t.clock.now().getTime() + DAY);
    await expectError((await createLicense(t, { license: { starts_at: later } })).key, 403, 'LICENSE_NOT_YET_VALID');

    const ended = {
      starts_at: new Date(t.clock.now().getTime() - 20 * DAY),
      ends_at: new Date(t.clock.now().getTime() - 10 * DAY),
    };
    const byStrategy = async (strategy: 'restrict' | 'revoke' | 'maintain' | 'allow', grace = 0) =>
      (await createLicense(t, { plan: { expiration_strategy: strategy, grace_days: grace }, license: ended })).key;
    await expectError(await byStrategy('restrict'), 403, 'LICENSE_EXPIRED');
    await expectError(await byStrategy('revoke'), 403, 'LICENSE_EXPIRED');
    expect((await activate(t, { key: await byStrategy('maintain'), fingerprint: 'fp' })).statusCode).toBe(201);
    expect((await activate(t, { key: await byStrategy('allow'), fingerprint: 'fp' })).statusCode).toBe(201);
    expect((await activate(t, { key: await byStrategy('restrict', 30), fingerprint: 'fp' })).statusCode).toBe(201);
  });

  it('enforces the seat limit (409 TOO_MANY_MACHINES) and node-locking', async () => {
    const f = await createLicense(t, { license: { max_machines: 2 } });
    expect((await activate(t, { key: f.key, fingerprint: 'a' })).statusCode).toBe(201);
    expect((await activate(t, { key: f.key, fingerprint: 'b' })).statusCode).toBe(201);
    const full = await activate(t, { key: f.key, fingerprint: 'c' });
    expect(full.statusCode).toBe(409);
    expect(full.json().error.code).toBe('TOO_MANY_MACHINES');
    expect((await activate(t, { key: f.key, fingerprint: 'a' })).statusCode).toBe(200);

    const locked = await createLicense(t, { plan: { floating: false, max_machines: 5 } });
    expect((await activate(t, { key: locked.key, fingerprint: 'only' })).json().license.maxMachines).toBe(1);
    expect((await activate(t, { key: locked.key, fingerprint: 'second' })).statusCode).toBe(409);
  });

  it('holds the seat limit under 100 concurrent activations', async () => {
    const f = await createLicense(t, { license: { max_machines: 5 } });
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => activate(t, { key: f.key, fingerprint: `machine-${i}` })),
    );
    const statuses = results.map((r) => r.statusCode);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 409)).toHaveLength(95);
    expect(results.filter((r) => r.statusCode === 409).every((r) => r.json().error.code === 'TOO_MANY_MACHINES')).toBe(
      true,
    );
    expect(await machinesOf(f.licenseId)).toHaveLength(5);
  });

  it('keeps machines alive with heartbeats; a dead machine frees its seat and must re-activate', async () => {
    const f = await createLicense(t, { plan: { heartbeat_interval_seconds: 60 }, license: { max_machines: 1 } });
    expect((await activate(t, { key: f.key, fingerprint: 'a' })).statusCode).toBe(201);
    t.clock.advanceSeconds(50);
    const hb = await heartbeat(t, { key: f.key, fingerprint: 'a' });
    expect(hb.statusCode).toBe(200);
    expect(hb.json()).toMatchObject({
      machine: { fingerprint: 'a', lastHeartbeatAt: t.clock.now().toISOString() },
      nextHeartbeatDueAt: new Date(t.clock.now().getTime() + 60_000).toISOString(),
    });
    t.clock.advanceSeconds(50);
    expect((await activate(t, { key: f.key, fingerprint: 'b' })).statusCode).toBe(409);

    t.clock.advanceSeconds(61);
    const dead = await t.request({
      method: 'POST',
      url: '/v1/licenses/validate-key',
      token: null,
      payload: { key: f.key, scope: { fingerprint: 'a' } },
    });
    expect(dead.json().code).toBe('HEARTBEAT_DEAD');
    expect((await activate(t, { key: f.key, fingerprint: 'b' })).statusCode).toBe(201);
    const machines = await machinesOf(f.licenseId);
    expect(machines.map((m) => m.fingerprint)).toEqual(['b']);
    const late = await heartbeat(t, { key: f.key, fingerprint: 'a' });
    expect(late.statusCode).toBe(404);
    expect(late.json().error.code).toBe('MACHINE_NOT_FOUND');
    expect((await auditOf(f.licenseId)).map((a) => a.action)).toEqual([
      'machine.activated',
      'machine.culled',
      'machine.activated',
    ]);

    // A machine that dies without anyone needing its seat is culled by its own late heartbeat.
    t.clock.advanceSeconds(61);
    expect((await heartbeat(t, { key: f.key, fingerprint: 'b' })).statusCode).toBe(404);
    expect(await machinesOf(f.licenseId)).toHaveLength(0);

    const plain = await createLicense(t);
    await activate(t, { key: plain.key, fingerprint: 'x' });
    const noInterval = await heartbeat(t, { key: plain.key, fingerprint: 'x' });
    expect(noInterval.statusCode).toBe(200);
    expect(noInterval.json().nextHeartbeatDueAt).toBeNull();
  });

  it('deactivates (204), freeing the seat; refuses under the revoke strategy once expired', async () => {
    const f = await createLicense(t, { license: { max_machines: 1 } });
    await activate(t, { key: f.key, fingerprint: 'a' });
    const res = await deactivate(t, { key: f.key, fingerprint: 'a' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await deactivate(t, { key: f.key, fingerprint: 'a' })).json().error.code).toBe('MACHINE_NOT_FOUND');
    expect((await activate(t, { key: f.key, fingerprint: 'b' })).statusCode).toBe(201);
    expect((await auditOf(f.licenseId)).map((a) => [a.action, a.actor_type])).toEqual([
      ['machine.activated', 'license'],
      ['machine.deactivated', 'license'],
      ['machine.activated', 'license'],
    ]);

    const end = new Date(t.clock.now().getTime() + DAY);
    const revoke = await createLicense(t, { plan: { expiration_strategy: 'revoke' }, license: { ends_at: end } });
    const restrict = await createLicense(t, { plan: { expiration_strategy: 'restrict' }, license: { ends_at: end } });
    await activate(t, { key: revoke.key, fingerprint: 'a' });
    await activate(t, { key: restrict.key, fingerprint: 'a' });
    t.clock.advanceDays(2);
    for (const call of [heartbeat, deactivate]) {
      const refused = await call(t, { key: revoke.key, fingerprint: 'a' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json().error.code).toBe('LICENSE_EXPIRED');
    }
    expect((await heartbeat(t, { key: restrict.key, fingerprint: 'a' })).statusCode).toBe(200);
    expect((await deactivate(t, { key: restrict.key, fingerprint: 'a' })).statusCode).toBe(204);
  });

  it('rejects bad input with 400 and field details', async () => {
    const cases: [string, unknown, string][] = [
      ['/v1/machines/activate', { key: 'K' }, '/body/fingerprint'],
      ['/v1/machines/activate', { key: 'K', fingerprint: 'f'.repeat(256) }, '/body/fingerprint'],
      ['/v1/machines/activate', { key: 'K', fingerprint: 'f', hostname: 'h'.repeat(256) }, '/body/hostname'],
      ['/v1/machines/activate', { fingerprint: 'f', ip: '1.1.1.1' }, '/body/ip'],
      ['/v1/machines/heartbeat', { key: 'K', fingerprint: '' }, '/body/fingerprint'],
      ['/v1/machines/deactivate', { key: ['a', 'b'], fingerprint: 'f' }, '/body/key'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await t.request({ method: 'POST', url, token: null, payload: payload as object });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json().error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const empty = await t.request({ method: 'POST', url: '/v1/machines/activate', token: null });
    expect(empty.statusCode).toBe(400);
  });
});
