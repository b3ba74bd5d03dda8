import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_PG_URL, type TestApp } from '../../../test/harness.ts';
import { type ServerProcess, startServerProcess, stopServerProcess } from '../../../test/support/server-process.ts';
import { ManualClock } from '../../platform/clock.ts';
import { FREE_FAILURES } from './sign-in-throttle.ts';
import { createUser, PASSWORD } from './test-session.ts';

// Needs a PostgreSQL server: run by `scripts/with-postgres.sh npm run test:db` (project server-pg).
if (!TEST_PG_URL)
  throw new Error('sign-in-throttle.pg.test.ts needs KEYWARD_TEST_DATABASE_URL (scripts/with-postgres.sh)');

describe('sign-in throttling across two server processes on one PostgreSQL', () => {
  let t: TestApp;
  const servers: ServerProcess[] = [];
  beforeAll(async () => {
    // The child processes use the system clock.
    t = await startTestApp({ clock: new ManualClock(new Date()) });
    if (t.testDb.config.kind !== 'postgres') throw new Error('expected a PostgreSQL test database');
    const env = { KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP: '1000' };
    servers.push(
      ...(await Promise.all([
        startServerProcess(t.testDb.config.url, env),
        startServerProcess(t.testDb.config.url, env),
      ])),
    );
  });
  afterAll(async () => {
    await Promise.all(servers.map(stopServerProcess));
    await t?.close();
  });

  const signIn = (server: ServerProcess, email: string, password: string) =>
    fetch(`${server.url}/v1/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });

  it('counts concurrent guesses on both processes together: exactly 5 are checked, the rest refused', async () => {
    const user = await createUser(t, 'admin');
    const results = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const res = await signIn(servers[i % 2]!, user.email, `guess ${i}`);
        return res.status;
      }),
    );
    expect(results.filter((s) => s === 401)).toHaveLength(FREE_FAILURES);
    expect(results.filter((s) => s === 429)).toHaveLength(16 - FREE_FAILURES);
    for (const server of servers) {
      const refused = await signIn(server, user.email, PASSWORD);
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    }
    const failed = await t.kw.database.db
      .selectFrom('audit_events')
      .select('action')
      .where('target_id', '=', user.id)
      .where('action', '=', 'user.sign_in_failed')
      .execute();
    expect(failed).toHaveLength(FREE_FAILURES);
  });
});
