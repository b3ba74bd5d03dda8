import { createTestDatabase, TEST_SECRET, type TestDatabase } from '../../test/harness.ts';
import { buildApp, type Keyward } from '../app.ts';
import { type Clock, ManualClock } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import type { OpenedApp } from './context.ts';
import { memoryIo } from './io.ts';
import { run } from './main.ts';

/** A test database with one app on it, and the CLI run in-process against that app (nothing is closed per run). */
export interface CliKit {
  kw: Keyward;
  clock: ManualClock;
  testDb: TestDatabase;
  cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }>;
  close(): Promise<void>;
}

export async function startCliKit(): Promise<CliKit> {
  const clock = new ManualClock();
  const testDb = await createTestDatabase();
  const config = loadConfig(
    { LOG_LEVEL: 'silent', KEYWARD_SEED_DEMO: 'false', KEYWARD_SECRET: TEST_SECRET },
    { database: testDb.config },
  );
  const kw = await buildApp(config, { clock: clock as Clock, database: testDb.database });
  const opened: OpenedApp = { kw, migrations: { applied: [], alreadyApplied: 1 }, release: async () => {} };
  return {
    kw,
    clock,
    testDb,
    async cli(args) {
      const io = memoryIo();
      const code = await run(args, { io, env: { LOG_LEVEL: 'silent' }, open: async () => opened });
      return { code, stdout: io.stdout(), stderr: io.stderr() };
    },
    async close() {
      await kw.close();
      await testDb.drop();
    },
  };
}
