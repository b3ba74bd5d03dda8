import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client';

/** Prometheus metrics for one app instance (a registry per app, so tests never share counters). */
export class Metrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: 'keyward_http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });
  readonly latency = new Histogram({
    name: 'keyward_http_request_duration_seconds',
    help: 'HTTP request latency by method and route',
    labelNames: ['method', 'route'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly validations = new Counter({
    name: 'keyward_license_validations_total',
    help: 'License key validations by result code',
    labelNames: ['code', 'valid'] as const,
    registers: [this.registry],
  });
  readonly activations = new Counter({
    name: 'keyward_machine_activations_total',
    help: 'Machine activation attempts by result',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly jobRuns = new Counter({
    name: 'keyward_job_runs_total',
    help: 'Housekeeping job runs by job and outcome (succeeded, failed), on this process',
    labelNames: ['job', 'status'] as const,
    registers: [this.registry],
  });

  constructor(collectProcessMetrics = false) {
    if (collectProcessMetrics) collectDefaultMetrics({ register: this.registry, prefix: 'keyward_' });
  }
}
