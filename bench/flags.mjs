#!/usr/bin/env node
/**
 * Flag evaluation benchmark: Keyward's FlagEngine (@keyward/sdk/flags) against the unleash-client Node SDK on the
 * same definitions and contexts, in one process and one run (interleaved rounds, medians). unleash-client is measured
 * twice: through its public API (`new Unleash({bootstrap})`, refreshInterval 0 = no network, metrics disabled) and
 * through its internal evaluator (`UnleashClient` over an in-memory repository: no context merge, no metrics call).
 *
 *   node bench/flags.mjs [--quick] [--round-ms=N] [--rounds=N] [--json]
 *   npm run bench -- --flags-only          (the same, through bench/run.mjs)
 *
 * Scenarios (bench/lib/flag-data.mjs): every client-specification case; 50 realistic flags × 200 license contexts;
 * an `accountId IN` list of 10 vs 1,000 ids. Targets: FlagEngine ≥ 2× faster than unleash-client; the 1,000-id list
 * within 20 % of the 10-id list. --json prints the results as one JSON line on stdout (the table goes to stderr).
 */
import { createRequire } from 'node:module';
import { register } from 'tsx/esm/api';
import { listSet, realisticSet, specSuites } from './lib/flag-data.mjs';
import { flagVerdicts, printFlags } from './lib/flags-report.mjs';
import { loadAverage, machineInfo } from './lib/machine.mjs';

register();
const { FlagEngine, applyDelta, withToggles } = await import('../packages/sdk/src/flags/index.ts');
const require = createRequire(import.meta.url);
const { Unleash, InMemStorageProvider } = require('unleash-client');
const UnleashClient = require('unleash-client/lib/client').default;
const { defaultStrategies } = require('unleash-client/lib/strategy');

const ENGINES = ['ours', 'unleash', 'core'];

async function unleashFor(state, appName) {
  const u = new Unleash({
    appName,
    url: 'http://127.0.0.1:9/api/',
    refreshInterval: 0,
    disableMetrics: true,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: state.features, segments: state.segments },
  });
  u.on('error', () => {});
  u.on('warn', () => {});
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`unleash-client (${appName}) not ready after 5 s`)), 5000);
    u.once('ready', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  return u;
}

function coreFor(state) {
  const features = new Map(state.features.map((f) => [f.name, f]));
  const segments = new Map((state.segments ?? []).map((s) => [s.id, s]));
  return new UnleashClient(
    { getToggle: (n) => features.get(n), getSegment: (id) => segments.get(id) },
    defaultStrategies,
  );
}

async function enginesFor(state, appName) {
  return { ours: new FlagEngine(state), unleash: await unleashFor(state, appName), core: coreFor(state) };
}

const fallback = () => false;

/**
 * A fresh loop (own source, so its own type feedback) per scenario, engine and method: each call site sees one
 * receiver class and one scenario's data, for every engine alike.
 */
function makeLoop(engine, method) {
  const isEnabled =
    engine === 'core' ? 'p.e.core.isEnabled(p.name, p.ctx, fallback)' : `p.e.${engine}.isEnabled(p.name, p.ctx)`;
  const getVariant = `p.e.${engine}.getVariant(p.name, p.ctx).enabled`;
  const call = {
    isEnabled,
    getVariant,
    evaluate: `p.e.${engine}.evaluate(p.name, p.ctx).enabled`,
    spec: `(p.variant ? ${getVariant} : ${isEnabled})`,
  }[method];
  const body = `return function loop(ps) {
    let n = 0;
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i];
      if (${call}) n++;
    }
    return n;
  };`;
  return new Function('fallback', body)(fallback);
}

function timeLoop(fn, pairs, ms) {
  let ops = 0;
  let sink = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    sink += fn(pairs);
    ops += pairs.length;
    now = performance.now();
  }
  return { usPerOp: ((now - start) * 1000) / ops, sink };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/**
 * Interleaved rounds: in each round every (scenario, engine) runs once, in alternating order, so they share the
 * machine's conditions. Per scenario and engine: median µs/op; per round the ratio to FlagEngine, and its median.
 */
function measureAll(scenarios, engines, { roundMs, rounds }) {
  const runs = scenarios.flatMap((sc, i) =>
    (sc.engines ?? engines).map((e) => ({ i, e, fn: makeLoop(e, sc.method), pairs: sc.pairs })),
  );
  const samples = runs.map(() => []);
  for (const r of runs) timeLoop(r.fn, r.pairs, roundMs / 2); // warm-up
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? runs.map((_, k) => k) : runs.map((_, k) => runs.length - 1 - k);
    for (const k of order) samples[k].push(timeLoop(runs[k].fn, runs[k].pairs, roundMs).usPerOp);
  }
  return scenarios.map((_, i) => {
    const out = {};
    const mine = samples[runs.findIndex((r) => r.i === i && r.e === 'ours')];
    for (const [k, r] of runs.entries()) {
      if (r.i !== i) continue;
      out[r.e] = { usPerOp: median(samples[k]), rounds: samples[k] };
      if (r.e !== 'ours') out[r.e].ratio = median(samples[k].map((x, j) => x / mine[j]));
    }
    return out;
  });
}

function agreement(pairs) {
  let cases = 0;
  let mismatches = 0;
  for (const p of pairs) {
    cases++;
    const a = p.e.ours.getVariant(p.name, p.ctx);
    const b = p.e.core.getVariant(p.name, p.ctx);
    const sameOn = p.e.ours.isEnabled(p.name, p.ctx) === p.e.core.isEnabled(p.name, p.ctx, fallback);
    if (!sameOn || a.name !== b.name || a.featureEnabled !== b.feature_enabled) mismatches++;
  }
  return { cases, mismatches };
}

export async function flagsBench({ quick = false, roundMs, rounds } = {}) {
  const settings = { roundMs: roundMs ?? (quick ? 60 : 400), rounds: rounds ?? (quick ? 3 : 7) };
  const results = {
    startedAt: new Date().toISOString(),
    machine: machineInfo(),
    loadAverageAtStart: loadAverage(),
    settings,
    versions: {
      unleashClient: require('unleash-client/package.json').version,
      clientSpecification: require('@unleash/client-specification/package.json').version,
    },
    scenarios: {},
  };
  const log = (m) => process.stderr.write(`bench flags: ${m}\n`);

  log('client specification');
  const specPairs = [];
  for (const suite of specSuites(applyDelta)) {
    const e = await enginesFor(suite.state, `spec-${suite.file}`);
    for (const c of suite.cases) specPairs.push({ e, name: c.name, ctx: c.context, variant: c.variant });
  }
  const [spec] = measureAll([{ pairs: specPairs, method: 'spec' }], ENGINES, settings);
  results.scenarios.spec = { cases: specPairs.length, spec };

  log('realistic: 50 flags × 200 contexts');
  const real = realisticSet(withToggles);
  const realE = await enginesFor(real, 'realistic');
  const realPairs = real.contexts.flatMap((ctx) => real.features.map((f) => ({ e: realE, name: f.name, ctx })));
  const [isEnabled, getVariant, evaluate] = measureAll(
    [
      { pairs: realPairs, method: 'isEnabled' },
      { pairs: realPairs, method: 'getVariant' },
      { pairs: realPairs, method: 'evaluate', engines: ['ours'] },
    ],
    ENGINES,
    settings,
  );
  results.scenarios.realistic = {
    flags: real.features.length,
    contexts: real.contexts.length,
    agreement: agreement(realPairs),
    isEnabled,
    getVariant,
    evaluate,
  };
  // Cold: a new engine per bundle (as a server request might), compiling and evaluating all 50 flags once.
  const cold = (ms) => {
    const start = performance.now();
    const times = [];
    let n = 0;
    while (performance.now() - start < ms) {
      const t = performance.now();
      const engine = new FlagEngine(real);
      const ctx = real.contexts[times.length % real.contexts.length];
      for (const f of real.features) if (engine.evaluate(f.name, ctx).enabled) n++;
      times.push(performance.now() - t);
    }
    return { medianUs: median(times) * 1000, bundles: times.length, n };
  };
  cold(settings.roundMs * 2); // warm-up (the JIT)
  results.scenarios.realistic.coldBundleUs = cold(settings.roundMs * 2).medianUs;

  log('per-customer list: accountId IN 10 vs 1,000 ids');
  const lists = listSet();
  const listE = await enginesFor({ features: lists.features, segments: [] }, 'lists');
  const p10 = lists.contexts10.map((ctx) => ({ e: listE, name: 'list-10', ctx }));
  const p1000 = lists.contexts1000.map((ctx) => ({ e: listE, name: 'list-1000', ctx }));
  const listRuns = [
    { pairs: p10, method: 'isEnabled' },
    { pairs: p1000, method: 'isEnabled' },
  ];
  [results.scenarios.list10, results.scenarios.list1000] = measureAll(listRuns, ENGINES, settings);
  // The 1,000 / 10 ratio per round (both lists run back to back in every round), per engine.
  results.scenarios.listRatio = Object.fromEntries(
    ENGINES.map((e) => {
      const a = results.scenarios.list1000[e].rounds;
      const b = results.scenarios.list10[e].rounds;
      return [e, median(a.map((x, j) => x / b[j]))];
    }),
  );

  results.loadAverageAtEnd = loadAverage();
  results.finishedAt = new Date().toISOString();
  results.verdicts = flagVerdicts(results);
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = new Map(
    process.argv.slice(2).map((a) => {
      const [k, v] = a.replace(/^--/, '').split('=');
      return [k, v ?? 'true'];
    }),
  );
  const results = await flagsBench({
    quick: args.has('quick'),
    roundMs: args.has('round-ms') ? Number(args.get('round-ms')) : undefined,
    rounds: args.has('rounds') ? Number(args.get('rounds')) : undefined,
  });
  if (args.has('json')) {
    printFlags(results, (t) => process.stderr.write(t));
    process.stdout.write(`${JSON.stringify(results)}\n`);
  } else {
    printFlags(results);
  }
  process.exit(0);
}
