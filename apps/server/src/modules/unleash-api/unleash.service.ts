import { createHash } from 'node:crypto';
import type { FeatureDefinition, SegmentDefinition } from '@keyward/sdk/flags';
import type { Actor } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { flagStampOf, projectedFlagsOf } from '../flags/flags.read.ts';
import * as repo from './unleash.repository.ts';
import type { FeaturesQueryInput, MetricsInput, RegisterInput } from './unleash.schemas.ts';

export interface UnleashDeps {
  db: Db;
  clock: Clock;
}

/** A client token: product-scoped (the bearer hook of this API admits no other role). */
export type ClientActor = Extract<Actor, { kind: 'token' }> & { productId: string };

export interface FeaturesBody {
  version: 2;
  features: FeatureDefinition[];
  segments: SegmentDefinition[];
  query: { namePrefix?: string };
}

export type FeaturesAnswer =
  | { etag: string; notModified: true }
  | { etag: string; notModified: false; body: FeaturesBody };

const HOUR_MS = 3_600_000;

function etagOf(stamp: string, query: FeaturesQueryInput): string {
  const digest = createHash('sha256')
    .update(`${stamp}|${query.namePrefix ?? ''}`)
    .digest('base64url')
    .slice(0, 27);
  return `"kw-${digest}"`;
}

/** `If-None-Match: "a", W/"b"` or `*`: does it name this ETag? */
export function etagMatches(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((part) => {
    const tag = part.trim().replace(/^W\//, '');
    return tag === '*' || tag === etag;
  });
}

/**
 * The Unleash client API (docs/feature-flags.md, "Unleash SDKs"): what unmodified Unleash server SDKs poll with a
 * client token — the token's product's flags with every per-customer toggle projected into strategies — and where
 * they report instances and evaluation counts.
 */
export class UnleashService {
  constructor(private readonly deps: UnleashDeps) {}

  /** The features document, or "not modified" when If-None-Match names the current ETag (one query then). */
  async features(actor: ClientActor, query: FeaturesQueryInput, ifNoneMatch?: string): Promise<FeaturesAnswer> {
    const { db } = this.deps;
    const current = etagOf(await flagStampOf(db, actor.productId), query);
    if (etagMatches(ifNoneMatch, current)) return { etag: current, notModified: true };
    const projected = await projectedFlagsOf(db, actor.productId);
    const prefix = query.namePrefix;
    return {
      etag: etagOf(projected.stamp, query),
      notModified: false,
      body: {
        version: 2,
        features: prefix ? projected.features.filter((f) => f.name.startsWith(prefix)) : projected.features,
        segments: projected.segments,
        query: prefix ? { namePrefix: prefix } : {},
      },
    };
  }

  async register(actor: ClientActor, input: RegisterInput): Promise<void> {
    const now = this.deps.clock.now();
    await repo.upsertClient(this.deps.db, {
      token_id: actor.id,
      app_name: input.appName,
      instance_id: input.instanceId,
      sdk_version: input.sdkVersion ?? '',
      strategies: input.strategies ?? [],
      interval_ms: input.interval ?? null,
      started_at: input.started ? new Date(input.started) : null,
      now,
    });
  }

  /**
   * Adds a bucket's counts to the hour it started in (a future start counts now): per flag of the token's product,
   * yes/no and per variant. Names that are not flags of the product are ignored (no unbounded rows from typos).
   */
  async metrics(actor: ClientActor, input: MetricsInput): Promise<void> {
    const { db } = this.deps;
    const now = this.deps.clock.now();
    const start = new Date(input.bucket.start);
    const at = start > now ? now : start;
    const hour = new Date(Math.floor(at.getTime() / HOUR_MS) * HOUR_MS);
    const entries = Object.entries(input.bucket.toggles);
    const known = await repo.flagKeysOf(
      db,
      actor.productId,
      entries.map(([key]) => key),
    );
    const rows = entries
      .filter(([key, counts]) => known.has(key) && counts.yes + counts.no > 0)
      .map(([flagKey, counts]) => ({
        flagKey,
        yes: counts.yes,
        no: counts.no,
        variants: Object.fromEntries(Object.entries(counts.variants ?? {}).filter(([, n]) => n > 0)),
      }));
    await db.transaction().execute(async (trx) => {
      await repo.addMetrics(trx, actor.productId, hour, rows);
      await repo.touchClient(trx, actor.id, input.appName, input.instanceId, now);
    });
  }
}
