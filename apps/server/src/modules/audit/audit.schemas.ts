import { type Static, Type } from '@sinclair/typebox';

const Uuid = Type.String({ format: 'uuid' });
const NullableUuid = Type.Union([Uuid, Type.Null()]);

export const AuditEvent = Type.Object(
  {
    id: Type.String({ description: 'Monotonic event id (a bigint, as a string)' }),
    at: Type.String({ format: 'date-time' }),
    actor: Type.Object({
      type: Type.String({ description: 'token:admin, token:read-only, token:product, system or license' }),
      id: Type.Union([Type.String(), Type.Null()]),
      name: Type.String(),
    }),
    action: Type.String({ examples: ['license.created'] }),
    target: Type.Object({ type: Type.String(), id: Type.String() }),
    productId: NullableUuid,
    accountId: NullableUuid,
    licenseId: NullableUuid,
    before: Type.Unknown({ description: 'The target before the change (null for creations)' }),
    after: Type.Unknown({ description: 'The target after the change (null for deletions)' }),
    requestId: Type.Union([Type.String(), Type.Null()]),
  },
  { title: 'AuditEvent' },
);
export type AuditEventDto = Static<typeof AuditEvent>;

const AuditPageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Page size (1–500)' })),
  cursor: Type.Optional(Type.String({ maxLength: 1000, description: 'The nextCursor of the previous page' })),
  action: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: 200,
      description: "An exact action (license.renewed) or, ending in '.' or '*', a prefix (license. or license*)",
    }),
  ),
  actorId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  targetType: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  targetId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  productId: Type.Optional(Uuid),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Events at or after this time' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Events before this time' })),
};

export const ListAuditEventsQuery = Type.Object(
  { ...AuditPageQuery, licenseId: Type.Optional(Uuid), accountId: Type.Optional(Uuid) },
  { additionalProperties: false },
);
export type ListAuditEventsInput = Static<typeof ListAuditEventsQuery>;

/** The query of the per-license / per-account lists: the same filters but the one fixed by the path. */
export const ScopedAuditEventsQuery = Type.Object(AuditPageQuery, { additionalProperties: false });
export type ScopedAuditEventsInput = Static<typeof ScopedAuditEventsQuery>;

export const AuditOwnerParams = Type.Object({ id: Uuid });
