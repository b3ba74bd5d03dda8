import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../staff-auth/passwords.ts';

export const UserRoleSchema = Type.Union(
  [Type.Literal('admin'), Type.Literal('account_manager'), Type.Literal('support'), Type.Literal('read_only')],
  {
    description:
      'admin: everything; account_manager: all but tokens, users, signing keys and product/plan changes; ' +
      'support: reads, +/-7 days, notes; read_only: reads',
  },
);

export const Email = Type.String({ format: 'email', maxLength: 254, examples: ['sam@example.com'] });
export const Password = Type.String({
  minLength: MIN_PASSWORD_LENGTH,
  maxLength: MAX_PASSWORD_LENGTH,
  description: `At least ${MIN_PASSWORD_LENGTH} characters`,
});
const Name = Type.String({ minLength: 1, maxLength: 200 });
const DateTime = Type.String({ format: 'date-time' });

export const User = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    role: UserRoleSchema,
    disabled: Type.Boolean(),
    createdAt: DateTime,
    updatedAt: DateTime,
    lastSignInAt: Type.Union([DateTime, Type.Null()]),
  },
  { title: 'User' },
);
export type UserDto = Static<typeof User>;

export const CreateUserBody = Type.Object(
  {
    email: Email,
    name: Name,
    role: UserRoleSchema,
    password: Type.Optional({
      ...Password,
      description: `At least ${MIN_PASSWORD_LENGTH} characters; without it the user gets a link to set one`,
    }),
  },
  { additionalProperties: false },
);
export type CreateUserInput = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    email: Type.Optional(Email),
    name: Type.Optional(Name),
    role: Type.Optional(UserRoleSchema),
    disabled: Type.Optional(Type.Boolean({ description: 'true ends the sessions of the user' })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateUserInput = Static<typeof UpdateUserBody>;

export const UserIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListUsersQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type ListUsersInput = Static<typeof ListUsersQuery>;
