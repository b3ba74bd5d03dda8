import { assertAdmin, assertProductVisible, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { conflict, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { decodeCheckedCursor, isIsoDate, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { presentProduct } from './products.presenter.ts';
import { findProductById } from './products.read.ts';
import * as repo from './products.repository.ts';
import type { CreateProductInput, ListProductsInput, ProductDto, UpdateProductInput } from './products.schemas.ts';

export interface ProductsDeps {
  db: Db;
  clock: Clock;
}

const productNotFound = () => notFound('PRODUCT_NOT_FOUND', 'Product');

export class ProductsService {
  constructor(private readonly deps: ProductsDeps) {}

  async create(ctx: RequestContext, input: CreateProductInput): Promise<ProductDto> {
    assertAdmin(ctx.actor);
    const now = this.deps.clock.now();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const row = await repo.insertProduct(trx, {
          code: input.code,
          name: input.name,
          description: input.description ?? '',
          created_at: now,
          updated_at: now,
        });
        const after = presentProduct(row);
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'product.created',
          targetType: 'product',
          targetId: row.id,
          productId: row.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw conflict('PRODUCT_CODE_TAKEN', `Product code ${input.code} is already used`);
      throw err;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<ProductDto> {
    const row = await findProductById(this.deps.db, id);
    if (!row) throw productNotFound();
    assertProductVisible(ctx.actor, row.id, productNotFound());
    return presentProduct(row);
  }

  async list(ctx: RequestContext, input: ListProductsInput): Promise<Page<ProductDto>> {
    const limit = input.limit ?? 50;
    const rows = await repo.listProducts(this.deps.db, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => c.v !== null && isIsoDate(c.v) && isUuid(c.id)),
      q: input.q,
      productId: productScope(ctx.actor),
    });
    return toPage(rows, limit, presentProduct, (r) => ({ v: r.created_at.toISOString(), id: r.id }));
  }

  async update(ctx: RequestContext, id: string, input: UpdateProductInput): Promise<ProductDto> {
    return this.deps.db.transaction().execute(async (trx) => {
      const current = await findProductById(trx, id);
      if (!current) throw productNotFound();
      assertProductVisible(ctx.actor, current.id, productNotFound());
      if (ctx.actor.role !== 'product') assertAdmin(ctx.actor);
      const row = await repo.updateProduct(trx, id, { ...input, updated_at: this.deps.clock.now() });
      const before = presentProduct(current);
      const after = presentProduct(row);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'product.updated',
        targetType: 'product',
        targetId: id,
        productId: id,
        before,
        after,
      });
      return after;
    });
  }

  async remove(ctx: RequestContext, id: string): Promise<void> {
    assertAdmin(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const current = await findProductById(trx, id);
      if (!current) throw productNotFound();
      if ((await repo.countProductDependents(trx, id)) > 0) {
        throw conflict('PRODUCT_IN_USE', 'Delete or move the plans and licenses of this product first');
      }
      await repo.deleteProduct(trx, id);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'product.deleted',
        targetType: 'product',
        targetId: id,
        productId: id,
        before: presentProduct(current),
      });
    });
  }
}
