/** autocannon against 127.0.0.1 only: a warm-up run (discarded), then a fixed-duration measured run. */
import autocannon from 'autocannon';

function run(opts) {
  return new Promise((resolve, reject) => {
    autocannon(opts, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/**
 * `request` is either a plain {method, path, body, headers} or has `next()` giving a fresh body per request
 * (set up with autocannon's setupRequest). Returns req/s (mean of the per-second samples), latency percentiles
 * (ms) and error counts.
 */
export async function measure(port, request, { connections, duration, warmup }) {
  if (!Number.isInteger(port) || port <= 0) throw new Error(`bad port ${port}`);
  const base = {
    url: `http://127.0.0.1:${port}`,
    connections,
    pipelining: 1,
    timeout: 10,
    headers: { 'content-type': 'application/json', ...(request.headers ?? {}) },
  };
  const requests = [
    request.next
      ? {
          method: request.method,
          path: request.path,
          setupRequest: (req) => ({ ...req, body: request.next() }),
        }
      : { method: request.method, path: request.path, body: request.body },
  ];
  if (warmup > 0) await run({ ...base, duration: warmup, requests });
  const r = await run({ ...base, duration, requests });
  const statuses = {};
  for (const [k, v] of Object.entries(r.statusCodeStats ?? {})) statuses[k] = v.count;
  return {
    rps: Math.round(r.requests.average),
    total: r.requests.total,
    durationSeconds: r.duration,
    latencyMs: {
      mean: r.latency.mean,
      p50: r.latency.p50,
      p90: r.latency.p90,
      p99: r.latency.p99,
      max: r.latency.max,
    },
    errors: r.errors,
    timeouts: r.timeouts,
    non2xx: r.non2xx,
    statuses,
  };
}
