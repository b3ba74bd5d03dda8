import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, startTestApp, TEST_PG_URL, type TestApp } from '../../../test/harness.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createLicense, NO_RATE_LIMIT } from './test-fixtures.ts';

// Needs a PostgreSQL server: run by `scripts/with-postgres.sh npm run test:db` (project server-pg), which sets
// KEYWARD_TEST_DATABASE_URL. `npm test` does not include this project; a run without PostgreSQL fails loudly.
if (!TEST_PG_URL) throw new Error('activation.pg.test.ts needs KEYWARD_TEST_DATABASE_URL (scripts/with-postgres.sh)');

const SERVE = fileURLToPath(new URL('../../../test/support/serve.ts', import.meta.url));

interface Server {
  child: ChildProcess;
  url: string;
}

function startServer(databaseUrl: string): Promise<Server> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '10',
      KEYWARD_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
      KEYWARD_SEED_DEMO: 'false',
      KEYWARD_RATE_LIMIT_PER_IP: '1000000',
      // A day-long window (aligned to UTC midnight) so that real time cannot cross a window during the test.
      KEYWARD_RATE_LIMIT_PER_KEY: '150',
      KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '86400',
      LOG_LEVEL: 'silent',
      HOST: '127.0.0.1',
      PORT: '0',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 30_000);
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${JSON.parse(line).port}` });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

function stopServer(server: Server): Promise<void> {
  if (server.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}

describe('seat limit across two server processes on one PostgreSQL', () => {
  let t: TestApp;
  const servers: Server[] = [];
  beforeAll(async () => {
    // The child processes use the system clock, so the fixtures are dated from real time.
    t = await startTestApp({ clock: new ManualClock(new Date()), configOverrides: NO_RATE_LIMIT });
    if (t.testDb.config.kind !== 'postgres') throw new Error('expected a PostgreSQL test database');
    const url = t.testDb.config.url;
    servers.push(...(await Promise.all([startServer(url), startServer(url)])));
  });
  afterAll(async () => {
    await Promise.all(servers.map(stopServer));
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
