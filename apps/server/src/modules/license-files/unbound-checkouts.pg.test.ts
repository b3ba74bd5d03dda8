import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PG_URL, type TestApp } from '../../../test/harness.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../../test/support/server-process.ts';
import { ManualClock } from '../../platform/clock.ts';
import { createLicense, NO_RATE_LIMIT } from '../client/test-fixtures.ts';

// Needs a PostgreSQL server: run by `scripts/with-postgres.sh npm run test:db` (project server-pg).
if (!TEST_PG_URL) throw new Error('unbound-checkouts.pg.test.ts needs KEYWARD_TEST_DATABASE_URL');

const startServer = (url: string) =>
  startServerProcess(url, { KEYWARD_RATE_LIMIT_PER_KEY: '150', KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '86400' });

describe("the plan's limit of fingerprint-less license files across two server processes on one PostgreSQL", () => {
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

  it('lets exactly 4 of 40 concurrent check-outs by key through on a limit of 4', async () => {
    const f = await createLicense(t, { plan: { max_unbound_files: 4 } });
    const results = await Promise.all(
      Array.from({ length: 40 }, async (_, i) => {
        const server = servers[i % servers.length]!;
        const res = await fetch(`${server.url}/v1/licenses/check-out`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ key: f.key, ttlSeconds: 3_600, nonce: `n-${i}` }),
        });
        const body = (await res.json()) as { error?: { code: string } };
        return { status: res.status, code: body.error?.code ?? null };
      }),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(4);
    expect(results.filter((r) => r.status === 409 && r.code === 'TOO_MANY_UNBOUND_FILES')).toHaveLength(36);
    const rows = await t.kw.database.db
      .selectFrom('unbound_checkouts')
      .select('id')
      .where('license_id', '=', f.licenseId)
      .execute();
    expect(rows).toHaveLength(4);
    const audited = await t.kw.database.db
      .selectFrom('audit_events')
      .select('id')
      .where('license_id', '=', f.licenseId)
      .where('action', '=', 'license.checked_out')
      .execute();
    expect(audited).toHaveLength(4); // a refused check-out leaves no audit event
  });
});
