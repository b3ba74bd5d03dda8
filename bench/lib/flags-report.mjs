/** The flag-evaluation benchmark's table and verdicts (bench/flags.mjs; also printed by bench/run.mjs). */

export const FLAG_TARGETS = { speedup: 2, listRatio: 1.2 };

/** Rows: [label, method, {ours, unleash, core}] with µs/op. */
export function flagRows(results) {
  const s = results.scenarios;
  return [
    [`client specification (${s.spec.cases} cases)`, 'isEnabled/getVariant', s.spec.spec],
    [`realistic (${s.realistic.flags} flags × ${s.realistic.contexts} contexts)`, 'isEnabled', s.realistic.isEnabled],
    ['', 'getVariant', s.realistic.getVariant],
    ['', 'evaluate (ours only)', s.realistic.evaluate],
    ['accountId IN 10 ids', 'isEnabled', s.list10],
    ['accountId IN 1,000 ids', 'isEnabled', s.list1000],
  ];
}

export function flagVerdicts(results) {
  const s = results.scenarios;
  const compared = [s.spec.spec, s.realistic.isEnabled, s.realistic.getVariant, s.list10, s.list1000];
  const minCore = Math.min(...compared.map((m) => m.core.ratio));
  const minPublic = Math.min(...compared.map((m) => m.unleash.ratio));
  const listRatio = s.listRatio.ours;
  return [
    {
      target: `FlagEngine ≥ ${FLAG_TARGETS.speedup}× faster than unleash-client (every scenario)`,
      met: minCore >= FLAG_TARGETS.speedup && minPublic >= FLAG_TARGETS.speedup,
      measured: `min ${minPublic.toFixed(1)}× vs its public API, min ${minCore.toFixed(1)}× vs its internal evaluator`,
    },
    {
      target: `1,000-id list within ${Math.round((FLAG_TARGETS.listRatio - 1) * 100)} % of the 10-id list`,
      met: listRatio <= FLAG_TARGETS.listRatio,
      measured: `${listRatio.toFixed(2)}× (unleash-client: ${s.listRatio.core.toFixed(1)}×)`,
    },
  ];
}

export function printFlags(results, write = (t) => process.stdout.write(t)) {
  const m = results.machine;
  const f = (n) => (n === undefined ? '—' : n < 1 ? n.toFixed(3) : n.toFixed(2));
  const lines = [
    `Flag evaluation — ${results.startedAt}`,
    `${m.nproc} CPU × ${m.cpuModel}, Node ${m.node}; unleash-client ${results.versions.unleashClient}, ` +
      `client-specification ${results.versions.clientSpecification}; load ${results.loadAverageAtStart.join(' ')} → ` +
      `${results.loadAverageAtEnd.join(' ')}; ${results.settings.rounds} interleaved rounds × ${results.settings.roundMs} ms: ` +
      'median µs/op, median per-round ratio',
    '',
    `${'scenario'.padEnd(44)} ${'method'.padEnd(21)} ${'FlagEngine'.padStart(10)} ${'Unleash'.padStart(9)} ${'UnleashClient'.padStart(13)} ${'×Unleash'.padStart(8)} ${'×Client'.padStart(8)}   (µs/op)`,
  ];
  for (const [label, method, r] of flagRows(results)) {
    const x = (who) => (r[who] ? `${r[who].ratio.toFixed(1)}×` : '');
    lines.push(
      `${label.padEnd(44)} ${method.padEnd(21)} ${f(r.ours.usPerOp).padStart(10)} ${f(r.unleash?.usPerOp).padStart(9)} ${f(r.core?.usPerOp).padStart(13)} ${x('unleash').padStart(8)} ${x('core').padStart(8)}`,
    );
  }
  const real = results.scenarios.realistic;
  lines.push(
    `cold bundle (new FlagEngine + evaluate all ${real.flags} flags once, median): ${f(real.coldBundleUs)} µs`,
  );
  lines.push(
    `agreement with unleash-client on the realistic set: ${real.agreement.mismatches} mismatches in ${real.agreement.cases}`,
  );
  for (const v of results.verdicts) lines.push(`${v.met ? 'MET   ' : 'MISSED'} ${v.target}: ${v.measured}`);
  write(`${lines.join('\n')}\n`);
}
