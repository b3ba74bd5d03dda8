import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dbKind, startTestApp, type TestApp } from '../../../test/harness.ts';
import { decide } from '../../platform/auth/permissions.ts';
import { createProduct, createToken } from '../client/test-fixtures.ts';
import type { FlagDto } from '../flags/flags.schemas.ts';
import { createFlag, errorOf } from '../flags/test-fixtures.ts';
import type { FlagClientDto, FlagMetricsDto } from './flag-metrics.schemas.ts';

/**
 * The read side of what Unleash SDKs report: everything ingested through the real /api/client/register and
 * /api/client/metrics with client tokens made through the API, then read back through /v1.
 */
describe(`Flag metrics and connected SDKs: /v1/flags/:id/metrics, /v1/flag-clients (${dbKind})`, () => {
  let t: TestApp;
  let product: { id: string; code: string };
  let other: { id: string; code: string };
  let reports: FlagDto;
  let quiet: FlagDto;
  let client: { id: string; secret: string };
  let otherClient: { id: string; secret: string };

  const unleash = (secret: string, url: string, payload: object) =>
    t.request({ method: 'POST', url, token: null, headers: { authorization: secret }, payload });
  const register = async (secret: string, appName: string, instanceId: string, interval?: number) => {
    const res = await unleash(secret, '/api/client/register', {
      appName,
      instanceId,
      sdkVersion: 'unleash-client-node:6.1.0',
      strategies: ['default', 'flexibleRollout'],
      started: t.clock.now().toISOString(),
      ...(interval === undefined ? {} : { interval }),
    });
    expect(res.statusCode, res.body).toBe(202);
  };
  type Counts = { yes: number; no: number; variants?: Record<string, number> };
  const report = async (secret: string, start: string, toggles: Record<string, Counts>, who = ['billing', 'i-1']) => {
    const bucket = { start, stop: t.clock.now().toISOString(), toggles };
    const [appName, instanceId] = who;
    const res = await unleash(secret, '/api/client/metrics', { appName, instanceId, bucket });
    expect(res.statusCode, res.body).toBe(202);
  };
  const metricsOf = async (flagId: string, query = '', token?: string) => {
    const res = await t.request({
      method: 'GET',
      url: `/v1/flags/${flagId}/metrics${query}`,
      ...(token ? { token } : {}),
    });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as FlagMetricsDto;
  };
  const clientsOf = async (query = '', token?: string) => {
    const res = await t.request({ method: 'GET', url: `/v1/flag-clients${query}`, ...(token ? { token } : {}) });
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { data: FlagClientDto[]; nextCursor: string | null };
  };
  const makeClientToken = async (productId: string, name: string) => {
    const res = await t.request({ method: 'POST', url: '/v1/tokens', payload: { name, role: 'client', productId } });
    expect(res.statusCode, res.body).toBe(201);
    const created = res.json() as { token: { id: string }; secret: string };
    return { id: created.token.id, secret: created.secret };
  };

  beforeAll(async () => {
    t = await startTestApp(); // the clock starts at 2026-01-15T12:00:00Z
    product = await createProduct(t);
    other = await createProduct(t);
    reports = await createFlag(t, { productId: product.id, key: 'reports', enabled: true });
    quiet = await createFlag(t, { productId: product.id, key: 'quiet', enabled: true });
    await createFlag(t, { productId: other.id, key: 'reports', enabled: true });
    client = await makeClientToken(product.id, 'billing backend');
    otherClient = await makeClientToken(other.id, 'other backend');

    // 12:00 — two instances register; i-1 reports twice within the hour (summed), with variants.
    await register(client.secret, 'billing', 'i-1', 10_000);
    await register(client.secret, 'billing', 'i-2');
    t.clock.set('2026-01-15T12:10:00Z');
    await report(client.secret, '2026-01-15T12:05:00Z', {
      reports: { yes: 3, no: 1, variants: { blue: 2, green: 1 } },
    });
    t.clock.set('2026-01-15T12:40:00Z');
    await report(client.secret, '2026-01-15T12:39:00Z', { reports: { yes: 2, no: 0, variants: { blue: 1 } } });
    // Buckets that started earlier count in the hour they started: on the edge of the 24 h window and before it.
    await report(client.secret, '2026-01-14T15:00:00Z', { reports: { yes: 7, no: 0 } });
    await report(client.secret, '2026-01-14T14:59:59Z', { reports: { yes: 0, no: 9 } });
    await report(client.secret, '2026-01-13T10:15:00Z', { reports: { yes: 100, no: 50 } });
    // The other product's flag of the same key: never mixed in.
    await register(otherClient.secret, 'elsewhere', 'x-1', 60_000);
    await report(otherClient.secret, '2026-01-15T12:39:00Z', { reports: { yes: 1000, no: 1000 } }, [
      'elsewhere',
      'x-1',
    ]);
    // 14:20 — one more report (its bucket started in the future: counts now).
    t.clock.set('2026-01-15T14:20:00Z');
    await report(client.secret, '2026-01-15T14:30:00Z', { reports: { yes: 1, no: 4, variants: { green: 1 } } });
  });
  afterAll(async () => t.close());

  it('returns every hour of the window with exact counts, variants, totals and the reported range', async () => {
    const m = await metricsOf(reports.id);
    expect(m).toMatchObject({
      flagId: reports.id,
      flagKey: 'reports',
      productId: product.id,
      hours: 24,
      from: '2026-01-14T15:00:00.000Z',
      to: '2026-01-15T15:00:00.000Z',
      totals: { yes: 7 + 5 + 1, no: 1 + 4, variants: { blue: 3, green: 2 } },
      firstReportedHour: '2026-01-13T10:00:00.000Z',
      lastReportedHour: '2026-01-15T14:00:00.000Z',
    });
    expect(m.buckets).toHaveLength(24);
    expect(m.buckets[0]).toEqual({ hour: '2026-01-14T15:00:00.000Z', yes: 7, no: 0, variants: {} });
    expect(m.buckets.at(-1)).toEqual({ hour: '2026-01-15T14:00:00.000Z', yes: 1, no: 4, variants: { green: 1 } });
    const nonEmpty = m.buckets.filter((b) => b.yes + b.no > 0);
    expect(nonEmpty).toEqual([
      { hour: '2026-01-14T15:00:00.000Z', yes: 7, no: 0, variants: {} },
      { hour: '2026-01-15T12:00:00.000Z', yes: 5, no: 1, variants: { blue: 3, green: 1 } },
      { hour: '2026-01-15T14:00:00.000Z', yes: 1, no: 4, variants: { green: 1 } },
    ]);
    // Hours are consecutive, oldest first.
    for (let i = 1; i < m.buckets.length; i++) {
      expect(Date.parse(m.buckets[i]!.hour) - Date.parse(m.buckets[i - 1]!.hour)).toBe(3_600_000);
    }
  });

  it('filters by the window: 1 hour, 72 hours', async () => {
    const hour = await metricsOf(reports.id, '?hours=1');
    expect(hour.buckets).toEqual([{ hour: '2026-01-15T14:00:00.000Z', yes: 1, no: 4, variants: { green: 1 } }]);
    expect(hour.totals).toEqual({ yes: 1, no: 4, variants: { green: 1 } });
    const threeDays = await metricsOf(reports.id, '?hours=72');
    expect(threeDays.buckets).toHaveLength(72);
    expect(threeDays.from).toBe('2026-01-12T15:00:00.000Z');
    expect(threeDays.totals).toEqual({ yes: 100 + 7 + 5 + 1, no: 50 + 9 + 1 + 4, variants: { blue: 3, green: 2 } });
    const max = await metricsOf(reports.id, `?hours=${24 * 90}`);
    expect(max.buckets).toHaveLength(24 * 90);
    expect(max.totals.yes).toBe(113);
  });

  it('an unreported flag: zeros and no reported range', async () => {
    const m = await metricsOf(quiet.id, '?hours=48');
    expect(m.buckets).toHaveLength(48);
    expect(m.buckets.every((b) => b.yes === 0 && b.no === 0 && Object.keys(b.variants).length === 0)).toBe(true);
    expect(m).toMatchObject({
      totals: { yes: 0, no: 0, variants: {} },
      firstReportedHour: null,
      lastReportedHour: null,
    });
  });

  it('bad hours → 400 with field details; unknown flag → 404 FLAG_NOT_FOUND', async () => {
    for (const hours of ['0', '-1', String(24 * 90 + 1), 'abc', '1.5', '']) {
      const res = await t.request({ method: 'GET', url: `/v1/flags/${reports.id}/metrics?hours=${hours}` });
      expect({ hours, ...errorOf(res) }).toEqual({
        hours,
        status: 400,
        code: 'VALIDATION_FAILED',
        fields: ['/querystring/hours'],
      });
    }
    const extra = await t.request({ method: 'GET', url: `/v1/flags/${reports.id}/metrics?days=3` });
    expect(errorOf(extra)).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: ['/querystring/days'] });
    const badId = await t.request({ method: 'GET', url: '/v1/flags/not-a-uuid/metrics' });
    expect(errorOf(badId)).toMatchObject({ status: 400, fields: ['/params/id'] });
    const unknown = await t.request({ method: 'GET', url: '/v1/flags/00000000-0000-4000-8000-000000000000/metrics' });
    expect(errorOf(unknown)).toEqual({ status: 404, code: 'FLAG_NOT_FOUND', fields: [] });
  });

  it('read-only tokens and every dashboard role may read; product tokens only their product; client tokens not', async () => {
    const readOnly = await createToken(t, 'read-only');
    expect((await metricsOf(reports.id, '', readOnly)).totals.yes).toBe(13);
    expect((await clientsOf('', readOnly)).data).toHaveLength(3);
    const mine = await createToken(t, 'product', product.id);
    expect((await metricsOf(reports.id, '', mine)).totals.yes).toBe(13);
    expect((await clientsOf('', mine)).data.map((c) => c.instanceId)).toEqual(['i-1', 'i-2']);
    const foreign = await createToken(t, 'product', other.id);
    const hidden = await t.request({ method: 'GET', url: `/v1/flags/${reports.id}/metrics`, token: foreign });
    expect(errorOf(hidden)).toMatchObject({ status: 404, code: 'FLAG_NOT_FOUND' });
    expect((await clientsOf('', foreign)).data.map((c) => c.instanceId)).toEqual(['x-1']);
    expect((await clientsOf(`?productId=${product.id}`, foreign)).data).toEqual([]);
    for (const url of [`/v1/flags/${reports.id}/metrics`, '/v1/flag-clients']) {
      expect((await t.request({ method: 'GET', url, token: client.secret })).statusCode).toBe(403);
      for (const role of ['admin', 'account_manager', 'support', 'read_only'] as const) {
        const route = url.startsWith('/v1/flags/') ? '/v1/flags/:id/metrics' : url;
        expect({ role, route, ...decide(role, 'GET', route) }).toEqual({ role, route, allowed: true });
      }
    }
  });

  it('lists connected SDK instances newest seen first, with token, product and staleness', async () => {
    const list = await clientsOf();
    expect(list.nextCursor).toBeNull();
    expect(list.data).toEqual([
      {
        appName: 'billing',
        instanceId: 'i-1',
        sdkVersion: 'unleash-client-node:6.1.0',
        strategies: ['default', 'flexibleRollout'],
        intervalMs: 10_000,
        startedAt: '2026-01-15T12:00:00.000Z',
        registeredAt: '2026-01-15T12:00:00.000Z',
        lastSeenAt: '2026-01-15T14:20:00.000Z', // its metrics touch it
        stale: false,
        token: { id: client.id, name: 'billing backend' },
        product: { id: product.id, code: product.code, name: `Product ${product.code}` },
      },
      expect.objectContaining({
        appName: 'elsewhere',
        instanceId: 'x-1',
        lastSeenAt: '2026-01-15T12:40:00.000Z',
        stale: true, // > 3 × 60 s
        token: { id: otherClient.id, name: 'other backend' },
        product: expect.objectContaining({ id: other.id }),
      }),
      expect.objectContaining({
        instanceId: 'i-2',
        intervalMs: null,
        lastSeenAt: '2026-01-15T12:00:00.000Z',
        stale: true, // no interval: 60 s assumed
      }),
    ]);
    // 30 s later i-1 (10 s interval) is still fresh (3 intervals); one second more and it is stale.
    t.clock.set('2026-01-15T14:20:30Z');
    expect((await clientsOf()).data[0]).toMatchObject({ instanceId: 'i-1', stale: false });
    t.clock.set('2026-01-15T14:20:31Z');
    expect((await clientsOf()).data[0]).toMatchObject({ instanceId: 'i-1', stale: true });
  });

  it('filters by product and since; pages with a cursor; a forged cursor → 400', async () => {
    expect((await clientsOf(`?productId=${product.id}`)).data.map((c) => c.instanceId)).toEqual(['i-1', 'i-2']);
    expect((await clientsOf(`?productId=${other.id}`)).data.map((c) => c.instanceId)).toEqual(['x-1']);
    const since = encodeURIComponent('2026-01-15T12:30:00Z');
    expect((await clientsOf(`?since=${since}`)).data.map((c) => c.instanceId)).toEqual(['i-1', 'x-1']);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await clientsOf(`?limit=1${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.data.length).toBeLessThanOrEqual(1);
      seen.push(...page.data.map((c) => c.instanceId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(['i-1', 'x-1', 'i-2']);

    const forged = Buffer.from(JSON.stringify({ v: '2026-01-15T12:00:00Z', id: 'x' })).toString('base64url');
    for (const bad of ['garbage', forged]) {
      const res = await t.request({ method: 'GET', url: `/v1/flag-clients?cursor=${bad}` });
      expect(errorOf(res)).toEqual({ status: 400, code: 'INVALID_CURSOR', fields: ['/querystring/cursor'] });
    }
    const badSince = await t.request({ method: 'GET', url: '/v1/flag-clients?since=yesterday' });
    expect(errorOf(badSince)).toEqual({ status: 400, code: 'VALIDATION_FAILED', fields: ['/querystring/since'] });
  });

  it('documents both endpoints in /openapi.json', async () => {
    const doc = (await t.request({ method: 'GET', url: '/openapi.json', token: null })).json();
    const metrics = doc.paths['/v1/flags/{id}/metrics'].get;
    expect(metrics.tags).toEqual(['Feature flags']);
    expect(metrics.parameters.map((p: { name: string }) => p.name).sort()).toEqual(['hours', 'id']);
    expect(Object.keys(metrics.responses['200'].content['application/json'].schema.properties)).toEqual(
      expect.arrayContaining(['buckets', 'totals', 'firstReportedHour', 'lastReportedHour']),
    );
    const clients = doc.paths['/v1/flag-clients'].get;
    expect(clients.parameters.map((p: { name: string }) => p.name).sort()).toEqual([
      'cursor',
      'limit',
      'productId',
      'since',
    ]);
  });
});
