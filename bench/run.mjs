#!/usr/bin/env node
/**
 * `npm run bench` — Keyward's benchmarks, every figure with its baseline measured in the same run (DEVELOPERS.md).
 *
 *  1. validate-key (req/s, p50, p99) against the real server (a child process), vs a hello-world Fastify child
 *  2. machine activation (activations/s), same baseline
 *     — both on PGlite and on PostgreSQL (PG_URL / KEYWARD_BENCH_PG_URL, or a throw-away one started through
 *       scripts/with-postgres.sh when the binaries exist)
 *  3. offline verifyLicenseFile vs raw node:crypto Ed25519 verify of the same bytes
 *  4. usage metering: POST /v1/client/usage increments (spread, idempotent, one hot counter, refused at the limit),
 *     same baseline (bench/lib/usage.mjs)
 *  5. flag evaluation: FlagEngine vs the unleash-client SDK on the same flags and contexts, in one process
 *     (bench/flags.mjs; --flags-only runs just this, without server or PostgreSQL; --no-flags skips it)
 *
 * Options: --quick (short runs to try the script), --duration=S --warmup=S --connections=N --licenses=N,
 * --no-pg, --pg-only, --usage-only (hello-world + usage metering only), --no-usage, --profile (node --cpu-prof on the server children; figures then include the profiler's cost),
 * --wait-quiet[=MINUTES] (wait until the 1-min load average < 1.0 first). Writes bench/results/bench-<time>.json.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { printFlags } from './lib/flags-report.mjs';
import { measure } from './lib/load.mjs';
import { loadAverage, machineInfo, waitForQuiet } from './lib/machine.mjs';
import { killAllChildren, withChild } from './lib/proc.mjs';
import { summariseProfiles } from './lib/profile.mjs';
import { printTable, verdicts } from './lib/report.mjs';
import { adminClient, seed, validateMix } from './lib/seed.mjs';
import { usageScenarios } from './lib/usage.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = new Map(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k, v ?? 'true'];
  }),
);
const quick = args.has('quick');
const settings = {
  connections: Number(args.get('connections') ?? 50),
  duration: Number(args.get('duration') ?? (quick ? 2 : 10)),
  warmup: Number(args.get('warmup') ?? (quick ? 1 : 3)),
  licenses: Number(args.get('licenses') ?? (quick ? 300 : 3000)),
  profile: args.has('profile'),
};
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ── PostgreSQL: given, or a throw-away server around this whole script ───────────────────────────────────────────
const givenPgUrl = process.env.KEYWARD_BENCH_PG_URL || process.env.PG_URL || '';
const pgBinaries = () =>
  (existsSync('/usr/lib/postgresql') &&
    readdirSync('/usr/lib/postgresql').some((v) => existsSync(`/usr/lib/postgresql/${v}/bin/initdb`))) ||
  (process.env.PATH ?? '').split(':').some((d) => d && existsSync(path.join(d, 'initdb')));
if (args.has('flags-only')) {
  await flagsOnly();
} else if (!givenPgUrl && !args.has('no-pg') && !process.env.KEYWARD_BENCH_WRAPPED && pgBinaries()) {
  log('starting a throw-away PostgreSQL (scripts/with-postgres.sh)');
  const child = spawn(
    'bash',
    [path.join(root, 'scripts/with-postgres.sh'), process.execPath, ...process.argv.slice(1)],
    {
      stdio: 'inherit',
      env: { ...process.env, KEYWARD_BENCH_WRAPPED: '1' },
    },
  );
  for (const s of ['SIGINT', 'SIGTERM']) process.on(s, () => child.kill(s));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  await main();
}

async function main() {
  const token = `kw_bench_${'x'.repeat(32)}`;
  const baseEnv = {
    KEYWARD_BOOTSTRAP_TOKEN: token,
    KEYWARD_SEED_DEMO: 'false',
    LOG_LEVEL: 'silent',
    KEYWARD_SECRET: 'bench-secret-bench-secret-bench-secret-0123456789',
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: '',
    NODE_ENV: 'production',
  };
  const highLimits = {
    KEYWARD_RATE_LIMIT_PER_IP: '10000000',
    KEYWARD_RATE_LIMIT_PER_KEY: '10000000',
    KEYWARD_RATE_LIMIT_WINDOW_SECONDS: '60',
  };
  // Every request comes from 127.0.0.1, so the per-IP limit must stay above the request count; the per-key limit
  // keeps its default (120 a minute), above what any one key gets here.
  const defaultishLimits = { ...highLimits, KEYWARD_RATE_LIMIT_PER_KEY: '120' };
  const serve = ['--import', 'tsx', path.join(root, 'apps/server/test/support/serve.ts')];
  const serveNoLimiter = ['--import', 'tsx', path.join(root, 'bench/support/serve-no-limiter.ts')];
  const hello = [path.join(root, 'bench/support/hello.mjs')];

  if (args.has('wait-quiet')) {
    const minutes = Number(args.get('wait-quiet')) || 25;
    const q = await waitForQuiet(1.0, minutes, log);
    log(q.quiet ? `quiet (load ${q.load.join(' ')})` : `still busy after ${minutes} min (load ${q.load.join(' ')})`);
  }

  const resultsDir = path.join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const results = {
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageAtStart: loadAverage(),
    settings,
    backends: {},
    offline: null,
    notes: [],
  };
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'keyward-bench-'));
  let pg = null;
  const onSignal = () => {
    killAllChildren();
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const cannon = { connections: settings.connections, duration: settings.duration, warmup: settings.warmup };
  let files = null;

  /** Server child args, with --cpu-prof into a per-scenario directory when profiling. */
  const profDirs = [];
  const withProf = (argv, name) => {
    if (!settings.profile) return argv;
    const dir = path.join(resultsDir, `profiles-${stamp}`, name);
    mkdirSync(dir, { recursive: true });
    profDirs.push({ name, dir });
    return ['--cpu-prof', `--cpu-prof-dir=${dir}`, ...argv];
  };

  async function runBackend(kind, dbEnv) {
    const r = { scenarios: {} };
    results.backends[kind] = r;
    const helloRun = async (label) => {
      log(`${kind}: hello-world baseline (${label})`);
      return withChild('hello', hello, {}, (h) => {
        r.fastifyVersion = h.info.fastify;
        return measure(h.port, { method: 'GET', path: '/' }, cannon);
      });
    };
    const helloBefore = await helloRun('before');

    // Seed through the admin API, then measure validate-key on that same server (limits far above the load).
    log(`${kind}: seeding ${settings.licenses} licenses through the admin API`);
    const env = { ...baseEnv, ...dbEnv, ...highLimits };
    let mix;
    let data;
    await withChild('server', withProf(serve, `${kind}-validate`), { env }, async (s) => {
      const api = adminClient(s.port, token);
      data = await seed(api, {
        licenses: settings.licenses,
        suspended: Math.round(settings.licenses * 0.05),
        machines: Math.round(settings.licenses * 0.1),
      });
      r.seed = { licenses: settings.licenses, issuePerSecond: Math.round(settings.licenses / data.issueSeconds) };
      mix = validateMix(data);
      // What the mix answers (a sample through the real endpoint).
      const codes = {};
      for (const body of mix.slice(0, 400)) {
        const res = await fetch(`http://127.0.0.1:${s.port}/v1/licenses/validate-key`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        const json = await res.json();
        const code = res.status === 200 ? json.code : `HTTP ${res.status}`;
        codes[code] = (codes[code] ?? 0) + 1;
      }
      r.validateMixSample = codes;
      if (!files) files = await checkOut(api, data.active[0]);
      log(`${kind}: validate-key (limiter on, limits far above the load)`);
      r.scenarios.validate = await measure(s.port, validateRequest(mix), cannon);
    });

    log(`${kind}: validate-key (limiter on, default per-key limit, never tripped)`);
    r.scenarios.validateDefaultLimits = await withChild(
      'server',
      withProf(serve, `${kind}-validate-default-limits`),
      { env: { ...baseEnv, ...dbEnv, ...defaultishLimits } },
      (s) => measure(s.port, validateRequest(mix), cannon),
    );

    log(`${kind}: validate-key (limiter stubbed out — measurement aid only)`);
    r.scenarios.validateNoLimiter = await withChild(
      'server',
      withProf(serveNoLimiter, `${kind}-validate-no-limiter`),
      { env },
      (s) => measure(s.port, validateRequest(mix), cannon),
    );

    log(`${kind}: machine activation`);
    r.scenarios.activate = await withChild('server', withProf(serve, `${kind}-activate`), { env }, (s) =>
      measure(s.port, activateRequest(data.active, `${kind}-${stamp}`), cannon),
    );

    if (!args.has('no-usage')) await runUsage(kind, r, env);

    const helloAfter = await helloRun('after');
    r.hello = { before: helloBefore, after: helloAfter, rps: Math.round((helloBefore.rps + helloAfter.rps) / 2) };
    for (const sc of Object.values(r.scenarios)) sc.ratioToHello = Math.round((sc.rps / r.hello.rps) * 1000) / 1000;
  }

  /** Usage metering on a server of its own (product USAGE), into the backend's scenarios. */
  async function runUsage(kind, r, env) {
    log(`${kind}: usage metering`);
    const usage = await withChild('server', withProf(serve, `${kind}-usage`), { env }, (s) =>
      usageScenarios({
        port: s.port,
        api: adminClient(s.port, token),
        cannon,
        licenses: Math.min(settings.licenses, 1000),
        tag: `${kind}-${stamp}`,
        log: (msg) => log(`${kind}: ${msg}`),
      }),
    );
    Object.assign(r.scenarios, usage.scenarios);
    r.usageChecks = usage.checks;
    if (Object.values(usage.checks).some((v) => v === false)) {
      results.notes.push(`${kind}: usage consistency check failed: ${JSON.stringify(usage.checks)}`);
    }
  }

  /** --usage-only: the hello-world baseline around the usage scenarios, nothing else. */
  async function runUsageBackend(kind, dbEnv) {
    const r = { scenarios: {} };
    results.backends[kind] = r;
    const helloRun = (label) => {
      log(`${kind}: hello-world baseline (${label})`);
      return withChild('hello', hello, {}, (h) => {
        r.fastifyVersion = h.info.fastify;
        return measure(h.port, { method: 'GET', path: '/' }, cannon);
      });
    };
    const before = await helloRun('before');
    await runUsage(kind, r, { ...baseEnv, ...dbEnv, ...highLimits });
    const after = await helloRun('after');
    r.hello = { before, after, rps: Math.round((before.rps + after.rps) / 2) };
    for (const sc of Object.values(r.scenarios)) sc.ratioToHello = Math.round((sc.rps / r.hello.rps) * 1000) / 1000;
  }

  const usageOnly = args.has('usage-only');
  const backend = usageOnly ? runUsageBackend : runBackend;
  try {
    if (!args.has('pg-only')) await backend('pglite', { KEYWARD_DATA_DIR: path.join(tmp, 'pglite-data') });
    const pgUrl = givenPgUrl;
    if (pgUrl && !args.has('no-pg')) {
      pg = await createBenchDatabase(pgUrl);
      results.postgres = { version: pg.version, throwAway: Boolean(process.env.KEYWARD_BENCH_WRAPPED) };
      await backend('postgres', { DATABASE_URL: pg.url });
    } else {
      results.notes.push(
        args.has('no-pg')
          ? 'PostgreSQL not measured (--no-pg)'
          : 'PostgreSQL not measured: no PG_URL / KEYWARD_BENCH_PG_URL and no PostgreSQL binaries',
      );
    }
    if (usageOnly) {
      results.notes.push('--usage-only: validate-key, activation and offline verify not measured');
    } else if (files) {
      log('offline: verifyLicenseFile vs node:crypto Ed25519 verify');
      results.offline = await offlineBench(files, tmp, quick);
    } else {
      results.notes.push('Offline verify not measured: no license file could be checked out');
    }
    if (!args.has('no-flags') && !usageOnly) {
      log('flags: FlagEngine vs unleash-client');
      results.flags = await flagsBench(quick);
    }
  } finally {
    killAllChildren();
    if (pg) await pg.drop().catch((err) => log(`could not drop ${pg.name}: ${err.message}`));
    rmSync(tmp, { recursive: true, force: true });
  }

  results.loadAverageAtEnd = loadAverage();
  results.finishedAt = new Date().toISOString();
  if (settings.profile) {
    results.profiles = Object.fromEntries(profDirs.map(({ name, dir }) => [name, summariseProfiles(dir)]));
  }
  results.verdicts = verdicts(results);
  const file = path.join(resultsDir, `bench-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  printTable(results);
  if (results.flags) printFlags(results.flags);
  log(`results: ${path.relative(root, file)}`);
}

/** bench/flags.mjs in a child process (it loads the SDK's TypeScript through tsx); its JSON line. */
async function flagsBench(isQuick) {
  const argv = [path.join(root, 'bench/flags.mjs'), '--json', ...(isQuick ? ['--quick'] : [])];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c) => {
    out += c;
  });
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`flag bench failed (exit ${code})`);
  return JSON.parse(out.trim().split('\n').pop());
}

/** `--flags-only`: section 5 alone (no server, no PostgreSQL); bench/results/flags-<time>.json. */
async function flagsOnly() {
  if (args.has('wait-quiet')) {
    const minutes = Number(args.get('wait-quiet')) || 25;
    const q = await waitForQuiet(1.0, minutes, log);
    log(q.quiet ? `quiet (load ${q.load.join(' ')})` : `still busy after ${minutes} min (load ${q.load.join(' ')})`);
  }
  log('flags: FlagEngine vs unleash-client');
  const flags = await flagsBench(quick);
  const resultsDir = path.join(root, 'bench/results');
  mkdirSync(resultsDir, { recursive: true });
  const file = path.join(resultsDir, `flags-${flags.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(flags, null, 2)}\n`);
  printFlags(flags);
  log(`results: ${path.relative(root, file)}`);
}

function validateRequest(mix) {
  let i = 0;
  return {
    method: 'POST',
    path: '/v1/licenses/validate-key',
    next: () => mix[i++ % mix.length],
  };
}

/** A new fingerprint on every request, keys spread round-robin over all active licenses (1000 seats each). */
function activateRequest(active, tag) {
  let i = 0;
  return {
    method: 'POST',
    path: '/v1/machines/activate',
    next: () => {
      const n = i++;
      return JSON.stringify({ key: active[n % active.length].key, fingerprint: `${tag}-${n}`, hostname: 'bench' });
    },
  };
}

/** License files from the real server's check-out endpoint (plain and encrypted), and its public keys. */
async function checkOut(api, license) {
  try {
    const plain = (await api.call('POST', `/v1/licenses/${license.id}/actions/check-out`, {})).json;
    const encrypted = (await api.call('POST', `/v1/licenses/${license.id}/actions/check-out`, { encrypt: true })).json;
    const keys = (await api.call('GET', '/v1/keys', undefined, { auth: false })).json;
    return { plain: plain.certificate, encrypted: encrypted.certificate, licenseKey: license.key, keys };
  } catch (err) {
    log(`check-out failed: ${err.message}`);
    return null;
  }
}

async function offlineBench(files, tmp, isQuick) {
  const input = path.join(tmp, 'verify-input.json');
  writeFileSync(input, JSON.stringify({ ...files, seconds: isQuick ? 0.5 : 2, rounds: isQuick ? 3 : 5 }));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'bench/support/verify.ts'), input], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (c) => {
    out += c;
  });
  const code = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`offline verify bench failed (exit ${code})`);
  return JSON.parse(out.trim().split('\n').pop());
}

/** A dedicated database on the given server, dropped afterwards. */
async function createBenchDatabase(url) {
  const { default: pgLib } = await import('pg');
  const admin = new pgLib.Client({ connectionString: url });
  await admin.connect();
  const name = `keyward_bench_${Date.now()}`;
  let version;
  try {
    version = (await admin.query('SHOW server_version')).rows[0].server_version;
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const u = new URL(url);
  u.pathname = `/${name}`;
  return {
    name,
    version,
    url: u.toString(),
    async drop() {
      const c = new pgLib.Client({ connectionString: url });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
