import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { type RawBuilder, sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
import type { DatabaseAvailability } from '../db/availability.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

/*
 * Fixed-window rate limits stored in PostgreSQL (table rate_limit_counters), so they hold across every server
 * process sharing the database. Why not @fastify/rate-limit: its store counts one key per request (the client API
 * needs two: IP and license key, the latter from the body) through one callback round trip each, and it reads
 * Date.now() instead of the injected clock. Here both buckets are one upsert statement.
 */

/** Carries the seconds until the window ends; the error handler turns it into a Retry-After header. */
export class RateLimitedError extends AppError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super('RATE_LIMITED', 429, message);
  }
}

export interface RateLimitBucket {
  /** Stored key, e.g. `ip:1.2.3.4`. */
  bucket: string;
  limit: number;
  /** For the error message: "this IP address", "this license key". */
  label: string;
  /**
   * Rows the bucket's counter is spread over (default 1: one exact row). More lets concurrent requests from one
   * address stop queueing on one row lock, at the price of a bounded overshoot of shards − 1 (ADR 0006).
   */
  shards?: number;
}

/** The client API's per-IP buckets are sharded: every client behind one NAT or proxy shares them (ADR 0006). */
export const IP_BUCKET_SHARDS = 8;

export interface RateLimiterDeps {
  db: Db;
  clock: Clock;
  windowSeconds: number;
  log?: FastifyBaseLogger;
  /** Where a database that cannot be reached is reported instead of a log line (one per outage). */
  availability?: Pick<DatabaseAvailability, 'failed'>;
}

/** Delete finished windows at most this often per process. */
const CLEANUP_EVERY_MS = 60_000;

/** The hit counts a counting statement returned: bucket → hits in the current window. */
export type BucketHits = Record<string, number>;

/**
 * One request's hit in its buckets, not counted yet. Counted either alone ({@link PendingHit.count}, one upsert) or
 * inside the request's first read ({@link PendingHit.countWith}: the same upsert as a data-modifying CTE of that
 * statement), so a client request pays one round trip for its rate limit and its lookup together. Either way the
 * counter is one atomic upsert in PostgreSQL (ADR 0004), on the `database.counters` connection.
 */
export class PendingHit {
  readonly #windowStart: Date;
  readonly #startMs: number;

  constructor(
    private readonly limiter: RateLimiter,
    /** Distinct and sorted (one statement may not upsert a row twice; a fixed order avoids deadlocks). */
    readonly buckets: readonly RateLimitBucket[],
    private readonly nowMs: number,
  ) {
    const windowMs = limiter.windowMs;
    this.#startMs = Math.floor(nowMs / windowMs) * windowMs;
    this.#windowStart = new Date(this.#startMs);
  }

  /**
   * The counting CTEs; `rl` gives (bucket, hits): the bucket's hits in the window, this one included. A sharded
   * bucket (ADR 0006) is stored as `<bucket>#<shard>` rows, the shard chosen by the database connection
   * (pg_backend_pid() % shards); its hits are its own shard's, exact, plus the other shards' as committed when the
   * statement started — increments still in flight on other shards (at most shards − 1) are not seen.
   */
  #ctes(): RawBuilder<unknown> {
    const req = sql.join(this.buckets.map((b) => sql`(${b.bucket}::text, ${b.shards ?? 1}::int)`));
    const w = sql`${this.#windowStart}::timestamptz`;
    return sql`
      req (bucket, shards) AS (VALUES ${req}),
      stored AS (
        SELECT bucket, shards,
          CASE WHEN shards > 1 THEN bucket || '#' || (pg_backend_pid() % shards) ELSE bucket END AS row_bucket
        FROM req
      ),
      up AS (
        INSERT INTO rate_limit_counters AS rc (bucket, window_start, hits)
        SELECT row_bucket, ${w}, 1 FROM stored ORDER BY row_bucket
        ON CONFLICT (bucket, window_start) DO UPDATE SET hits = rc.hits + 1
        RETURNING bucket, hits
      ),
      rl AS (
        SELECT s.bucket, up.hits + CASE WHEN s.shards = 1 THEN 0 ELSE coalesce((
          SELECT sum(o.hits) FROM rate_limit_counters o
          WHERE o.window_start = ${w} AND o.bucket <> s.row_bucket
            AND o.bucket = ANY(ARRAY(SELECT s.bucket || '#' || g FROM generate_series(0, s.shards - 1) g))
        ), 0) END AS hits
        FROM stored s JOIN up ON up.bucket = s.row_bucket
      )`;
  }

  /** Counts the hit alone (one statement); throws RateLimitedError when a bucket is over its limit. */
  async count(): Promise<void> {
    const { rows } = await sql<{ bucket: string; hits: number }>`
      WITH ${this.#ctes()} SELECT bucket, hits FROM rl`.execute(this.limiter.db);
    this.settle(Object.fromEntries(rows.map((r) => [r.bucket, Number(r.hits)])));
  }

  /**
   * Counts the hit in the same statement as the read `query` (run on the counters connection, whose commits do not
   * wait for the WAL flush — harmless for a read), then throws RateLimitedError when over a limit, else returns the
   * query's rows. The query must not be data-modifying and must not name a column `rl_hits` or `rl_row`.
   */
  async countWith<R extends object>(query: RawBuilder<R>): Promise<R[]> {
    const { rows } = await sql<R & { rl_hits: BucketHits | null; rl_row: boolean | null }>`
      WITH ${this.#ctes()}
      SELECT rl_agg.rl_hits, q.*
      FROM (SELECT json_object_agg(rl.bucket, rl.hits) AS rl_hits FROM rl) AS rl_agg
      LEFT JOIN LATERAL (SELECT true AS rl_row, s.* FROM (${query}) AS s) AS q ON true`.execute(this.limiter.db);
    this.settle(rows[0]?.rl_hits ?? {});
    return rows.filter((r) => r.rl_row).map(({ rl_hits: _h, rl_row: _r, ...row }) => row as unknown as R);
  }

  /** Throws RateLimitedError when the counted hits put any bucket over its limit. */
  settle(hits: BucketHits): void {
    this.limiter.afterHit(this.nowMs, this.#startMs);
    const over = this.buckets.find((b) => Number(hits[b.bucket] ?? 0) > b.limit);
    if (!over) return;
    const retryAfter = Math.max(1, Math.ceil((this.#startMs + this.limiter.windowMs - this.nowMs) / 1000));
    throw new RateLimitedError(
      retryAfter,
      `Too many requests for ${over.label}; retry in ${retryAfter} second${retryAfter === 1 ? '' : 's'}`,
    );
  }
}

export class RateLimiter {
  #lastCleanupMs = Number.NEGATIVE_INFINITY;
  #cleanup: Promise<void> | null = null;

  constructor(private readonly deps: RateLimiterDeps) {}

  get db(): Db {
    return this.deps.db;
  }

  get windowMs(): number {
    return this.deps.windowSeconds * 1000;
  }

  /** A hit in these buckets at the clock's now, to count later; null when there is no bucket. */
  prepare(buckets: RateLimitBucket[]): PendingHit | null {
    if (buckets.length === 0) return null;
    const unique = [...new Map(buckets.map((b) => [b.bucket, b])).values()].sort((a, b) =>
      a.bucket < b.bucket ? -1 : 1,
    );
    return new PendingHit(this, unique, this.deps.clock.now().getTime());
  }

  /** Counts one hit in every bucket (one statement) and throws RateLimitedError when any is over its limit. */
  async hit(buckets: RateLimitBucket[]): Promise<void> {
    await this.prepare(buckets)?.count();
  }

  /** After every counted hit: occasionally deletes windows that ended (off the request path). */
  afterHit(nowMs: number, windowStartMs: number): void {
    this.#maybeCleanup(nowMs, windowStartMs - this.windowMs);
  }

  /** Occasionally deletes windows that ended (off the request path); the previous window is kept. */
  #maybeCleanup(nowMs: number, beforeMs: number): void {
    if (this.#cleanup || nowMs - this.#lastCleanupMs < CLEANUP_EVERY_MS) return;
    this.#lastCleanupMs = nowMs;
    this.#cleanup = this.deps.db
      .deleteFrom('rate_limit_counters')
      .where('window_start', '<', new Date(beforeMs))
      .execute()
      .then(
        () => undefined,
        (err: unknown) => {
          if (!this.deps.availability?.failed(err)) this.deps.log?.warn({ err }, 'rate limit cleanup failed');
        },
      )
      .finally(() => {
        this.#cleanup = null;
      });
  }

  /** Waits for a running cleanup (call before closing the database). */
  async close(): Promise<void> {
    await this.#cleanup;
  }
}

/**
 * A bucket name for a secret (a license key, an email): never the value itself, only a hash of it. Pass the value's
 * canonical form — every spelling the lookup treats as the same must map to the same bucket.
 */
export function keyBucket(canonical: string): string {
  return `key:${createHash('sha256').update(canonical, 'utf8').digest('base64url').slice(0, 32)}`;
}

/**
 * The body's `key` as schema validation will hand it to the lookup: the hooks see the raw body, and Ajv's coercion
 * (coerceTypes 'array', see buildApp) turns a one-item array into its item and a number or boolean into a string —
 * without this, `{"key": ["ACME-…"]}` would be looked up but counted in no key bucket.
 */
function keyAsValidated(value: unknown): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? keyAsValidated(value[0]) : undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/**
 * The client API's buckets for a request: its IP and, when the body carries a `key` string, that license key in its
 * canonical form (the same function the lookup uses, so no look-alike spelling gets a fresh budget).
 */
function clientBuckets(request: FastifyRequest, limits: ClientLimits): RateLimitBucket[] {
  const buckets: RateLimitBucket[] = [
    { bucket: `ip:${request.ip}`, limit: limits.perIp, label: 'this IP address', shards: IP_BUCKET_SHARDS },
  ];
  const body = request.body;
  const key = typeof body === 'object' && body !== null && 'key' in body ? keyAsValidated(body.key) : undefined;
  if (key !== undefined && key.trim() !== '' && key.length <= 512) {
    buckets.push({ bucket: keyBucket(limits.canonicalKey(key)), limit: limits.perKey, label: 'this license key' });
  }
  return buckets;
}

export type ClientLimits = Pick<Config['rateLimit'], 'perIp' | 'perKey'> & {
  /** The license key's canonical form (modules/licenses/license-key.ts canonicalLicenseKey, wired in app.ts). */
  canonicalKey: (rawKey: string) => string;
};

/**
 * preValidation hook for the client API: limits per client IP and, when the body carries a `key` string, per
 * license key. Runs before schema validation so that garbage requests count against their IP too.
 */
export function clientRateLimit(limiter: RateLimiter, limits: ClientLimits) {
  return async function rateLimit(request: FastifyRequest): Promise<void> {
    await limiter.hit(clientBuckets(request, limits));
  };
}

/**
 * The client API's rate limit for hot routes whose service counts the hit inside its first statement
 * (PendingHit.countWith). The route registers `hook` as preValidation and sets `attachValidation: true`; its handler
 * calls `take(request)` first. Same buckets, limits and order of answers as {@link clientRateLimit}: a body that
 * failed schema validation is counted on its own and answered 429 when over a limit, else 400 as before.
 */
export interface DeferredRateLimit {
  /** preValidation: notes the request's buckets (no statement). */
  hook(request: FastifyRequest): Promise<void>;
  /** The request's hit, for the service to count; counts it now and throws when the body failed validation. */
  take(request: FastifyRequest): Promise<PendingHit | null>;
}

export function deferredClientRateLimit(limiter: RateLimiter, limits: ClientLimits): DeferredRateLimit {
  const pending = new WeakMap<FastifyRequest, PendingHit | null>();
  return {
    async hook(request) {
      pending.set(request, limiter.prepare(clientBuckets(request, limits)));
    },
    async take(request) {
      // A route that forgot the hook would go unlimited: prepare the hit here then.
      const hit = pending.has(request)
        ? (pending.get(request) ?? null)
        : limiter.prepare(clientBuckets(request, limits));
      pending.delete(request);
      if (request.validationError) {
        await hit?.count();
        throw request.validationError;
      }
      return hit;
    },
  };
}
