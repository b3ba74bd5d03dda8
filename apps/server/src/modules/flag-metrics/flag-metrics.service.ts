import { productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import {
  type Cursor,
  decodeCheckedCursor,
  isIsoDate,
  isUuid,
  type Page,
  toPage,
} from '../../platform/http/pagination.ts';
import { findFlagRef } from '../flags/flags.read.ts';
import { HOUR_MS, presentFlagClient, presentFlagMetrics } from './flag-metrics.presenter.ts';
import * as repo from './flag-metrics.repository.ts';
import type { FlagClientDto, FlagMetricsDto, FlagMetricsInput, ListFlagClientsInput } from './flag-metrics.schemas.ts';

export interface FlagMetricsDeps {
  db: Db;
  clock: Clock;
}

const flagNotFound = () => notFound('FLAG_NOT_FOUND', 'Flag');

/** The cursor's id names the instance: [tokenId, appName, instanceId] as JSON. */
function clientKeyOf(cursor: Cursor): repo.ClientAfter | null {
  if (cursor.v === null || !isIsoDate(cursor.v)) return null;
  try {
    const key: unknown = JSON.parse(cursor.id);
    if (Array.isArray(key) && key.length === 3 && key.every((k) => typeof k === 'string') && isUuid(key[0] as string)) {
      const [tokenId, appName, instanceId] = key as [string, string, string];
      return { lastSeenAt: new Date(cursor.v), tokenId, appName, instanceId };
    }
  } catch {
    // not JSON: invalid below
  }
  return null;
}

/**
 * What Unleash SDKs reported (docs/feature-flags.md, "Metrics and connected SDKs"): a flag's evaluation counts per
 * hour, and the SDK instances that registered with the product's client tokens. Read-only: nothing to audit.
 */
export class FlagMetricsService {
  constructor(private readonly deps: FlagMetricsDeps) {}

  async flagMetrics(ctx: RequestContext, flagId: string, input: FlagMetricsInput): Promise<FlagMetricsDto> {
    const { db, clock } = this.deps;
    const flag = await findFlagRef(db, flagId);
    const scope = productScope(ctx.actor);
    if (!flag || (scope !== null && scope !== flag.productId)) throw flagNotFound();
    const hours = input.hours ?? 24;
    const to = new Date((Math.floor(clock.now().getTime() / HOUR_MS) + 1) * HOUR_MS);
    const from = new Date(to.getTime() - hours * HOUR_MS);
    const rows = await repo.metricHours(db, flag.productId, flag.key, from, to);
    const range = await repo.reportedRange(db, flag.productId, flag.key);
    return presentFlagMetrics(flag, { hours, from, to }, rows, range);
  }

  async listClients(ctx: RequestContext, input: ListFlagClientsInput): Promise<Page<FlagClientDto>> {
    const limit = input.limit ?? 50;
    const cursor = decodeCheckedCursor(input.cursor, (c) => clientKeyOf(c) !== null);
    const rows = await repo.listClients(this.deps.db, {
      limit,
      after: cursor && clientKeyOf(cursor),
      scope: productScope(ctx.actor),
      productId: input.productId,
      since: input.since ? new Date(input.since) : undefined,
    });
    const now = this.deps.clock.now();
    return toPage(
      rows,
      limit,
      (r) => presentFlagClient(r, now),
      (r) => ({ v: r.last_seen_at.toISOString(), id: JSON.stringify([r.token_id, r.app_name, r.instance_id]) }),
    );
  }
}
