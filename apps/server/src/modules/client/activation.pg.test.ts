import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PG_URL, type TestApp } from '../../../test/harness.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../../test/support/server-process.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createLicense, NO_RATE_LIMIT } from './test-fixtures.ts';

// Needs a PostgreSQL server: run by `scripts/with-postgres.sh npm run test:db` (project server-pg), which sets
// KEYWARD_TEST_DATABASE_URL. `npm test` does not include this project; a run without PostgreSQL fails loudly.
if (!TEST_PG_URL) throw new Error('activation.pg.test.ts needs KEYWARD_TEST_DATABASE_URL (scripts/with-postgres.sh)');

/** A day-long per-key window (aligned to UTC midnight) so that real time cannot cross a window during the test. */
const startServer = (url: string) =>
  startServerProcess(url, { KEYWARD_RATE_LIMIT_PER_KEY: '150', KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '86400' });

describe('seat limit across two server processes on one PostgreSQL', () => {
  let t: TestApp;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    // The child processes use the system clock, so the fixtures are dated from real time.
    t = await startTestApp({ clock: new ManualClock(new Date()), configOverrides: NO_RATE_LIMIT });
    if (t.testDb.config.kind !== 'postgres') throw new Error('expected a PostgreSQL test database');
    const url = t.testDb.config.url;
    servers.push(...(await Promise.all([startServer(url), startServer(url)])));
  });
  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await t?.close();
  });

  it('lets exactly 5 of 100 concurrent activations through on a 5-seat license', async () => {
    const f = await createLicense(t, { license: { max_machines: 5 } });
    const results = await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const server = servers[i % servers.length]!;
        const res = await fetch(`${server.url}/v1/machines/activate`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key: f.key, fingerprint: `machine-${i}` }),
        });
        const body = (await res.json()) as { error?: { code: string } };
        return { status: res.status, code: body.error?.code ?? null };
      }),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(5);
    expect(results.filter((r) => r.status === 409 && r.code === 'TOO_MANY_MACHINES')).toHaveLength(95);
    const machines = await t.kw.database.db
      .selectFrom('machines')
      .select('fingerprint')
      .where('license_id', '=', f.licenseId)
      .execute();
    expect(machines).toHaveLength(5);

    const validation = await fetch(`${servers[0]!.url}/v1/licenses/validate-key`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: f.key, scope: { fingerprint: machines[0]!.fingerprint } }),
    });
    expect(await validation.json()).toMatchObject({ valid: true, code: 'VALID', license: { machineCount: 5 } });
  });

  it('shares rate limits between processes: exactly 150 of 160 validations of one key pass', async () => {
    const f = await createLicense(t);
    const statuses = await Promise.all(
      Array.from({ length: 160 }, async (_, i) => {
        const res = await fetch(`${servers[i % servers.length]!.url}/v1/licenses/validate-key`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key: f.key }),
        });
        await res.arrayBuffer();
        return res.status;
      }),
    );
    expect(statuses.filter((s) => s === 200)).toHaveLength(150);
    expect(statuses.filter((s) => s === 429)).toHaveLength(10);
  });
});
