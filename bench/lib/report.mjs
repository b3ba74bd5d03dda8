/** The console table: every figure next to its same-run baseline and the target. */

const TARGETS = {
  validate: { ratio: 0.4, p99: 10, label: '≥ 0.40× hello, p99 ≤ 10 ms (PostgreSQL)' },
  activate: { rps: 2000, label: '≥ 2000/s (PostgreSQL)' },
  offline: { ratio: 0.9, label: '≥ 0.90× raw verify' },
};

const fmt = (n, digits = 0) => (n === undefined || n === null ? '—' : Number(n).toFixed(digits));
const pad = (s, n) => String(s).padEnd(n);
const lpad = (s, n) => String(s).padStart(n);

export function verdicts(results) {
  const out = [];
  const pg = results.backends.postgres;
  if (pg?.scenarios.validate) {
    const v = pg.scenarios.validate;
    out.push({
      target: `validate-key ${TARGETS.validate.label}`,
      met: v.ratioToHello >= TARGETS.validate.ratio && v.latencyMs.p99 <= TARGETS.validate.p99,
      measured: `${fmt(v.ratioToHello, 2)}×, p99 ${fmt(v.latencyMs.p99)} ms`,
    });
    const a = pg.scenarios.activate;
    out.push({
      target: `activation ${TARGETS.activate.label}`,
      met: a.rps >= TARGETS.activate.rps,
      measured: `${a.rps}/s`,
    });
  }
  if (results.offline) {
    const r = results.offline.medians.sdk / results.offline.medians.raw;
    out.push({
      target: `offline verify ${TARGETS.offline.label}`,
      met: r >= TARGETS.offline.ratio,
      measured: `${fmt(r, 2)}×`,
    });
  }
  return out;
}

export function printTable(results) {
  const lines = [];
  const m = results.machine;
  lines.push(`Keyward bench — ${results.startedAt}`);
  lines.push(
    `${m.nproc} CPU × ${m.cpuModel}, ${m.memoryGiB} GiB, Node ${m.node}` +
      (results.postgres ? `, PostgreSQL ${results.postgres.version}` : ''),
  );
  lines.push(`load average: start ${results.loadAverageAtStart.join(' ')}, end ${results.loadAverageAtEnd.join(' ')}`);
  const s = results.settings;
  lines.push(
    `autocannon: ${s.connections} connections, ${s.warmup} s warm-up + ${s.duration} s measured, ${s.licenses} licenses`,
  );
  lines.push('');
  lines.push(
    `${pad('backend', 9)} ${pad('scenario', 28)} ${lpad('req/s', 8)} ${lpad('p50 ms', 7)} ${lpad('p99 ms', 7)} ${lpad('× hello', 8)} ${lpad('non-2xx', 8)}`,
  );
  for (const [backend, b] of Object.entries(results.backends)) {
    const row = (name, r, ratio) =>
      lines.push(
        `${pad(backend, 9)} ${pad(name, 28)} ${lpad(r.rps, 8)} ${lpad(fmt(r.latencyMs.p50), 7)} ${lpad(fmt(r.latencyMs.p99), 7)} ${lpad(ratio, 8)} ${lpad(r.non2xx + r.errors, 8)}`,
      );
    row('hello-world (before)', b.hello.before, '');
    row('hello-world (after)', b.hello.after, '');
    const names = {
      validate: 'validate-key',
      validateDefaultLimits: 'validate-key, default limits',
      validateNoLimiter: 'validate-key, no limiter*',
      activate: 'activate (new machine)',
      usageSpread: 'usage +1, spread',
      usageIdempotent: 'usage +1, idempotency key',
      usageHot: 'usage +1, one hot counter',
      usageRefused: 'usage, refused at limit',
    };
    for (const [k, label] of Object.entries(names)) {
      const r = b.scenarios[k];
      if (r) row(label, r, `${fmt(r.ratioToHello, 3)}`);
    }
  }
  lines.push('* limiter stubbed in the bench process: shows what the rate limiter costs; not a configuration');
  for (const [backend, b] of Object.entries(results.backends)) {
    if (b.usageChecks) lines.push(`${backend} usage checks: ${JSON.stringify(b.usageChecks)}`);
  }
  if (results.offline) {
    const o = results.offline.medians;
    lines.push('');
    lines.push(
      `offline verify (ops/s, median of ${results.offline.rounds} rounds): raw node:crypto ${o.raw}, ` +
        `WebCrypto ${o.subtle}, SDK plain ${o.sdk} (${fmt(o.sdk / o.raw, 3)}× raw), SDK encrypted ${o.sdkEnc} (${fmt(o.sdkEnc / o.raw, 3)}× raw)`,
    );
  }
  lines.push('');
  for (const v of verdicts(results)) lines.push(`${v.met ? 'MET   ' : 'MISSED'} ${v.target}: ${v.measured}`);
  for (const n of results.notes) lines.push(`note: ${n}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}
