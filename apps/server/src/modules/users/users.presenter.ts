import type { UserRow } from '../../platform/db/schema.ts';
import type { UserDto } from './users.schemas.ts';

/** The public view of a staff user: never the password hash. */
export function presentUser(row: UserRow): UserDto {
  return {
    id: row.id,
    email: row.email,
    name: row.name,
    role: row.role,
    disabled: row.disabled,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    lastSignInAt: row.last_sign_in_at?.toISOString() ?? null,
  };
}
