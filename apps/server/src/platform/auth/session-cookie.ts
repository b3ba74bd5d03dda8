import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import '@fastify/cookie';

/** The dashboard's session cookie (docs/dashboard-auth.md). */
export const SESSION_COOKIE = 'kw_session';
/** Sliding lifetime: a session ends this long after its last use. */
export const SESSION_TTL_SECONDS = 12 * 60 * 60;
/** A session's expiry (and its cookie) is renewed at most this often, so authenticating is mostly a read. */
export const SESSION_RENEW_AFTER_MS = 60_000;

/** A new session secret: 32 random bytes, base64url. Lives only in the cookie; the server keeps its SHA-256. */
export function generateSessionSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** sessions.id: SHA-256 (hex) of the cookie secret. */
export function hashSessionSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * The CSRF token of a session, derived from its secret (HMAC), so `GET /v1/auth/session` can hand it out again
 * after a page reload while the database keeps only its hash. Knowing the token reveals nothing about the secret.
 */
export function csrfTokenFor(secret: string): string {
  return createHmac('sha256', secret).update('keyward csrf v1', 'utf8').digest('base64url');
}

export function hashCsrfToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** Constant-time check of an `x-csrf-token` header against the stored hash. */
export function csrfTokenMatches(header: string | string[] | undefined, storedHash: string): boolean {
  if (typeof header !== 'string' || header.length === 0 || header.length > 512) return false;
  const given = Buffer.from(hashCsrfToken(header), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** httpOnly, SameSite=Strict, Path=/, Secure when the request came over https, Max-Age 12 h. */
export function setSessionCookie(request: FastifyRequest, reply: FastifyReply, secret: string): void {
  reply.setCookie(SESSION_COOKIE, secret, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
    maxAge: SESSION_TTL_SECONDS,
  });
}

export function clearSessionCookie(request: FastifyRequest, reply: FastifyReply): void {
  reply.clearCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: 'strict',
    path: '/',
    secure: request.protocol === 'https',
  });
}

/** The session secret of the request's cookie, if any. */
export function sessionSecretOf(request: FastifyRequest): string | null {
  const value = request.cookies?.[SESSION_COOKIE];
  return value && value.length <= 512 ? value : null;
}
