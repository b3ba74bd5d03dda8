import type { FastifyBaseLogger } from 'fastify';
import type { Actor, RequestContext } from '../../platform/auth/actor.ts';
import {
  csrfTokenFor,
  generateSessionSecret,
  hashCsrfToken,
  hashSessionSecret,
  SESSION_TTL_SECONDS,
} from '../../platform/auth/session-cookie.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { UserRow } from '../../platform/db/schema.ts';
import { AppError, badRequest } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { findUserByEmail, findUserById } from '../users/users.read.ts';
import { hashResetToken, issuePasswordLink, logQueuedMail } from './password-reset.write.ts';
import {
  hashPassword,
  needsRehash,
  normalizeEmail,
  prepareDummyHash,
  verifyAgainstNothing,
  verifyPassword,
} from './passwords.ts';
import { sessionLookup } from './sessions.read.ts';
import {
  blockSecondsAfter,
  emailHash,
  FORGET_FAILURES_AFTER_SECONDS,
  SignInThrottledError,
} from './sign-in-throttle.ts';
import * as repo from './staff-auth.repository.ts';
import type { SessionDto, SessionUserDto } from './staff-auth.schemas.ts';

export interface StaffAuthDeps {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Origin of the links in mails (KEYWARD_PUBLIC_URL or the listening address). */
  origin: () => string;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  requestId: string | null;
}

const invalidCredentials = () => new AppError('INVALID_CREDENTIALS', 401, 'The email or password is wrong');

const userActor = (u: Pick<UserRow, 'id' | 'name' | 'role'>): Actor => ({
  kind: 'user',
  id: u.id,
  name: u.name,
  role: u.role,
  productId: null,
});
const anonymous = (meta: RequestMeta, name: string): RequestContext => ({
  actor: { kind: 'system', id: null, name, role: 'admin', productId: null },
  requestId: meta.requestId,
});
const sessionUser = (u: Pick<UserRow, 'id' | 'email' | 'name' | 'role'>): SessionUserDto => ({
  id: u.id,
  email: u.email,
  name: u.name,
  role: u.role,
});

type SignInOutcome =
  | { kind: 'ok'; session: SessionDto; secret: string }
  | { kind: 'invalid' }
  | { kind: 'throttled'; retryAfterSeconds: number };

export interface SignedIn {
  session: SessionDto;
  /** The cookie value (shown to nobody else; the database keeps its SHA-256). */
  secret: string;
}

/** Staff sign-in, sessions and password resets (docs/dashboard-auth.md). */
export class StaffAuthService {
  readonly #lookup: ReturnType<typeof sessionLookup>;
  constructor(private readonly deps: StaffAuthDeps) {
    this.#lookup = sessionLookup(deps.db, deps.clock);
    prepareDummyHash();
  }

  /**
   * Checks the password and opens a session. Failures are throttled per (email, client address) — the same way for
   * known and unknown emails, with the same password-hash work — and audited in a committed transaction, then
   * thrown: 401 INVALID_CREDENTIALS, or 429 SignInThrottledError while that address is blocked for that email
   * (sign-in-throttle.ts). No account is ever locked.
   */
  async signIn(input: { email: string; password: string }, meta: RequestMeta): Promise<SignedIn> {
    const { clock } = this.deps;
    const email = normalizeEmail(input.email);
    const key = { emailHash: emailHash(email), ip: meta.ip ?? '' };
    const outcome = await this.deps.db.transaction().execute(async (trx): Promise<SignInOutcome> => {
      const now = clock.now();
      const throttle = await repo.lockThrottle(trx, key, now);
      if (throttle.blocked_until && throttle.blocked_until > now) {
        return { kind: 'throttled', retryAfterSeconds: secondsUntil(throttle.blocked_until, now) };
      }
      const user = await findUserByEmail(trx, email);
      const hash = user && !user.disabled ? user.password_hash : null;
      // The same argon2 work whether there is a hash to check or not (unknown email, disabled, no password yet).
      const passwordOk = hash
        ? await verifyPassword(hash, input.password)
        : await verifyAgainstNothing(input.password).then(() => false);
      if (!user || !hash || !passwordOk) {
        const forgotten = throttle.updated_at.getTime() <= now.getTime() - FORGET_FAILURES_AFTER_SECONDS * 1000;
        const failures = (forgotten ? 0 : throttle.failures) + 1;
        const block = blockSecondsAfter(failures);
        const blockedUntil = block === null ? null : new Date(now.getTime() + block * 1000);
        await repo.saveThrottle(trx, key, { failures, blocked_until: blockedUntil, updated_at: now });
        const ctx = anonymous(meta, 'sign-in');
        const target = { targetType: 'user' as const, targetId: user?.id ?? email };
        const reason = !user ? 'unknown_email' : user.disabled ? 'disabled' : !hash ? 'no_password' : 'wrong_password';
        await recordAudit(trx, ctx, clock, {
          action: 'user.sign_in_failed',
          ...target,
          after: { email, reason, ip: meta.ip },
        });
        if (blockedUntil) {
          // The event a "repeated failed sign-ins" mail to the user will be sent on (docs/dashboard-auth.md).
          await recordAudit(trx, ctx, clock, {
            action: 'user.sign_in_throttled',
            ...target,
            after: { email, ip: meta.ip, failures, blockedUntil: blockedUntil.toISOString() },
          });
        }
        return { kind: 'invalid' };
      }
      await repo.deleteThrottle(trx, key);
      const rehashed = needsRehash(hash) ? await hashPassword(input.password) : undefined;
      await repo.updateUserAuth(trx, user.id, {
        last_sign_in_at: now,
        ...(rehashed ? { password_hash: rehashed } : {}),
      });
      await repo.deleteExpiredSessionsOf(trx, user.id, now);
      const secret = generateSessionSecret();
      const csrfToken = csrfTokenFor(secret);
      await repo.insertSession(trx, {
        id: hashSessionSecret(secret),
        user_id: user.id,
        csrf_token_hash: hashCsrfToken(csrfToken),
        created_at: now,
        expires_at: new Date(now.getTime() + SESSION_TTL_SECONDS * 1000),
        ip: meta.ip,
        user_agent: meta.userAgent?.slice(0, 500) ?? null,
      });
      await recordAudit(trx, { actor: userActor(user), requestId: meta.requestId }, clock, {
        action: 'user.signed_in',
        targetType: 'user',
        targetId: user.id,
        after: { email, ip: meta.ip },
      });
      return { kind: 'ok', session: { user: sessionUser(user), csrfToken }, secret };
    });
    if (outcome.kind === 'invalid') throw invalidCredentials();
    if (outcome.kind === 'throttled') throw new SignInThrottledError(outcome.retryAfterSeconds);
    return outcome;
  }

  /** The session of a cookie secret (renewing it), or null. */
  async session(secret: string): Promise<{ session: SessionDto; renewed: boolean } | null> {
    const found = await this.#lookup(hashSessionSecret(secret));
    if (!found) return null;
    const { actor } = found;
    return {
      session: {
        user: { id: actor.id, email: found.email, name: actor.name, role: actor.role },
        csrfToken: csrfTokenFor(secret),
      },
      renewed: found.renewed,
    };
  }

  /** Ends the session of a cookie secret; idempotent. */
  async signOut(secret: string, meta: RequestMeta): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      const userId = await repo.deleteSession(trx, hashSessionSecret(secret));
      if (!userId) return;
      const user = await findUserById(trx, userId);
      if (!user) return;
      await recordAudit(trx, { actor: userActor(user), requestId: meta.requestId }, this.deps.clock, {
        action: 'user.signed_out',
        targetType: 'user',
        targetId: user.id,
      });
    });
  }

  /** Mails a reset link to an enabled user with this email; says nothing about whether there is one. */
  async requestPasswordReset(input: { email: string }, meta: RequestMeta): Promise<void> {
    const email = normalizeEmail(input.email);
    const mail = await this.deps.db.transaction().execute(async (trx) => {
      const user = await findUserByEmail(trx, email, { forUpdate: true });
      if (!user || user.disabled) return null;
      const issued = await issuePasswordLink(trx, this.deps.clock, user, this.deps.origin(), 'reset');
      await recordAudit(trx, anonymous(meta, 'password-reset'), this.deps.clock, {
        action: 'user.password_reset_requested',
        targetType: 'user',
        targetId: user.id,
        after: { email, ip: meta.ip },
      });
      return issued.mail;
    });
    if (mail) logQueuedMail(this.deps.log, mail);
  }

  /**
   * Sets a new password with a one-time token: ends all the user's sessions and forgets the failed sign-ins of
   * their email from every address (whoever holds the link holds the mailbox).
   */
  async confirmPasswordReset(input: { token: string; password: string }, meta: RequestMeta): Promise<void> {
    const { clock } = this.deps;
    const passwordHash = await hashPassword(input.password);
    await this.deps.db.transaction().execute(async (trx) => {
      const now = clock.now();
      const reset = await repo.lockPasswordReset(trx, hashResetToken(input.token));
      const user = reset && (await findUserById(trx, reset.user_id, { forUpdate: true }));
      if (!reset || !user || reset.used_at || reset.expires_at <= now || user.disabled) {
        throw badRequest('RESET_TOKEN_INVALID', 'This password link is invalid, used or expired; ask for a new one');
      }
      await repo.markPasswordResetsUsed(trx, user.id, now);
      await repo.updateUserAuth(trx, user.id, { password_hash: passwordHash, updated_at: now });
      await repo.deleteThrottlesOf(trx, emailHash(normalizeEmail(user.email)));
      await repo.deleteSessionsOf(trx, user.id);
      await recordAudit(trx, { actor: userActor(user), requestId: meta.requestId }, clock, {
        action: 'user.password_reset',
        targetType: 'user',
        targetId: user.id,
        after: { email: user.email },
      });
    });
  }
}

function secondsUntil(at: Date, now: Date): number {
  return Math.max(1, Math.ceil((at.getTime() - now.getTime()) / 1000));
}
