import type { FeatureDefinition } from '@keyward/sdk/flags';
import { assertCanWrite, assertProductVisible, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { conflict, isForeignKeyViolation, isUniqueViolation, notFound, unprocessable } from '../../platform/errors.ts';
import { decodeCheckedCursor, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { type AuditEntry, recordAudit, recordAuditMany } from '../audit/audit.write.ts';
import { findProductById } from '../products/products.read.ts';
import { assertValidFlag } from './flag-definition.ts';
import { featureOf, presentFlag, presentToggle } from './flags.presenter.ts';
import * as repo from './flags.repository.ts';
import type { CreateFlagInput, FlagDto, ListFlagsInput, UpdateFlagInput } from './flags.schemas.ts';
import * as toggles from './toggles.repository.ts';

export interface FlagsDeps {
  db: Db;
  clock: Clock;
}

export const flagNotFound = () => notFound('FLAG_NOT_FOUND', 'Flag');
const productNotFound = () =>
  unprocessable('PRODUCT_NOT_FOUND', 'The product does not exist', [
    { field: '/body/productId', message: 'is not a known product' },
  ]);
const keyTaken = (key: string) => conflict('FLAG_KEY_TAKEN', `This product already has a flag named ${key}`);

const json = (v: unknown) => JSON.stringify(v ?? []);

/** Feature flags of a product (docs/feature-flags.md): CRUD, validated by the engine, every change audited. */
export class FlagsService {
  constructor(private readonly deps: FlagsDeps) {}

  async create(ctx: RequestContext, input: CreateFlagInput): Promise<FlagDto> {
    assertCanWrite(ctx.actor);
    const now = this.deps.clock.now();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const product = await findProductById(trx, input.productId);
        if (!product) throw productNotFound();
        assertProductVisible(ctx.actor, product.id, productNotFound());
        const def: FeatureDefinition = {
          name: input.key,
          enabled: input.enabled ?? false,
          type: input.type ?? 'release',
          description: input.description ?? '',
          impressionData: input.impressionData ?? false,
          strategies: (input.strategies ?? []) as FeatureDefinition['strategies'],
          variants: (input.variants ?? []) as FeatureDefinition['variants'],
          dependencies: input.dependencies ?? [],
        };
        await assertValidFlag(trx, def, { productId: product.id, flagKey: input.key, isNew: true });
        const row = await repo.insertFlag(trx, {
          product_id: product.id,
          key: input.key,
          description: def.description ?? '',
          type: input.type ?? 'release',
          enabled: def.enabled,
          strategies: json(def.strategies),
          variants: json(def.variants),
          dependencies: json(def.dependencies),
          impression_data: def.impressionData ?? false,
          created_at: now,
          updated_at: now,
        });
        const after = presentFlag({ ...row, product_code: product.code, product_name: product.name });
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'flag.created',
          targetType: 'flag',
          targetId: row.id,
          productId: product.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw keyTaken(input.key);
      if (isForeignKeyViolation(err)) throw productNotFound();
      throw err;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<FlagDto> {
    const row = await repo.findFlag(this.deps.db, id);
    if (!row) throw flagNotFound();
    assertProductVisible(ctx.actor, row.product_id, flagNotFound());
    return presentFlag(row);
  }

  async list(ctx: RequestContext, input: ListFlagsInput): Promise<Page<FlagDto>> {
    const limit = input.limit ?? 50;
    const rows = await repo.listFlags(this.deps.db, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => typeof c.v === 'string' && isUuid(c.id)),
      scope: productScope(ctx.actor),
      productId: input.productId,
      type: input.type,
      enabled: input.enabled,
      q: input.q,
    });
    return toPage(rows, limit, presentFlag, (r) => ({ v: r.key, id: r.id }));
  }

  async update(ctx: RequestContext, id: string, input: UpdateFlagInput): Promise<FlagDto> {
    assertCanWrite(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await repo.findFlagLocked(trx, id, 'update');
      if (!current) throw flagNotFound();
      assertProductVisible(ctx.actor, current.product_id, flagNotFound());
      const before = featureOf(current);
      const def: FeatureDefinition = {
        ...before,
        enabled: input.enabled ?? before.enabled,
        type: input.type ?? before.type,
        description: input.description ?? before.description,
        impressionData: input.impressionData ?? before.impressionData,
        strategies: (input.strategies ?? before.strategies) as FeatureDefinition['strategies'],
        variants: (input.variants ?? before.variants) as FeatureDefinition['variants'],
        dependencies: input.dependencies ?? before.dependencies,
      };
      await assertValidFlag(trx, def, { productId: current.product_id, flagKey: current.key, isNew: false });
      const row = await repo.updateFlag(trx, id, {
        description: def.description,
        type: input.type,
        enabled: def.enabled,
        strategies: json(def.strategies),
        variants: json(def.variants),
        dependencies: json(def.dependencies),
        impression_data: def.impressionData,
        updated_at: this.deps.clock.now(),
      });
      const after = presentFlag({ ...row, product_code: current.product_code, product_name: current.product_name });
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'flag.updated',
        targetType: 'flag',
        targetId: id,
        productId: current.product_id,
        before: presentFlag(current),
        after,
      });
      return after;
    });
  }

  /**
   * Deletes a flag. Other flags depending on it always block (409 FLAG_IN_USE: change them first); per-customer
   * toggles block unless `force`, which removes them too — each removal audited for its customer.
   */
  async remove(ctx: RequestContext, id: string, force = false): Promise<void> {
    assertCanWrite(ctx.actor);
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const current = await repo.findFlagLocked(trx, id, 'update');
        if (!current) throw flagNotFound();
        assertProductVisible(ctx.actor, current.product_id, flagNotFound());
        const dependents = await repo.dependentsOf(trx, current.product_id, current.key);
        if (dependents.length > 0) {
          throw conflict(
            'FLAG_IN_USE',
            `Flags depend on ${current.key}: ${dependents.slice(0, 10).join(', ')}; remove those dependencies first`,
          );
        }
        const toggleCount = await toggles.countToggles(trx, id);
        if (toggleCount > 0 && !force) {
          throw conflict(
            'FLAG_IN_USE',
            `${current.key} is switched on or off for ${toggleCount} customer${toggleCount === 1 ? '' : 's'}; ` +
              'remove those toggles or delete with ?force=true to remove them too',
          );
        }
        const removed = toggleCount > 0 ? await toggles.deleteTogglesOf(trx, id) : [];
        await repo.deleteFlag(trx, id);
        const flag = presentFlag(current);
        const events: AuditEntry[] = removed.map((t) => ({
          action: 'flag.toggle_removed',
          targetType: 'flag',
          targetId: id,
          productId: current.product_id,
          accountId: t.account_id,
          licenseId: t.scope === 'license' ? t.target_id : null,
          before: presentToggle(t, current.key),
          after: { removedWith: `flag ${current.key} (deleted with force)` },
        }));
        events.push({
          action: 'flag.deleted',
          targetType: 'flag',
          targetId: id,
          productId: current.product_id,
          before: flag,
          ...(removed.length > 0 ? { after: { force: true, removedToggles: removed.length } } : {}),
        });
        await recordAuditMany(trx, ctx, this.deps.clock, events);
      });
    } catch (err) {
      // A toggle was added between the count and the delete (flag_toggles.flag_id is ON DELETE RESTRICT).
      if (isForeignKeyViolation(err)) throw conflict('FLAG_IN_USE', 'The flag was just toggled for a customer; retry');
      throw err;
    }
  }
}
