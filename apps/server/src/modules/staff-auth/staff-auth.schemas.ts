import { type Static, Type } from '@sinclair/typebox';
import { Email, Password, UserRoleSchema } from '../users/users.schemas.ts';
import { MAX_PASSWORD_LENGTH } from './passwords.ts';

export const SessionUser = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    email: Type.String(),
    name: Type.String(),
    role: UserRoleSchema,
  },
  { title: 'SessionUser' },
);
export type SessionUserDto = Static<typeof SessionUser>;

export const Session = Type.Object(
  {
    user: SessionUser,
    csrfToken: Type.String({
      description: 'Send it as the x-csrf-token header with every cookie-authenticated change (POST/PATCH/DELETE)',
    }),
  },
  { title: 'Session' },
);
export type SessionDto = Static<typeof Session>;

export const SignInBody = Type.Object(
  {
    email: Email,
    // Any length up to the bound: a short password must still get INVALID_CREDENTIALS, not a hint.
    password: Type.String({ minLength: 1, maxLength: MAX_PASSWORD_LENGTH }),
  },
  { additionalProperties: false },
);

export const PasswordResetBody = Type.Object({ email: Email }, { additionalProperties: false });

export const PasswordResetConfirmBody = Type.Object(
  {
    token: Type.String({ minLength: 1, maxLength: 200, description: 'The token of the link in the mail' }),
    password: Password,
  },
  { additionalProperties: false },
);

export const Accepted = Type.Object({ accepted: Type.Literal(true) });
