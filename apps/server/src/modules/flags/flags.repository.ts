import { type Insertable, type Selectable, sql, type Updateable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { FlagSegmentsTable, FlagsTable, FlagType } from '../../platform/db/schema.ts';
import type { Cursor } from '../../platform/http/pagination.ts';

export type FlagRow = Selectable<FlagsTable>;
export type FlagWithProduct = FlagRow & { product_code: string; product_name: string };
export type SegmentRow = Selectable<FlagSegmentsTable>;
export type SegmentWithProduct = SegmentRow & { product_code: string; product_name: string };

const likeOf = (q: string) => `%${q.replace(/[\\%_]/g, '\\$&')}%`;

function selectFlags(db: Db) {
  return db
    .selectFrom('flags')
    .innerJoin('products', 'products.id', 'flags.product_id')
    .selectAll('flags')
    .select(['products.code as product_code', 'products.name as product_name']);
}

export function findFlag(db: Db, id: string): Promise<FlagWithProduct | undefined> {
  return selectFlags(db).where('flags.id', '=', id).executeTakeFirst();
}

/** `update` for changes of the flag or its toggles (serialises them), `share` for flags read as parents. */
export function findFlagLocked(db: Db, id: string, mode: 'update' | 'share'): Promise<FlagWithProduct | undefined> {
  const query = selectFlags(db).where('flags.id', '=', id);
  return (mode === 'update' ? query.forUpdate('flags') : query.forShare('flags')).executeTakeFirst();
}

/** Flags of a product by key, locked for share (parents named by dependencies must not change meanwhile). */
export function findFlagsByKeysLocked(db: Db, productId: string, keys: string[]) {
  if (keys.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('flags')
    .select(['id', 'key', 'dependencies'])
    .where('product_id', '=', productId)
    .where('key', 'in', keys)
    .forShare()
    .execute();
}

/** Keys of the flags of the product that depend on `key` (their dependencies name it). */
export async function dependentsOf(db: Db, productId: string, key: string): Promise<string[]> {
  const rows = await db
    .selectFrom('flags')
    .select('key')
    .where('product_id', '=', productId)
    .where(sql<boolean>`dependencies @> ${JSON.stringify([{ feature: key }])}::jsonb`)
    .orderBy('key')
    .execute();
  return rows.map((r) => r.key);
}

export function insertFlag(db: Db, values: Insertable<FlagsTable>): Promise<FlagRow> {
  return db.insertInto('flags').values(values).returningAll().executeTakeFirstOrThrow();
}

/** Every change bumps the version (the ETag of the Unleash client API and the engine cache depend on it). */
export function updateFlag(db: Db, id: string, values: Updateable<FlagsTable>): Promise<FlagRow> {
  return db
    .updateTable('flags')
    .set({ ...values, version: sql<number>`version + 1` })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteFlag(db: Db, id: string): Promise<void> {
  await db.deleteFrom('flags').where('id', '=', id).execute();
}

/** Flags in (key, id) order after the cursor (v = key). */
export function listFlags(
  db: Db,
  opts: {
    limit: number;
    after: Cursor | null;
    scope: string | null;
    productId?: string | undefined;
    type?: FlagType | undefined;
    enabled?: boolean | undefined;
    q?: string | undefined;
  },
): Promise<FlagWithProduct[]> {
  let query = selectFlags(db)
    .orderBy('flags.key')
    .orderBy('flags.id')
    .limit(opts.limit + 1);
  if (opts.scope) query = query.where('flags.product_id', '=', opts.scope);
  if (opts.productId) query = query.where('flags.product_id', '=', opts.productId);
  if (opts.type) query = query.where('flags.type', '=', opts.type);
  if (opts.enabled !== undefined) query = query.where('flags.enabled', '=', opts.enabled);
  if (opts.q) {
    const like = likeOf(opts.q);
    query = query.where((eb) => eb.or([eb('flags.key', 'ilike', like), eb('flags.description', 'ilike', like)]));
  }
  if (opts.after?.v) {
    query = query.where(
      sql<boolean>`(${sql.ref('flags.key')}, ${sql.ref('flags.id')}) > (${opts.after.v}, ${opts.after.id}::uuid)`,
    );
  }
  return query.execute();
}

/** Every flag of a product in key order (the engine's input). */
export function productFlags(db: Db, productId: string): Promise<FlagRow[]> {
  return db.selectFrom('flags').selectAll().where('product_id', '=', productId).orderBy('key').execute();
}

/**
 * A fingerprint of a product's flags and segments that changes with any of them: flag ids with their versions
 * (bumped on every change, toggles included) and segment ids with their contents. One cheap query; the engine
 * cache and the Unleash ETag compare it, so no process relies on what it saw before.
 */
export async function productStamp(db: Db, productId: string): Promise<string> {
  const result = await sql<{ flags: string | null; segments: string | null }>`
    SELECT
      (SELECT count(*)::text || '.' || md5(string_agg(id::text || ':' || version::text, ',' ORDER BY id))
         FROM flags WHERE product_id = ${productId}) AS flags,
      (SELECT count(*)::text || '.' || md5(string_agg(id::text || ':' || name || ':' || constraints::text, ','
              ORDER BY id))
         FROM flag_segments WHERE product_id = ${productId}) AS segments
  `.execute(db);
  const row = result.rows[0];
  return `${row?.flags ?? '0'}/${row?.segments ?? '0'}`;
}

// Segments

function selectSegments(db: Db) {
  return db
    .selectFrom('flag_segments')
    .innerJoin('products', 'products.id', 'flag_segments.product_id')
    .selectAll('flag_segments')
    .select(['products.code as product_code', 'products.name as product_name']);
}

export function findSegment(db: Db, id: number): Promise<SegmentWithProduct | undefined> {
  return selectSegments(db).where('flag_segments.id', '=', id).executeTakeFirst();
}

export function findSegmentLocked(db: Db, id: number): Promise<SegmentWithProduct | undefined> {
  return selectSegments(db).where('flag_segments.id', '=', id).forUpdate('flag_segments').executeTakeFirst();
}

/** The ids of a product's segments, locked for share while a flag referencing them is written. */
export async function segmentIdsOf(db: Db, productId: string): Promise<number[]> {
  const rows = await db
    .selectFrom('flag_segments')
    .select('id')
    .where('product_id', '=', productId)
    .forShare()
    .execute();
  return rows.map((r) => r.id);
}

export function productSegments(db: Db, productId: string): Promise<SegmentRow[]> {
  return db.selectFrom('flag_segments').selectAll().where('product_id', '=', productId).orderBy('id').execute();
}

export function insertSegment(db: Db, values: Insertable<FlagSegmentsTable>): Promise<SegmentRow> {
  return db.insertInto('flag_segments').values(values).returningAll().executeTakeFirstOrThrow();
}

export function updateSegment(db: Db, id: number, values: Updateable<FlagSegmentsTable>): Promise<SegmentRow> {
  return db.updateTable('flag_segments').set(values).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export async function deleteSegment(db: Db, id: number): Promise<void> {
  await db.deleteFrom('flag_segments').where('id', '=', id).execute();
}

/** Keys of the product's flags with a strategy that references the segment. */
export async function flagsUsingSegment(db: Db, productId: string, segmentId: number): Promise<string[]> {
  const rows = await sql<{ key: string }>`
    SELECT f.key FROM flags f
     WHERE f.product_id = ${productId}
       AND EXISTS (SELECT 1 FROM jsonb_array_elements(f.strategies) s
                    WHERE jsonb_typeof(s->'segments') = 'array' AND s->'segments' @> to_jsonb(${segmentId}::int))
     ORDER BY f.key
  `.execute(db);
  return rows.rows.map((r) => r.key);
}

/** Segments in (name, id) order after the cursor (v = name, id = the integer id as text). */
export function listSegments(
  db: Db,
  opts: { limit: number; after: Cursor | null; scope: string | null; productId?: string | undefined; q?: string },
): Promise<SegmentWithProduct[]> {
  let query = selectSegments(db)
    .orderBy('flag_segments.name')
    .orderBy('flag_segments.id')
    .limit(opts.limit + 1);
  if (opts.scope) query = query.where('flag_segments.product_id', '=', opts.scope);
  if (opts.productId) query = query.where('flag_segments.product_id', '=', opts.productId);
  if (opts.q) query = query.where('flag_segments.name', 'ilike', likeOf(opts.q));
  if (opts.after?.v) {
    query = query.where(
      sql<boolean>`(${sql.ref('flag_segments.name')}, ${sql.ref('flag_segments.id')}) > (${opts.after.v}, ${Number(opts.after.id)}::int)`,
    );
  }
  return query.execute();
}
