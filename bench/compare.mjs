#!/usr/bin/env node
/**
 * A/B benchmark of the client API hot paths: the server of another checkout ("before", e.g. the previous commit
 * extracted with `git archive`) against this one ("after"), both running AT THE SAME TIME on ONE PostgreSQL
 * database, measured in alternating rounds with a hello-world Fastify between them — so load from other processes
 * on the machine hits both alike. Figures: per scenario the median req/s of each side, the median of the per-round
 * after/before ratios, and both sides' ratio to hello-world (docs/performance.md, "A/B runs").
 *
 *   git archive <commit> | tar -x -C /tmp/kw-base && ln -s "$PWD/node_modules" /tmp/kw-base/node_modules
 *   ln -s "$PWD/apps/server/node_modules" /tmp/kw-base/apps/server/node_modules
 *   scripts/with-postgres.sh node bench/compare.mjs --base=/tmp/kw-base [--rounds=3] [--duration=5] [--quick]
 *
 * Needs PG_URL (scripts/with-postgres.sh sets it); a keyward_bench_<time> database is created and dropped.
 * Writes bench/results/compare-<time>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pgLib from 'pg';
import { measure } from './lib/load.mjs';
import { loadAverage, machineInfo } from './lib/machine.mjs';
import { killAllChildren, startChild, stopChild } from './lib/proc.mjs';
import { adminClient, seed, validateMix } from './lib/seed.mjs';
import { seedUsage } from './lib/usage.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const quick = args.has('quick');
const base = args.get('base');
if (!base) throw new Error('--base=<checkout of the "before" code> is required');
const pgUrl = process.env.PG_URL || process.env.KEYWARD_BENCH_PG_URL;
if (!pgUrl) throw new Error('PG_URL is required (run through scripts/with-postgres.sh)');
const rounds = Number(args.get('rounds') ?? (quick ? 1 : 3));
const cannon = {
  connections: Number(args.get('connections') ?? 50),
  duration: Number(args.get('duration') ?? (quick ? 2 : 5)),
  warmup: Number(args.get('warmup') ?? (quick ? 1 : 2)),
};
const licenses = Number(args.get('licenses') ?? (quick ? 300 : 3000));
const only = args.get('only')?.split(',');
const log = (msg) => process.stderr.write(`compare: ${msg}\n`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const token = `kw_bench_${'x'.repeat(32)}`;
const name = `keyward_bench_${Date.now()}`;
const admin = new pgLib.Client({ connectionString: pgUrl });
await admin.connect();
await admin.query(`CREATE DATABASE ${name}`);
await admin.end();
const dbUrl = new URL(pgUrl);
dbUrl.pathname = `/${name}`;
const env = {
  KEYWARD_BOOTSTRAP_TOKEN: token,
  KEYWARD_SEED_DEMO: 'false',
  LOG_LEVEL: 'silent',
  KEYWARD_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
  PORT: '0',
  HOST: '127.0.0.1',
  NODE_ENV: 'production',
  DATABASE_URL: dbUrl.toString(),
  KEYWARD_RATE_LIMIT_PER_IP: '10000000',
  KEYWARD_RATE_LIMIT_PER_KEY: '10000000',
  KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '60',
};
const serverArgs = (dir) => ['--import', 'tsx', path.join(dir, 'apps/server/test/support/serve.ts')];
const results = {
  startedAt: new Date().toISOString(),
  machine: machineInfo(),
  loadAverageAtStart: loadAverage(),
  settings: { rounds, ...cannon, licenses, base },
  scenarios: {},
};
const stamp = results.startedAt.replace(/[:.]/g, '-');
const children = [];
try {
  // "after" first: it migrates the database (the same migrations); "before" then finds them applied.
  const after = await startChild('after', serverArgs(root), { env, cwd: root });
  const before = await startChild('before', serverArgs(base), { env, cwd: base });
  const hello = await startChild('hello', [path.join(root, 'bench/support/hello.mjs')], { cwd: root });
  children.push(after, before, hello);
  const api = adminClient(after.port, token);
  log(`seeding ${licenses} licenses`);
  const data = await seed(api, {
    licenses,
    suspended: Math.round(licenses * 0.05),
    machines: Math.round(licenses * 0.1),
  });
  const usage = await seedUsage(api, { licenses: Math.min(licenses, 1000) });
  const mix = validateMix(data);
  const cycle = (list) => {
    let i = 0;
    return () => list[i++ % list.length];
  };
  let fp = 0;
  const scenarios = {
    validate: () => ({ method: 'POST', path: '/v1/licenses/validate-key', next: cycle(mix) }),
    activate: () => {
      const key = cycle(data.active.map((l) => l.key));
      return {
        method: 'POST',
        path: '/v1/machines/activate',
        next: () => JSON.stringify({ key: key(), fingerprint: `ab-${stamp}-${fp++}`, hostname: 'bench' }),
      };
    },
    usage: () => {
      const bodies = usage.spread.map((l) => JSON.stringify({ key: l.key, property: 'api_calls' }));
      return { method: 'POST', path: '/v1/client/usage', next: cycle(bodies) };
    },
  };
  for (const [scenario, request] of Object.entries(scenarios)) {
    if (only && !only.includes(scenario)) continue;
    const r = { hello: [], before: [], after: [], ratio: [], non2xx: { before: 0, after: 0 } };
    for (let round = 0; round < rounds; round++) {
      // Alternate which side goes first, so a load drift within a round does not favour one.
      const order = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      log(`${scenario}: round ${round + 1}/${rounds}`);
      r.hello.push((await measure(hello.port, { method: 'GET', path: '/' }, cannon)).rps);
      const got = {};
      for (const side of order) {
        const m = await measure((side === 'before' ? before : after).port, request(), cannon);
        got[side] = m;
        r[side].push(m.rps);
        r.non2xx[side] += m.non2xx;
        r[`${side}Latency`] = [...(r[`${side}Latency`] ?? []), m.latencyMs];
      }
      r.ratio.push(got.after.rps / got.before.rps);
    }
    const h = median(r.hello);
    r.summary = {
      helloRps: h,
      beforeRps: median(r.before),
      afterRps: median(r.after),
      afterOverBefore: Math.round(median(r.ratio) * 100) / 100,
      beforeXHello: Math.round((median(r.before) / h) * 1000) / 1000,
      afterXHello: Math.round((median(r.after) / h) * 1000) / 1000,
      beforeP99: median(r.beforeLatency.map((l) => l.p99)),
      afterP99: median(r.afterLatency.map((l) => l.p99)),
    };
    results.scenarios[scenario] = r;
  }
} finally {
  for (const c of children) await stopChild(c).catch(() => undefined);
  killAllChildren();
  const c = new pgLib.Client({ connectionString: pgUrl });
  await c.connect();
  await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
  await c.end();
}
results.loadAverageAtEnd = loadAverage();
results.finishedAt = new Date().toISOString();
const dir = path.join(root, 'bench/results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `compare-${stamp}.json`);
writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
console.log(`load average: start ${results.loadAverageAtStart.join(' ')}, end ${results.loadAverageAtEnd.join(' ')}`);
console.log('scenario   hello/s  before/s  after/s  after÷before  before×hello  after×hello  p99 before/after ms');
for (const [k, { summary: s }] of Object.entries(results.scenarios)) {
  console.log(
    `${k.padEnd(10)} ${String(s.helloRps).padStart(7)} ${String(s.beforeRps).padStart(9)} ${String(s.afterRps).padStart(8)} ` +
      `${String(s.afterOverBefore).padStart(13)} ${String(s.beforeXHello).padStart(13)} ${String(s.afterXHello).padStart(12)}  ${s.beforeP99}/${s.afterP99}`,
  );
}
log(`results: ${path.relative(root, file)}`);
