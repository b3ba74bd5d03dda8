import { defineConfig } from 'vitest/config';

// `npm test`: every project that needs no external service (DB suites run on embedded PGlite).
// `npm run test:db`: the DB suites again, plus `*.pg.test.ts` (several processes on one server), against the
// PostgreSQL in KEYWARD_TEST_DATABASE_URL (see scripts/with-postgres.sh and .ci/run).
// `npm run test:browser`: apps/web/test/*.browser.test.ts (Chromium, see apps/web/test/support).
const serverTest = {
  root: 'apps/server',
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...serverTest,
          name: 'server',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/*.pg.test.ts', '**/node_modules/**'],
        },
      },
      {
        test: { ...serverTest, name: 'server-pg', include: ['src/**/*.pg.test.ts', 'test/**/*.pg.test.ts'] },
      },
      {
        test: { name: 'sdk', root: 'packages/sdk', include: ['src/**/*.test.ts'], passWithNoTests: true },
      },
      {
        test: { name: 'web', root: 'apps/web', environment: 'node', include: ['src/**/*.test.ts'] },
      },
      {
        // `npm run test:browser`: the built dashboard (apps/web/dist) in Chromium against a real server process.
        // Heavy: one file at a time, each with its own server and data directory.
        test: {
          name: 'browser',
          root: 'apps/web',
          include: ['test/**/*.browser.test.ts'],
          globalSetup: ['test/support/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          pool: 'forks',
          fileParallelism: false,
          maxWorkers: 1,
        },
      },
    ],
  },
});
