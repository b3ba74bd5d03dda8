import { assertAdmin, type RequestContext } from '../../platform/auth/actor.ts';
import { mayRead } from '../../platform/auth/permissions.ts';
import { generateTokenSecret, hashTokenSecret, tokenDisplayPrefix } from '../../platform/auth/token-secret.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, conflict, forbidden, notFound, unprocessable } from '../../platform/errors.ts';
import { decodeCheckedCursor, isIsoDate, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { findProductById } from '../products/products.read.ts';
import { presentToken } from './tokens.presenter.ts';
import * as repo from './tokens.repository.ts';
import type { CreatedTokenDto, CreateTokenInput, ListTokensInput, TokenDto } from './tokens.schemas.ts';

export interface TokensDeps {
  db: Db;
  clock: Clock;
}

const tokenNotFound = () => notFound('TOKEN_NOT_FOUND', 'API token');

/**
 * Token metadata (never secrets) may be read by admin and read-only tokens and admin users; product tokens see none
 * of it (the policy: platform/auth/permissions.ts).
 */
function assertCanReadTokens(ctx: RequestContext): void {
  if (!mayRead(ctx.actor, '/v1/tokens/:id')) throw forbidden('Only admin tokens may do this');
}

/**
 * API token management. Admin only for changes. Also used by the CLI (`keyward tokens create`) with a system
 * context: `tokens.create(systemContext('cli'), { name, role })`.
 */
export class TokensService {
  constructor(private readonly deps: TokensDeps) {}

  async create(ctx: RequestContext, input: CreateTokenInput): Promise<CreatedTokenDto> {
    assertAdmin(ctx.actor);
    const now = this.deps.clock.now();
    const productId = input.productId ?? null;
    const scoped = input.role === 'product' || input.role === 'client';
    if (scoped && productId === null) {
      throw new AppError('VALIDATION_FAILED', 400, `A ${input.role} token needs a productId`, [
        { field: '/body/productId', message: `is required when role is ${input.role}` },
      ]);
    }
    if (!scoped && productId !== null) {
      throw new AppError('VALIDATION_FAILED', 400, 'Only product and client tokens have a productId', [
        { field: '/body/productId', message: 'is only allowed when role is product or client' },
      ]);
    }
    let expiresAt: Date | null = null;
    if (input.expiresAt !== undefined) {
      expiresAt = new Date(input.expiresAt);
      if (Number.isNaN(expiresAt.getTime()) || expiresAt <= now) {
        throw new AppError('VALIDATION_FAILED', 400, 'expiresAt must be a date in the future', [
          { field: '/body/expiresAt', message: 'must be in the future' },
        ]);
      }
    }
    const secret = generateTokenSecret();
    return this.deps.db.transaction().execute(async (trx) => {
      if (productId !== null && !(await findProductById(trx, productId))) {
        throw unprocessable('PRODUCT_NOT_FOUND', 'The product does not exist', [
          { field: '/body/productId', message: 'is not a known product' },
        ]);
      }
      const row = await repo.insertToken(trx, {
        name: input.name,
        role: input.role,
        product_id: productId,
        token_hash: hashTokenSecret(secret),
        token_prefix: tokenDisplayPrefix(secret),
        created_at: now,
        expires_at: expiresAt,
      });
      const token = presentToken(row);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'token.created',
        targetType: 'token',
        targetId: row.id,
        productId,
        after: token,
      });
      return { token, secret };
    });
  }

  async get(ctx: RequestContext, id: string): Promise<TokenDto> {
    assertCanReadTokens(ctx);
    const row = await repo.findTokenById(this.deps.db, id);
    if (!row) throw tokenNotFound();
    return presentToken(row);
  }

  async list(ctx: RequestContext, input: ListTokensInput): Promise<Page<TokenDto>> {
    assertCanReadTokens(ctx);
    const limit = input.limit ?? 50;
    const after = decodeCheckedCursor(input.cursor, (c) => c.v !== null && isIsoDate(c.v) && isUuid(c.id));
    const rows = await repo.listTokens(this.deps.db, { limit, after, includeRevoked: input.includeRevoked ?? true });
    return toPage(rows, limit, presentToken, (r) => ({ v: r.created_at.toISOString(), id: r.id }));
  }

  /** Revokes a token: it stops authenticating at once. Idempotent; refuses to revoke the last working admin token. */
  async revoke(ctx: RequestContext, id: string): Promise<TokenDto> {
    assertAdmin(ctx.actor);
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const activeAdmins = await repo.lockActiveAdminTokenIds(trx, now);
      const current = await repo.findTokenById(trx, id);
      if (!current) throw tokenNotFound();
      if (current.revoked_at) return presentToken(current);
      if (activeAdmins.length === 1 && activeAdmins[0] === id) {
        throw conflict('TOKEN_LAST_ADMIN', 'This is the last working admin token; create another admin token first');
      }
      const row = await repo.revokeToken(trx, id, now);
      const before = presentToken(current);
      const after = presentToken(row);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'token.revoked',
        targetType: 'token',
        targetId: id,
        productId: row.product_id,
        before,
        after,
      });
      return after;
    });
  }
}
