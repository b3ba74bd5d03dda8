import type { Keyward } from '../app.ts';
import { checkLicenseKey } from '../modules/licenses/license-key.ts';
import { findLicenseByKey } from '../modules/licenses/licenses.read.ts';
import type { RequestContext } from '../platform/auth/actor.ts';
import { AppError, notFound } from '../platform/errors.ts';
import type { Page } from '../platform/http/pagination.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (s: string) => UUID.test(s);

/** Every page of a list, one request of `pageSize` at a time. */
export async function* allPages<T>(
  fetch: (cursor: string | undefined) => Promise<Page<T>>,
): AsyncGenerator<T[], void, undefined> {
  let cursor: string | undefined;
  do {
    const page = await fetch(cursor);
    yield page.data;
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

/** A product by id or by code (ACME). */
export async function resolveProductId(kw: Keyward, ctx: RequestContext, ref: string): Promise<string> {
  if (isUuid(ref)) return (await kw.services.products.get(ctx, ref)).id;
  const code = ref.trim().toUpperCase();
  for await (const page of allPages((cursor) => kw.services.products.list(ctx, { q: code, limit: 500, cursor }))) {
    const hit = page.find((p) => p.code === code);
    if (hit) return hit.id;
  }
  throw notFound('PRODUCT_NOT_FOUND', `Product ${ref}`);
}

/** A plan by id or as `PRODUCTCODE/Plan name` (the name is matched case-insensitively). */
export async function resolvePlanId(kw: Keyward, ctx: RequestContext, ref: string): Promise<string> {
  if (isUuid(ref)) return (await kw.services.plans.get(ctx, ref)).id;
  const slash = ref.indexOf('/');
  if (slash < 1) {
    throw new AppError('PLAN_NOT_FOUND', 404, `Plan ${ref}: give a plan id or PRODUCTCODE/Plan name`);
  }
  const productId = await resolveProductId(kw, ctx, ref.slice(0, slash));
  const name = ref
    .slice(slash + 1)
    .trim()
    .toLowerCase();
  for await (const page of allPages((cursor) => kw.services.plans.list(ctx, { productId, limit: 500, cursor }))) {
    const hit = page.find((p) => p.name.toLowerCase() === name);
    if (hit) return hit.id;
  }
  throw notFound('PLAN_NOT_FOUND', `Plan ${ref}`);
}

/** An account by id or by CRM id. */
export async function resolveAccountId(kw: Keyward, ctx: RequestContext, ref: string): Promise<string> {
  if (isUuid(ref)) return (await kw.services.accounts.get(ctx, ref)).id;
  return (await kw.services.accounts.getByCrmId(ctx, ref)).id;
}

/** A license by id or by its key (typed the way people type keys: any case, Crockford look-alikes). */
export async function resolveLicenseId(kw: Keyward, ctx: RequestContext, ref: string): Promise<string> {
  if (isUuid(ref)) return (await kw.services.licenses.get(ctx, ref)).id;
  const check = checkLicenseKey(ref);
  if (check.kind === 'malformed') {
    throw new AppError('LICENSE_KEY_INVALID', 400, 'The key has a wrong check symbol (typo?)');
  }
  const found = await findLicenseByKey(kw.database.db, check.key);
  if (!found) throw notFound('LICENSE_NOT_FOUND', 'License');
  return found.license.id;
}
