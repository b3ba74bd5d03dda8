/**
 * The rate limiter's upsert on its own (apps/server/src/platform/http/rate-limit.ts), 50 concurrent clients over a
 * pool of 10, 4 s each: one hot row (every request from one IP) vs 3,000 rows, synchronous_commit on vs off.
 * `scripts/with-postgres.sh node bench/support/limiter-hot-row.mjs` (uses PG_URL; a scratch table, dropped after).
 */
import pg from 'pg';

const url = process.env.KEYWARD_BENCH_PG_URL || process.env.PG_URL;
if (!url) throw new Error('set PG_URL (or run through scripts/with-postgres.sh)');
const table = `bench_rl_${Date.now()}`;
const admin = new pg.Client({ connectionString: url });
await admin.connect();
await admin.query(
  `CREATE TABLE ${table} (bucket text, window_start timestamptz, hits int, PRIMARY KEY (bucket, window_start))`,
);
try {
  for (const [rows, sync] of [
    [1, 'on'],
    [1, 'off'],
    [3000, 'on'],
    [3000, 'off'],
  ]) {
    const pool = new pg.Pool({ connectionString: url, max: 10, options: `-c synchronous_commit=${sync}` });
    const windowStart = new Date(Math.floor(Date.now() / 60_000) * 60_000);
    const end = Date.now() + 4000;
    let n = 0;
    await Promise.all(
      Array.from({ length: 50 }, async (_, c) => {
        while (Date.now() < end) {
          const bucket = rows === 1 ? 'ip:127.0.0.1' : `key:${(n * 7 + c) % rows}`;
          await pool.query(
            `INSERT INTO ${table} VALUES ($1, $2, 1) ON CONFLICT (bucket, window_start)
             DO UPDATE SET hits = ${table}.hits + 1 RETURNING hits`,
            [bucket, windowStart],
          );
          n++;
        }
      }),
    );
    await pool.end();
    console.log(
      `${String(rows).padStart(4)} row(s), synchronous_commit=${sync.padEnd(3)}: ${Math.round(n / 4)} upserts/s`,
    );
  }
} finally {
  await admin.query(`DROP TABLE ${table}`);
  await admin.end();
}
