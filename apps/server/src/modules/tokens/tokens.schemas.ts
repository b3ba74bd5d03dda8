import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';

export const TokenRoleSchema = Type.Union(
  [Type.Literal('admin'), Type.Literal('read-only'), Type.Literal('product'), Type.Literal('client')],
  {
    description:
      'admin: everything; read-only: every GET; product: confined to one product (reads and creates accounts, ' +
      "changes only accounts no other product has licenses in, cannot choose license keys: ADR 0007); client: reads one product's " +
      'feature flags through the Unleash client API (/api/client/*) only',
  },
);

export const Token = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    role: TokenRoleSchema,
    productId: Type.Union([Type.String({ format: 'uuid' }), Type.Null()]),
    prefix: Type.String({ description: 'First characters of the secret, to recognise a token' }),
    createdAt: Type.String({ format: 'date-time' }),
    expiresAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    lastUsedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    revokedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  },
  { title: 'ApiToken' },
);
export type TokenDto = Static<typeof Token>;

export const CreatedToken = Type.Object(
  {
    token: Token,
    secret: Type.String({ description: 'The bearer secret. Shown only in this response; store it now.' }),
  },
  { title: 'CreatedApiToken' },
);
export type CreatedTokenDto = Static<typeof CreatedToken>;

export const CreateTokenBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    role: TokenRoleSchema,
    productId: Type.Optional(
      Type.String({ format: 'uuid', description: 'Required when role is product or client; not allowed otherwise' }),
    ),
    expiresAt: Type.Optional(Type.String({ format: 'date-time', description: 'Must be in the future' })),
  },
  { additionalProperties: false },
);
export type CreateTokenInput = Static<typeof CreateTokenBody>;

export const TokenIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListTokensQuery = Type.Object(
  {
    ...PageQuery,
    includeRevoked: Type.Optional(Type.Boolean({ default: true, description: 'Include revoked tokens' })),
  },
  { additionalProperties: false },
);
export type ListTokensInput = Static<typeof ListTokensQuery>;
