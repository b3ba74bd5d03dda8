import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { buildApp, type Keyward } from '../../app.ts';
import { type Database, openDatabase } from '../../platform/db/database.ts';
import { activate, createLicense, type Fixture, NO_RATE_LIMIT } from '../client/test-fixtures.ts';

/**
 * Issue 10, finding 8: concurrent deactivations of one machine each answered 204 and each wrote an audit event. Now
 * the DELETE decides — exactly one request (client deactivate or admin delete) removes the row, answers 204 and
 * audits; every other one answers 404 MACHINE_NOT_FOUND (docs/client-api.md). On PostgreSQL the requests really run
 * in parallel (the harness pool) and are split over two app instances with their own pools on the one database, as
 * two server processes would be.
 */
const TRIALS = 8;
const CONCURRENT = 12;

describe(`concurrent deactivations of one machine (${dbKind})`, () => {
  let t: TestApp;
  let f: Fixture;
  let second: { kw: Keyward; database: Database } | null = null;
  /** The app instances the requests are spread over: one on PGlite, two on PostgreSQL. */
  const instances: Keyward[] = [];

  beforeAll(async () => {
    t = await startTestApp({ configOverrides: NO_RATE_LIMIT });
    f = await createLicense(t, { license: { max_machines: null } });
    instances.push(t.kw);
    if (t.testDb.config.kind === 'postgres') {
      const database = await openDatabase(t.testDb.config);
      second = { kw: await buildApp(t.kw.config, { clock: t.clock, database, skipMigrations: true }), database };
      instances.push(second.kw);
    }
  });
  afterAll(async () => {
    if (second) {
      await second.kw.close();
      await second.database.close();
    }
    await t?.close();
  });

  const inject = (i: number, opts: InjectOptions) => instances[i % instances.length]!.app.inject(opts);
  const clientDeactivate = (i: number, fingerprint: string) =>
    inject(i, { method: 'POST', url: '/v1/machines/deactivate', payload: { key: f.key, fingerprint } });
  const adminDelete = (i: number, id: string) =>
    inject(i, { method: 'DELETE', url: `/v1/machines/${id}`, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

  async function newMachine(fingerprint: string): Promise<string> {
    const res = await activate(t, { key: f.key, fingerprint });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().machine.id as string;
  }

  const eventsFor = (machineId: string) =>
    t.kw.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_type', '=', 'machine')
      .where('target_id', '=', machineId)
      .where('action', 'in', ['machine.deactivated', 'machine.deleted'])
      .execute();

  /** Exactly one 204; every other answer is 404 MACHINE_NOT_FOUND in the one error shape. */
  function expectOneWinner(answers: LightMyRequestResponse[]): void {
    expect(answers.filter((r) => r.statusCode === 204)).toHaveLength(1);
    for (const r of answers.filter((a) => a.statusCode !== 204)) {
      expect({ status: r.statusCode, code: r.json().error?.code }).toEqual({ status: 404, code: 'MACHINE_NOT_FOUND' });
    }
  }

  it(`client deactivations: ${TRIALS} trials of ${CONCURRENT} at once → one 204, one audit event`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const fingerprint = `client-race-${trial}`;
      const id = await newMachine(fingerprint);
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => clientDeactivate(i, fingerprint)));
      expectOneWinner(answers);
      expect(await eventsFor(id)).toEqual([{ action: 'machine.deactivated' }]);
    }
  });

  it(`admin deletes: ${TRIALS} trials of ${CONCURRENT} at once → one 204, one audit event`, async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const id = await newMachine(`admin-race-${trial}`);
      const answers = await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => adminDelete(i, id)));
      expectOneWinner(answers);
      expect(await eventsFor(id)).toEqual([{ action: 'machine.deleted' }]);
    }
  });

  it('client deactivations racing admin deletes: one of them wins, and only it is audited', async () => {
    for (let trial = 0; trial < TRIALS; trial++) {
      const fingerprint = `mixed-race-${trial}`;
      const id = await newMachine(fingerprint);
      const answers = await Promise.all(
        Array.from({ length: CONCURRENT }, (_, i) => (i % 2 ? adminDelete(i, id) : clientDeactivate(i, fingerprint))),
      );
      expectOneWinner(answers);
      expect(await eventsFor(id)).toHaveLength(1);
    }
    const left = await t.kw.database.db.selectFrom('machines').select('id').where('license_id', '=', f.licenseId);
    expect(await left.execute()).toEqual([]);
  });

  it('a later deactivation of the same machine is 404 MACHINE_NOT_FOUND too', async () => {
    const id = await newMachine('twice');
    expect((await clientDeactivate(0, 'twice')).statusCode).toBe(204);
    const again = await clientDeactivate(1, 'twice');
    expect({ status: again.statusCode, code: again.json().error.code }).toEqual({
      status: 404,
      code: 'MACHINE_NOT_FOUND',
    });
    expect((await adminDelete(0, id)).statusCode).toBe(404);
    expect(await eventsFor(id)).toHaveLength(1);
  });
});
