/**
 * Measurement aid only (never for production): the real server (apps/server/test/support/serve.ts) with the client
 * API rate limiter's database work replaced: `hit`/`count` do nothing, and `countWith` (the counter folded into
 * validate-key's and usage metering's lookup, ADR 0006) runs only the lookup. A run against it shows what the
 * limiter costs. The limiter cannot be switched off by configuration; patching prototypes here leaves the server
 * code as is.
 */
import type { RawBuilder } from 'kysely';
import type { Db } from '../../apps/server/src/platform/db/database.ts';
import { PendingHit, RateLimiter } from '../../apps/server/src/platform/http/rate-limit.ts';

RateLimiter.prototype.hit = async () => {};
PendingHit.prototype.count = async () => {};
PendingHit.prototype.countWith = async function countWith<R extends object>(this: PendingHit, query: RawBuilder<R>) {
  const { db } = (this as unknown as { limiter: { db: Db } }).limiter;
  return (await query.execute(db)).rows;
};
await import('../../apps/server/test/support/serve.ts');
