import { assertCanWrite, assertProductVisible, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { notFound, unprocessable } from '../../platform/errors.ts';
import { decodeCheckedCursor, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { findAccountById } from '../accounts/accounts.read.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { presentToggle } from './flags.presenter.ts';
import * as repo from './flags.repository.ts';
import { flagNotFound } from './flags.service.ts';
import * as toggles from './toggles.repository.ts';
import type { ListTogglesInput, PutToggleInput, ToggleDto, ToggleParamsInput } from './toggles.schemas.ts';

export interface TogglesDeps {
  db: Db;
  clock: Clock;
}

const toggleNotFound = () => notFound('FLAG_TOGGLE_NOT_FOUND', 'Toggle');
const licenseNotFound = () => notFound('LICENSE_NOT_FOUND', 'License');
const accountNotFound = () => notFound('ACCOUNT_NOT_FOUND', 'Account');

/**
 * The account team's switch: a flag forced on or off for one account or one license (docs/feature-flags.md,
 * "Per-customer toggles"). One row per flag, scope and target; each change bumps the flag's version (so SDKs
 * polling the Unleash client API see it) and is audited with the customer's account and license.
 */
export class TogglesService {
  constructor(private readonly deps: TogglesDeps) {}

  async put(ctx: RequestContext, params: ToggleParamsInput, input: PutToggleInput): Promise<ToggleDto> {
    assertCanWrite(ctx.actor);
    const now = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx) => {
      const flag = await repo.findFlagLocked(trx, params.id, 'update');
      if (!flag) throw flagNotFound();
      assertProductVisible(ctx.actor, flag.product_id, flagNotFound());
      const target = await this.#target(trx, ctx, flag.product_id, params);
      const before = await toggles.findToggle(trx, flag.id, params.scope, params.targetId);
      const row = await toggles.upsertToggle(trx, {
        flag_id: flag.id,
        scope: params.scope,
        target_id: params.targetId,
        enabled: input.enabled,
        reason: input.reason ?? '',
        author_id: ctx.actor.id,
        author_name: ctx.actor.name,
        created_at: now,
        updated_at: now,
      });
      await repo.updateFlag(trx, flag.id, { updated_at: now });
      const withTarget = { ...row, target_name: target.name, account_id: target.accountId };
      const after = presentToggle(withTarget, flag.key);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'flag.toggled',
        targetType: 'flag',
        targetId: flag.id,
        productId: flag.product_id,
        accountId: target.accountId,
        licenseId: params.scope === 'license' ? params.targetId : null,
        ...(before
          ? { before: presentToggle({ ...before, target_name: target.name, account_id: target.accountId }, flag.key) }
          : {}),
        after,
      });
      return after;
    });
  }

  async remove(ctx: RequestContext, params: ToggleParamsInput): Promise<void> {
    assertCanWrite(ctx.actor);
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      const flag = await repo.findFlagLocked(trx, params.id, 'update');
      if (!flag) throw flagNotFound();
      assertProductVisible(ctx.actor, flag.product_id, flagNotFound());
      const row = await toggles.deleteToggle(trx, flag.id, params.scope, params.targetId);
      if (!row) throw toggleNotFound();
      await repo.updateFlag(trx, flag.id, { updated_at: now });
      const target = await this.#targetIfAny(trx, params);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'flag.toggle_removed',
        targetType: 'flag',
        targetId: flag.id,
        productId: flag.product_id,
        accountId: target.accountId,
        licenseId: params.scope === 'license' ? params.targetId : null,
        before: presentToggle({ ...row, target_name: target.name, account_id: target.accountId }, flag.key),
      });
    });
  }

  async list(ctx: RequestContext, flagId: string, input: ListTogglesInput): Promise<Page<ToggleDto>> {
    const flag = await repo.findFlag(this.deps.db, flagId);
    if (!flag) throw flagNotFound();
    assertProductVisible(ctx.actor, flag.product_id, flagNotFound());
    const limit = input.limit ?? 50;
    const rows = await toggles.listToggles(this.deps.db, flag.id, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => (c.v === 'account' || c.v === 'license') && isUuid(c.id)),
      scope: input.scope,
      enabled: input.enabled,
    });
    return toPage(
      rows,
      limit,
      (r) => presentToggle(r, flag.key),
      (r) => ({ v: r.scope, id: r.target_id }),
    );
  }

  /** The toggle's target must exist: a license of the flag's product, or an account. */
  async #target(trx: Db, ctx: RequestContext, productId: string, params: ToggleParamsInput) {
    if (params.scope === 'account') {
      const account = await findAccountById(trx, params.targetId);
      if (!account) throw accountNotFound();
      return { name: account.name as string | null, accountId: account.id as string | null };
    }
    const license = await toggles.findLicenseTarget(trx, params.targetId);
    if (!license) throw licenseNotFound();
    assertProductVisible(ctx.actor, license.product_id, licenseNotFound());
    if (license.product_id !== productId) {
      throw unprocessable('TOGGLE_TARGET_PRODUCT_MISMATCH', "The license is of another product than the flag's", [
        { field: '/params/targetId', message: "is a license of another product than the flag's" },
      ]);
    }
    return { name: license.label as string | null, accountId: license.account_id as string | null };
  }

  /** The target's name and account for the audit of a removal (the target may be gone by now). */
  async #targetIfAny(trx: Db, params: ToggleParamsInput) {
    if (params.scope === 'account') {
      const account = await findAccountById(trx, params.targetId);
      return { name: account?.name ?? null, accountId: account?.id ?? params.targetId };
    }
    const license = await toggles.findLicenseTarget(trx, params.targetId);
    return { name: license?.label ?? null, accountId: license?.account_id ?? null };
  }
}
