import type { FastifyBaseLogger } from 'fastify';
import { assertAdmin, type RequestContext } from '../../platform/auth/actor.ts';
import { mayRead } from '../../platform/auth/permissions.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { UserRow } from '../../platform/db/schema.ts';
import { conflict, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { decodeCheckedCursor, isIsoDate, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { issuePasswordLink, logQueuedMail, type QueuedMail } from '../staff-auth/password-reset.write.ts';
import { hashPassword, normalizeEmail } from '../staff-auth/passwords.ts';
import { presentUser } from './users.presenter.ts';
import { findUserById } from './users.read.ts';
import * as repo from './users.repository.ts';
import type { CreateUserInput, ListUsersInput, UpdateUserInput, UserDto } from './users.schemas.ts';

export interface UsersDeps {
  db: Db;
  clock: Clock;
  log: FastifyBaseLogger;
  /** Origin of invitation links (KEYWARD_PUBLIC_URL or the listening address). */
  origin: () => string;
}

const userNotFound = () => notFound('USER_NOT_FOUND', 'User');
const emailTaken = () => conflict('USER_EMAIL_TAKEN', 'Another user has this email address');
const lastAdmin = () => conflict('USER_LAST_ADMIN', 'This is the last enabled admin; make another user admin first');

/**
 * Like token metadata: admins, and read-only API tokens (audits); dashboard users other than admins and product
 * tokens see none (the policy: platform/auth/permissions.ts).
 */
function assertCanReadUsers(ctx: RequestContext): void {
  if (!mayRead(ctx.actor, '/v1/users/:id')) assertAdmin(ctx.actor);
}

export interface CreatedUser {
  user: UserDto;
  /** The invitation link, when the user was created without a password (the CLI prints it). */
  link: string | null;
}

/** Staff users of the dashboard. Admin only (the route policy already says so; the service checks again). */
export class UsersService {
  constructor(private readonly deps: UsersDeps) {}

  async list(ctx: RequestContext, input: ListUsersInput): Promise<Page<UserDto>> {
    assertCanReadUsers(ctx);
    const limit = input.limit ?? 50;
    const after = decodeCheckedCursor(input.cursor, (c) => c.v !== null && isIsoDate(c.v) && isUuid(c.id));
    const rows = await repo.listUsers(this.deps.db, { limit, after });
    return toPage(rows, limit, presentUser, (r) => ({ v: r.created_at.toISOString(), id: r.id }));
  }

  async get(ctx: RequestContext, id: string): Promise<UserDto> {
    assertCanReadUsers(ctx);
    const row = await findUserById(this.deps.db, id);
    if (!row) throw userNotFound();
    return presentUser(row);
  }

  /** Creates a user with a password, or (without one) mails an invitation link to set it. */
  async create(ctx: RequestContext, input: CreateUserInput): Promise<CreatedUser> {
    assertAdmin(ctx.actor);
    const { clock } = this.deps;
    const email = normalizeEmail(input.email);
    const passwordHash = input.password === undefined ? null : await hashPassword(input.password);
    let mail: QueuedMail | null = null;
    const created = await this.#unique(() =>
      this.deps.db.transaction().execute(async (trx) => {
        if (await repo.findOtherUserWithEmail(trx, email, null)) throw emailTaken();
        const now = clock.now();
        const row = await repo.insertUser(trx, {
          email,
          name: input.name.trim(),
          role: input.role,
          password_hash: passwordHash,
          created_at: now,
          updated_at: now,
          last_sign_in_at: null,
        });
        const user = presentUser(row);
        await recordAudit(trx, ctx, clock, {
          action: 'user.created',
          targetType: 'user',
          targetId: row.id,
          after: user,
        });
        if (passwordHash !== null) return { user, link: null };
        const issued = await issuePasswordLink(trx, clock, row, this.deps.origin(), 'invite');
        mail = issued.mail;
        return { user, link: issued.link };
      }),
    );
    if (mail) logQueuedMail(this.deps.log, mail);
    return created;
  }

  /** Changes email, name, role or disabled; the last enabled admin keeps its role and stays enabled. */
  async update(ctx: RequestContext, id: string, input: UpdateUserInput): Promise<UserDto> {
    assertAdmin(ctx.actor);
    const { clock } = this.deps;
    return this.#unique(() =>
      this.deps.db.transaction().execute(async (trx) => {
        const admins = await repo.lockEnabledAdminIds(trx);
        const current = await findUserById(trx, id, { forUpdate: true });
        if (!current) throw userNotFound();
        const losesAdmin =
          (input.role !== undefined && input.role !== 'admin') || (input.disabled !== undefined && input.disabled);
        if (losesAdmin && isLastAdmin(admins, current)) throw lastAdmin();
        const email = input.email === undefined ? undefined : normalizeEmail(input.email);
        if (email !== undefined && (await repo.findOtherUserWithEmail(trx, email, id))) throw emailTaken();
        const now = clock.now();
        const enabling = input.disabled === false && current.disabled;
        const row = await repo.updateUser(trx, id, {
          ...(email !== undefined ? { email } : {}),
          ...(input.name !== undefined ? { name: input.name.trim() } : {}),
          ...(input.role !== undefined ? { role: input.role } : {}),
          ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
          updated_at: now,
        });
        if (input.disabled === true) await repo.deleteSessionsOf(trx, id);
        const before = presentUser(current);
        const after = presentUser(row);
        await recordAudit(trx, ctx, clock, {
          action:
            input.disabled === true && !current.disabled ? 'user.disabled' : enabling ? 'user.enabled' : 'user.updated',
          targetType: 'user',
          targetId: id,
          before,
          after,
        });
        return after;
      }),
    );
  }

  /** Deletes a user (their sessions and reset links go with them); never the last enabled admin. */
  async delete(ctx: RequestContext, id: string): Promise<void> {
    assertAdmin(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const admins = await repo.lockEnabledAdminIds(trx);
      const current = await findUserById(trx, id, { forUpdate: true });
      if (!current) throw userNotFound();
      if (isLastAdmin(admins, current)) throw lastAdmin();
      await repo.deleteUser(trx, id);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'user.deleted',
        targetType: 'user',
        targetId: id,
        before: presentUser(current),
      });
    });
  }

  /** Two concurrent writes of one email: the unique index decides; the loser gets USER_EMAIL_TAKEN, not a 500. */
  async #unique<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (err) {
      if (isUniqueViolation(err)) throw emailTaken();
      throw err;
    }
  }
}

function isLastAdmin(enabledAdminIds: string[], user: UserRow): boolean {
  return enabledAdminIds.length === 1 && enabledAdminIds[0] === user.id;
}
