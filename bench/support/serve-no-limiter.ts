/**
 * Measurement aid only (never for production): the real server (apps/server/test/support/serve.ts) with the client
 * API rate limiter's database statement replaced by a no-op, so a run against it shows what the limiter costs.
 * The limiter cannot be switched off by configuration; patching its prototype here leaves the server code as is.
 */
import { RateLimiter } from '../../apps/server/src/platform/http/rate-limit.ts';

RateLimiter.prototype.hit = async () => {};
await import('../../apps/server/test/support/serve.ts');
