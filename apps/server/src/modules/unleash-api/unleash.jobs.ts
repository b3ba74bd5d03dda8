import { DAY_MS } from '../../platform/clock.ts';
import type { Job } from '../../platform/jobs/job.ts';
import { deleteClientsSeenBefore, deleteMetricsBefore } from './retention.repository.ts';

/**
 * Flag metrics and SDK instances reported through the Unleash client API are kept `days` days
 * (KEYWARD_FLAG_METRICS_RETENTION_DAYS, default 90); older ones are deleted daily.
 */
export function flagMetricsRetentionJob(days: number): Job {
  return {
    name: 'flag-metrics.retention',
    description: `Deletes flag metrics and SDK instances older than ${days} days`,
    everyMs: DAY_MS,
    run: async ({ db, now }) => {
      const before = new Date(now.getTime() - days * DAY_MS);
      return { metricHours: await deleteMetricsBefore(db, before), clients: await deleteClientsSeenBefore(db, before) };
    },
  };
}
