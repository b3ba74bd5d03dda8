import { productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, notFound } from '../../platform/errors.ts';
import { decodeCheckedCursor, type Page, toPage } from '../../platform/http/pagination.ts';
import { findAccountById } from '../accounts/accounts.read.ts';
import { findLicenseProductId } from '../licenses/licenses.read.ts';
import { presentAuditEvent } from './audit.presenter.ts';
import * as repo from './audit.repository.ts';
import type { AuditEventDto, ListAuditEventsInput, ScopedAuditEventsInput } from './audit.schemas.ts';
import { readableTargetTypes } from './audit-targets.ts';

export interface AuditDeps {
  db: Db;
}

const MAX_EVENT_ID = Number.MAX_SAFE_INTEGER;

/**
 * Reads the audit log. Every reader sees only events about things it may read (audit-targets.ts: events about users,
 * tokens and signing keys follow the permission of those resources), in lists, per-license and per-account
 * histories and every filter alike; product tokens only see events of their product.
 */
export class AuditService {
  constructor(private readonly deps: AuditDeps) {}

  list(ctx: RequestContext, input: ListAuditEventsInput): Promise<Page<AuditEventDto>> {
    return this.query(ctx, input);
  }

  async listForLicense(ctx: RequestContext, licenseId: string, input: ScopedAuditEventsInput) {
    const productId = await findLicenseProductId(this.deps.db, licenseId);
    const scope = productScope(ctx.actor);
    if (productId === undefined || (scope !== null && scope !== productId)) {
      throw notFound('LICENSE_NOT_FOUND', 'License');
    }
    return this.query(ctx, { ...input, licenseId });
  }

  async listForAccount(ctx: RequestContext, accountId: string, input: ScopedAuditEventsInput) {
    if (!(await findAccountById(this.deps.db, accountId))) throw notFound('ACCOUNT_NOT_FOUND', 'Account');
    return this.query(ctx, { ...input, accountId });
  }

  private async query(ctx: RequestContext, input: ListAuditEventsInput): Promise<Page<AuditEventDto>> {
    const limit = input.limit ?? 50;
    const cursor = decodeCheckedCursor(input.cursor, (c) => /^[1-9]\d{0,15}$/.test(c.id) && +c.id <= MAX_EVENT_ID);
    const from = input.from === undefined ? undefined : new Date(input.from);
    const to = input.to === undefined ? undefined : new Date(input.to);
    if (from && to && from > to) {
      throw badRequest('INVALID_RANGE', 'from must not be after to', [
        { field: '/querystring/from', message: 'must not be after to' },
      ]);
    }
    let action = input.action;
    let actionPrefix = false;
    if (action?.endsWith('*')) {
      action = action.slice(0, -1);
      actionPrefix = true;
    } else if (action?.endsWith('.')) {
      actionPrefix = true;
    }
    const rows = await repo.listAuditEvents(this.deps.db, {
      action: actionPrefix && action === '' ? undefined : action,
      actionPrefix,
      actorId: input.actorId,
      targetType: input.targetType,
      targetId: input.targetId,
      licenseId: input.licenseId,
      accountId: input.accountId,
      productId: input.productId,
      scopeProductId: productScope(ctx.actor),
      readableTargetTypes: readableTargetTypes(ctx.actor),
      from,
      to,
      beforeId: cursor ? Number(cursor.id) : null,
      limit,
    });
    return toPage(rows, limit, presentAuditEvent, (r) => ({ v: null, id: String(r.id) }));
  }
}
