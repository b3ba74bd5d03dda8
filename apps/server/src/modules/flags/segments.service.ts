import { assertCanWrite, assertProductVisible, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { conflict, isForeignKeyViolation, isUniqueViolation, notFound, unprocessable } from '../../platform/errors.ts';
import { decodeCheckedCursor, type Page, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { findProductById } from '../products/products.read.ts';
import { assertValidSegmentConstraints } from './flag-definition.ts';
import { presentSegment } from './flags.presenter.ts';
import * as repo from './flags.repository.ts';
import type { CreateSegmentInput, ListSegmentsInput, SegmentDto, UpdateSegmentInput } from './flags.schemas.ts';

export interface SegmentsDeps {
  db: Db;
  clock: Clock;
}

const segmentNotFound = () => notFound('SEGMENT_NOT_FOUND', 'Segment');

/** A segment id from a path: a positive 32-bit integer, or no segment at all (404). */
function segmentIdOf(raw: string | number): number {
  const id = typeof raw === 'number' ? raw : /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(id) || id < 1 || id > 2_147_483_647) throw segmentNotFound();
  return id;
}
const productNotFound = () =>
  unprocessable('PRODUCT_NOT_FOUND', 'The product does not exist', [
    { field: '/body/productId', message: 'is not a known product' },
  ]);
const nameTaken = (name: string) =>
  conflict('SEGMENT_NAME_TAKEN', `This product already has a segment named ${JSON.stringify(name)}`);

/** Segments: reusable constraint sets of a product's flags (Unleash segments). Every change audited. */
export class SegmentsService {
  constructor(private readonly deps: SegmentsDeps) {}

  async create(ctx: RequestContext, input: CreateSegmentInput): Promise<SegmentDto> {
    assertCanWrite(ctx.actor);
    assertValidSegmentConstraints(input.constraints);
    const now = this.deps.clock.now();
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const product = await findProductById(trx, input.productId);
        if (!product) throw productNotFound();
        assertProductVisible(ctx.actor, product.id, productNotFound());
        const row = await repo.insertSegment(trx, {
          product_id: product.id,
          name: input.name,
          description: input.description ?? '',
          constraints: JSON.stringify(input.constraints),
          created_at: now,
          updated_at: now,
        });
        const after = presentSegment({ ...row, product_code: product.code, product_name: product.name });
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'flag_segment.created',
          targetType: 'flag_segment',
          targetId: String(row.id),
          productId: product.id,
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name);
      if (isForeignKeyViolation(err)) throw productNotFound();
      throw err;
    }
  }

  async get(ctx: RequestContext, rawId: string | number): Promise<SegmentDto> {
    const row = await repo.findSegment(this.deps.db, segmentIdOf(rawId));
    if (!row) throw segmentNotFound();
    assertProductVisible(ctx.actor, row.product_id, segmentNotFound());
    return presentSegment(row);
  }

  async list(ctx: RequestContext, input: ListSegmentsInput): Promise<Page<SegmentDto>> {
    const limit = input.limit ?? 50;
    const rows = await repo.listSegments(this.deps.db, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => typeof c.v === 'string' && /^[1-9]\d{0,9}$/.test(c.id)),
      scope: productScope(ctx.actor),
      productId: input.productId,
      ...(input.q ? { q: input.q } : {}),
    });
    return toPage(rows, limit, presentSegment, (r) => ({ v: r.name, id: String(r.id) }));
  }

  /** Changes apply to every flag using the segment at once (the Unleash client API serves segments separately). */
  async update(ctx: RequestContext, rawId: string | number, input: UpdateSegmentInput): Promise<SegmentDto> {
    assertCanWrite(ctx.actor);
    const id = segmentIdOf(rawId);
    if (input.constraints) assertValidSegmentConstraints(input.constraints);
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const current = await repo.findSegmentLocked(trx, id);
        if (!current) throw segmentNotFound();
        assertProductVisible(ctx.actor, current.product_id, segmentNotFound());
        const row = await repo.updateSegment(trx, id, {
          name: input.name,
          description: input.description,
          constraints: input.constraints ? JSON.stringify(input.constraints) : undefined,
          updated_at: this.deps.clock.now(),
        });
        const after = presentSegment({
          ...row,
          product_code: current.product_code,
          product_name: current.product_name,
        });
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'flag_segment.updated',
          targetType: 'flag_segment',
          targetId: String(id),
          productId: current.product_id,
          before: presentSegment(current),
          after,
        });
        return after;
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw nameTaken(input.name ?? '');
      throw err;
    }
  }

  /** Deletes a segment no strategy references (409 SEGMENT_IN_USE with the flags that do). */
  async remove(ctx: RequestContext, rawId: string | number): Promise<void> {
    assertCanWrite(ctx.actor);
    const id = segmentIdOf(rawId);
    await this.deps.db.transaction().execute(async (trx) => {
      // Locked for update: flags written meanwhile lock the product's segments for share and wait.
      const current = await repo.findSegmentLocked(trx, id);
      if (!current) throw segmentNotFound();
      assertProductVisible(ctx.actor, current.product_id, segmentNotFound());
      const users = await repo.flagsUsingSegment(trx, current.product_id, id);
      if (users.length > 0) {
        throw conflict(
          'SEGMENT_IN_USE',
          `The segment ${JSON.stringify(current.name)} is used by ${users.length === 1 ? 'the flag' : 'the flags'} ` +
            `${users.slice(0, 10).join(', ')}; remove it from their strategies first`,
        );
      }
      await repo.deleteSegment(trx, id);
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'flag_segment.deleted',
        targetType: 'flag_segment',
        targetId: String(id),
        productId: current.product_id,
        before: presentSegment(current),
      });
    });
  }
}
