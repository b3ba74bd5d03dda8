/** Summarises V8 .cpuprofile files (node --cpu-prof): self time per function and per area of the code. */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

function area(url, fn) {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  if (url.includes('/pglite/') || url.startsWith('wasm://')) return 'pglite';
  if (url.includes('/node_modules/pg') || url.includes('/pg-protocol/') || url.includes('/pg-pool/'))
    return 'pg driver';
  if (url.includes('/kysely/')) return 'kysely';
  if (
    url.includes('/fastify') ||
    url.includes('/find-my-way/') ||
    url.includes('/avvio/') ||
    url.includes('/light-my-request/')
  )
    return 'fastify';
  if (url.includes('/ajv') || url.includes('fast-json-stringify')) return 'validation/serialisation';
  if (url.includes('/pino')) return 'pino';
  if (url.includes('/prom-client/')) return 'prom-client';
  if (url.includes('/tsx/')) return 'tsx';
  if (url.includes('/apps/server/src/')) return `server: ${url.split('/apps/server/src/')[1]}`;
  if (url.startsWith('node:')) return 'node core';
  if (url.includes('/node_modules/')) return `dep: ${url.split('/node_modules/').pop().split('/')[0]}`;
  return 'other';
}

/** Busy (non-idle) time of a profile: the server's main thread is the busiest (tsx's loader thread idles). */
function busyUs(prof) {
  const idle = new Set(prof.nodes.filter((n) => n.callFrame.functionName === '(idle)').map((n) => n.id));
  return prof.samples.reduce((sum, id, i) => sum + (idle.has(id) ? 0 : (prof.timeDeltas[i] ?? 0)), 0);
}

/** Summarises the busiest profile (the main thread) in `dir`. */
export function summariseProfiles(dir, top = 25) {
  const all = readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'));
  const busiest = all
    .map((f) => ({ f, us: busyUs(JSON.parse(readFileSync(path.join(dir, f), 'utf8'))) }))
    .sort((a, b) => b.us - a.us)[0];
  const files = busiest ? [busiest.f] : [];
  const byFn = new Map();
  const byArea = new Map();
  let totalUs = 0;
  for (const file of files) {
    const prof = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    const nodes = new Map(prof.nodes.map((n) => [n.id, n]));
    const selfUs = new Map();
    prof.samples.forEach((id, i) => {
      selfUs.set(id, (selfUs.get(id) ?? 0) + (prof.timeDeltas[i] ?? 0));
    });
    for (const [id, us] of selfUs) {
      const { callFrame: cf } = nodes.get(id);
      const fn = cf.functionName || '(anonymous)';
      const where = cf.url
        ? `${cf.url.replace(/^file:\/\//, '').replace(/.*\/(node_modules|apps|packages)\//, '$1/')}:${cf.lineNumber + 1}`
        : '';
      const key = `${fn} ${where}`;
      byFn.set(key, (byFn.get(key) ?? 0) + us);
      const a = area(cf.url, fn);
      byArea.set(
        a.startsWith('server: ') ? 'server code' : a,
        (byArea.get(a.startsWith('server: ') ? 'server code' : a) ?? 0) + us,
      );
      totalUs += us;
    }
  }
  const rank = (m) =>
    [...m.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, us]) => ({ name, ms: Math.round(us / 1000), pct: Math.round((us / totalUs) * 1000) / 10 }));
  return { file: files[0] ?? null, totalMs: Math.round(totalUs / 1000), topFunctions: rank(byFn), areas: rank(byArea) };
}
