import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { clearSessionCookie, sessionSecretOf, setSessionCookie } from '../../platform/auth/session-cookie.ts';
import type { Config } from '../../platform/config.ts';
import { unauthorized } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http/error-schema.ts';
import { keyBucket, type RateLimitBucket, type RateLimiter } from '../../platform/http/rate-limit.ts';
import type { App } from '../../platform/http/types.ts';
import { Accepted, PasswordResetBody, PasswordResetConfirmBody, Session, SignInBody } from './staff-auth.schemas.ts';
import type { RequestMeta, StaffAuthService } from './staff-auth.service.ts';

const tags = ['Staff sign-in'];
const responses = { ...errorResponses, 429: Type.Ref('ErrorResponse') };

const metaOf = (request: FastifyRequest): RequestMeta => ({
  ip: request.ip ?? null,
  userAgent: request.headers['user-agent'] ?? null,
  requestId: String(request.id),
});

/**
 * preValidation rate limit of sign-in and password-reset requests per client IP and — for reset mails only
 * (`perEmail`) — per email (hashed, lower-cased), in the shared PostgreSQL counters. Runs before validation so that
 * garbage counts too. Sign-in has no per-email limit: a counter every address shares would let anyone keep a user
 * out; failed sign-ins are throttled per (email, address) instead (sign-in-throttle.ts).
 */
function staffRateLimit(limiter: RateLimiter, limits: Config['staff'], scope: string, perEmail: boolean) {
  return async (request: FastifyRequest): Promise<void> => {
    const buckets: RateLimitBucket[] = [
      { bucket: `${scope}-ip:${request.ip}`, limit: limits.signInPerIp, label: 'this IP address' },
    ];
    const body = request.body;
    const email = typeof body === 'object' && body !== null && 'email' in body ? body.email : undefined;
    if (perEmail && typeof email === 'string' && email.trim() !== '' && email.length <= 254) {
      const hashed = keyBucket(email.trim().toLowerCase()).slice('key:'.length);
      buckets.push({ bucket: `${scope}-email:${hashed}`, limit: limits.signInPerEmail, label: 'this email address' });
    }
    await limiter.hit(buckets);
  };
}

export interface StaffAuthRouteDeps {
  auth: StaffAuthService;
  limiter: RateLimiter;
  limits: Config['staff'];
}

/** /v1/auth/*: no bearer token; the session cookie is the credential (docs/dashboard-auth.md). */
export function staffAuthRoutes(app: App, { auth, limiter, limits }: StaffAuthRouteDeps): void {
  app.post(
    '/v1/auth/sign-in',
    {
      preValidation: staffRateLimit(limiter, limits, 'signin', false),
      schema: {
        tags,
        summary: 'Sign in to the dashboard with email and password',
        description:
          'Sets the httpOnly session cookie kw_session (12 h, sliding) and returns the CSRF token for changes. ' +
          '401 INVALID_CREDENTIALS for any wrong email or password, known or not. After 5 failures of one email ' +
          'from one client address, that address is refused for that email (429 SIGN_IN_THROTTLED with ' +
          'Retry-After) for 1 minute, doubling with each further failure up to 1 hour; other addresses are not ' +
          'affected and no account is ever locked. 429 RATE_LIMITED when one address sends too many requests.',
        body: SignInBody,
        response: { 200: Session, ...responses },
      },
    },
    async (request, reply) => {
      const signedIn = await auth.signIn(request.body, metaOf(request));
      setSessionCookie(request, reply, signedIn.secret);
      return signedIn.session;
    },
  );

  app.post(
    '/v1/auth/sign-out',
    {
      schema: {
        tags,
        summary: 'Sign out: end the session and clear its cookie (always 204)',
        response: { 204: Type.Null(), ...responses },
      },
    },
    async (request, reply) => {
      const secret = sessionSecretOf(request);
      if (secret) await auth.signOut(secret, metaOf(request));
      clearSessionCookie(request, reply);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/auth/session',
    {
      schema: {
        tags,
        summary: 'The signed-in user and the CSRF token of the session cookie (401 when not signed in)',
        response: { 200: Session, ...responses },
      },
    },
    async (request, reply) => {
      const secret = sessionSecretOf(request);
      const found = secret ? await auth.session(secret) : null;
      if (!secret || !found) throw unauthorized('Not signed in');
      if (found.renewed) setSessionCookie(request, reply, secret);
      return found.session;
    },
  );

  app.post(
    '/v1/auth/password-reset',
    {
      preValidation: staffRateLimit(limiter, limits, 'reset', true),
      schema: {
        tags,
        summary: 'Mail a password reset link (always 202: says nothing about whether the email is known)',
        description: 'The link <origin>/reset-password?token=… works once, for one hour.',
        body: PasswordResetBody,
        response: { 202: Accepted, ...responses },
      },
    },
    async (request, reply) => {
      await auth.requestPasswordReset(request.body, metaOf(request));
      return reply.status(202).send({ accepted: true });
    },
  );

  app.post(
    '/v1/auth/password-reset/confirm',
    {
      preValidation: staffRateLimit(limiter, limits, 'reset-confirm', false),
      schema: {
        tags,
        summary: 'Set a new password with the token of a reset link',
        description:
          'Also ends every session of the user and forgets the failed sign-ins of their email from every address. ' +
          '400 RESET_TOKEN_INVALID when used/expired.',
        body: PasswordResetConfirmBody,
        response: { 204: Type.Null(), ...responses },
      },
    },
    async (request, reply) => {
      await auth.confirmPasswordReset(request.body, metaOf(request));
      return reply.status(204).send(null);
    },
  );
}
