import { createHash } from 'node:crypto';
import type { FastifyBaseLogger, FastifyRequest } from 'fastify';
import { sql } from 'kysely';
import type { Clock } from '../clock.ts';
import type { Config } from '../config.ts';
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
}

export interface RateLimiterDeps {
  db: Db;
  clock: Clock;
  windowSeconds: number;
  log?: FastifyBaseLogger;
}

/** Delete finished windows at most this often per process. */
const CLEANUP_EVERY_MS = 60_000;

export class RateLimiter {
  #lastCleanupMs = Number.NEGATIVE_INFINITY;
  #cleanup: Promise<void> | null = null;

  constructor(private readonly deps: RateLimiterDeps) {}

  /** Counts one hit in every bucket (one statement) and throws RateLimitedError when any is over its limit. */
  async hit(buckets: RateLimitBucket[]): Promise<void> {
    if (buckets.length === 0) return;
    const nowMs = this.deps.clock.now().getTime();
    const windowMs = this.deps.windowSeconds * 1000;
    const startMs = Math.floor(nowMs / windowMs) * windowMs;
    const windowStart = new Date(startMs);
    // Distinct and sorted: one statement may not upsert a row twice, and a fixed order avoids lock-order deadlocks.
    const unique = [...new Map(buckets.map((b) => [b.bucket, b])).values()].sort((a, b) =>
      a.bucket < b.bucket ? -1 : 1,
    );
    const rows = await this.deps.db
      .insertInto('rate_limit_counters')
      .values(unique.map((b) => ({ bucket: b.bucket, window_start: windowStart, hits: 1 })))
      .onConflict((oc) =>
        oc.columns(['bucket', 'window_start']).doUpdateSet({ hits: sql<number>`rate_limit_counters.hits + 1` }),
      )
      .returning(['bucket', 'hits'])
      .execute();
    this.#maybeCleanup(nowMs, startMs - windowMs);
    const hits = new Map(rows.map((r) => [r.bucket, Number(r.hits)]));
    const over = unique.find((b) => (hits.get(b.bucket) ?? 0) > b.limit);
    if (over) {
      const retryAfter = Math.max(1, Math.ceil((startMs + windowMs - nowMs) / 1000));
      throw new RateLimitedError(
        retryAfter,
        `Too many requests for ${over.label}; retry in ${retryAfter} second${retryAfter === 1 ? '' : 's'}`,
      );
    }
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
        (err: unknown) => this.deps.log?.warn({ err }, 'rate limit cleanup failed'),
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

/** Bucket names never hold a license key itself, only a hash of its normalised form. */
export function keyBucket(rawKey: string): string {
  const normalised = rawKey.trim().toUpperCase().replace(/\s+/g, '');
  return `key:${createHash('sha256').update(normalised, 'utf8').digest('base64url').slice(0, 32)}`;
}

/**
 * preValidation hook for the client API: limits per client IP and, when the body carries a `key` string, per
 * license key. Runs before schema validation so that garbage requests count against their IP too.
 */
export function clientRateLimit(limiter: RateLimiter, limits: Pick<Config['rateLimit'], 'perIp' | 'perKey'>) {
  return async function rateLimit(request: FastifyRequest): Promise<void> {
    const buckets: RateLimitBucket[] = [{ bucket: `ip:${request.ip}`, limit: limits.perIp, label: 'this IP address' }];
    const body = request.body;
    const key = typeof body === 'object' && body !== null && 'key' in body ? body.key : undefined;
    if (typeof key === 'string' && key.trim() !== '' && key.length <= 512) {
      buckets.push({ bucket: keyBucket(key), limit: limits.perKey, label: 'this license key' });
    }
    await limiter.hit(buckets);
  };
}
