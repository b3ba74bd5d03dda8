import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { createProduct, createToken } from '../client/test-fixtures.ts';
import { createFlag } from '../flags/test-fixtures.ts';

describe(`flag-metrics.retention job (${dbKind})`, () => {
  let t: TestApp;
  let client: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { KEYWARD_FLAG_METRICS_RETENTION_DAYS: '30' } });
    const product = await createProduct(t);
    await createFlag(t, { productId: product.id, key: 'reports' });
    client = await createToken(t, 'client', product.id);
  });
  afterAll(async () => t.close());

  /** An SDK instance registers and reports one evaluation of `reports` at the clock's time. */
  async function report(instanceId: string) {
    const post = (url: string, payload: object) =>
      t.request({ method: 'POST', url, token: null, headers: { authorization: client }, payload });
    const now = t.clock.now().toISOString();
    expect(
      (await post('/api/client/register', { appName: 'billing', instanceId, started: now, interval: 60000 }))
        .statusCode,
    ).toBe(202);
    const bucket = { start: now, stop: now, toggles: { reports: { yes: 1, no: 0 } } };
    expect((await post('/api/client/metrics', { appName: 'billing', instanceId, bucket })).statusCode).toBe(202);
  }
  const rows = async () => ({
    hours: (await t.kw.database.db.selectFrom('flag_metrics').select('hour').orderBy('hour').execute()).map((r) =>
      new Date(r.hour).toISOString(),
    ),
    clients: (await t.kw.database.db.selectFrom('flag_clients').select('instance_id').execute()).map(
      (r) => r.instance_id,
    ),
  });

  it('deletes metric hours and SDK instances older than the retention, keeps the rest', async () => {
    await report('old-instance');
    const oldHour = (await rows()).hours[0];
    t.clock.advanceDays(20);
    await report('recent-instance');
    t.clock.advanceDays(15); // the first report is 35 days old, the second 15

    const outcome = await t.kw.jobs.runNow('flag-metrics.retention');
    expect(outcome).toEqual({
      job: 'flag-metrics.retention',
      status: 'succeeded',
      result: { metricHours: 1, clients: 1 },
    });
    const left = await rows();
    expect(left.hours).toHaveLength(1);
    expect(left.hours[0]).not.toBe(oldHour);
    expect(left.clients).toEqual(['recent-instance']);
  });
});
