/** What the figures were taken on. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

const readOr = (file, fallback = '') => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
};

export function loadAverage() {
  const [one, five, fifteen] = readOr('/proc/loadavg', '').split(' ').map(Number);
  return one === undefined || Number.isNaN(one) ? os.loadavg() : [one, five, fifteen];
}

export function machineInfo() {
  const cpuModel = /model name\s*:\s*(.+)/.exec(readOr('/proc/cpuinfo'))?.[1]?.trim() ?? os.cpus()[0]?.model ?? '?';
  let nproc = os.availableParallelism?.() ?? os.cpus().length;
  try {
    nproc = Number(execFileSync('nproc', { encoding: 'utf8' }).trim());
  } catch {
    /* keep Node's count */
  }
  return {
    nproc,
    cpuModel,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** Waits until the 1-minute load average is below `threshold` (or `maxMinutes` pass); returns what it saw. */
export async function waitForQuiet(threshold, maxMinutes, log) {
  const deadline = Date.now() + maxMinutes * 60_000;
  for (;;) {
    const load = loadAverage();
    if (load[0] < threshold) return { quiet: true, load };
    if (Date.now() >= deadline) return { quiet: false, load };
    log(`load average ${load.join(' ')} ≥ ${threshold}: waiting a minute…`);
    await new Promise((r) => setTimeout(r, 60_000));
  }
}
