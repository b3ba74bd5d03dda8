import type { ApiTokenRow } from '../../platform/db/schema.ts';
import type { TokenDto } from './tokens.schemas.ts';

/** The public view of a token: never its secret nor its hash. */
export function presentToken(row: ApiTokenRow): TokenDto {
  return {
    id: row.id,
    name: row.name,
    role: row.role,
    productId: row.product_id,
    prefix: row.token_prefix,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
    revokedAt: row.revoked_at?.toISOString() ?? null,
  };
}
