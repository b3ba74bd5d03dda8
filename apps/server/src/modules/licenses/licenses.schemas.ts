import { type Static, type TSchema, type TUnsafe, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';
import { LICENSE_STATUSES } from './license-status.ts';

const Uuid = Type.String({ format: 'uuid' });
const DateTime = Type.String({ format: 'date-time' });
const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/**
 * Input schemas use one `type: [x, 'null']` (and one `enum`) instead of anyOf: with coerceTypes, an anyOf of
 * [string, null] would turn null into "" and one of [integer, null] would turn 0 into null (= unlimited).
 */
const NullableInput = <T extends TSchema & { type: string }>(schema: T) =>
  Type.Unsafe<Static<T> | null>({
    ...schema,
    type: [schema.type, 'null'],
    ...(schema.enum ? { enum: [...schema.enum, null] } : {}),
  }) as TUnsafe<Static<T> | null> & { type: [T['type'], 'null'] } & (T extends { enum: infer E extends unknown[] }
      ? { enum: [...E, null] }
      : unknown);
// The intersections keep literal `type`/`enum` in the TS type: the Fastify type provider infers from them.
const StringEnum = <const T extends string[]>(values: T, description?: string) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: values, ...(description ? { description } : {}) }) as TUnsafe<
    T[number]
  > & { type: 'string'; enum: T };

const LicenseTypeSchema = StringEnum(
  ['trial', 'subscription', 'perpetual', 'custom'],
  'trial, subscription, perpetual or custom',
);
const PaymentStatusSchema = StringEnum(['paid', 'pending', 'overdue', 'refunded', 'free']);
const StatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('active'),
  Type.Literal('expiring'),
  Type.Literal('in_grace'),
  Type.Literal('expired'),
  Type.Literal('suspended'),
  Type.Literal('revoked'),
]);

export const Domain = Type.String({
  maxLength: 253,
  pattern: '^(\\*\\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)*[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$',
  description: 'Host name, optionally with a leading `*.` wildcard',
  examples: ['app.example.com'],
});
export const EntitlementCode = Type.String({
  pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$',
  description: 'Entitlement code, e.g. SSO or feature.reports',
});
const Domains = Type.Array(Domain, { maxItems: 200 });
const Entitlements = Type.Array(EntitlementCode, { maxItems: 200 });
const Metadata = Type.Record(Type.String(), Type.Unknown(), {
  maxProperties: 100,
  description: 'Free-form JSON object (replaced as a whole on update)',
});
const Notes = Type.String({ maxLength: 10_000 });
const Name = Type.String({ maxLength: 200 });
const MaxMachines = NullableInput(
  Type.Integer({ minimum: 1, maximum: 1_000_000, description: 'Seat limit; null = unlimited' }),
);

export const BillingInput = Type.Object(
  {
    invoiceUrl: Type.Optional(NullableInput(Type.String({ format: 'uri', maxLength: 2000 }))),
    paymentStatus: Type.Optional(NullableInput(PaymentStatusSchema)),
    purchaseMethod: Type.Optional(NullableInput(Type.String({ maxLength: 200 }))),
    orderReference: Type.Optional(NullableInput(Type.String({ maxLength: 200 }))),
  },
  { additionalProperties: false },
);

export const License = Type.Object(
  {
    id: Uuid,
    key: Type.String(),
    name: Type.String(),
    product: Type.Object({ id: Uuid, code: Type.String(), name: Type.String() }),
    plan: Type.Object({ id: Uuid, name: Type.String(), expirationStrategy: Type.String() }),
    account: Type.Object({ id: Uuid, name: Type.String(), crmId: Nullable(Type.String()) }),
    licenseType: LicenseTypeSchema,
    status: StatusSchema,
    startsAt: DateTime,
    endsAt: Nullable(DateTime),
    graceEndsAt: Nullable(DateTime),
    maintenanceEndsAt: Nullable(DateTime),
    maxMachines: Nullable(Type.Integer()),
    machineCount: Type.Integer(),
    domains: Type.Array(Type.String()),
    entitlements: Type.Array(Type.String()),
    effectiveEntitlements: Type.Array(Type.String()),
    billing: Type.Object({
      invoiceUrl: Nullable(Type.String()),
      paymentStatus: Nullable(PaymentStatusSchema),
      purchaseMethod: Nullable(Type.String()),
      orderReference: Nullable(Type.String()),
    }),
    metadata: Type.Record(Type.String(), Type.Unknown()),
    notes: Type.String(),
    suspended: Type.Boolean(),
    revoked: Type.Boolean(),
    lastValidatedAt: Nullable(DateTime),
    validationCount: Type.Integer(),
    createdAt: DateTime,
    updatedAt: DateTime,
  },
  { title: 'License' },
);
export type LicenseDto = Static<typeof License>;

export const CreateLicenseBody = Type.Object(
  {
    planId: Uuid,
    accountId: Uuid,
    name: Type.Optional(Name),
    key: Type.Optional(
      Type.String({
        minLength: 8,
        maxLength: 512,
        pattern: '^[\\x21-\\x7E]([\\x20-\\x7E]*[\\x21-\\x7E])?$',
        description:
          'An imported (legacy) key: 8–512 printable ASCII characters. Omit to generate one. Not allowed with a ' +
          'product token (403: it must not learn whether another product has a key, ADR 0007).',
      }),
    ),
    licenseType: Type.Optional(LicenseTypeSchema),
    startsAt: Type.Optional(DateTime),
    endsAt: Type.Optional(NullableInput(DateTime)),
    maintenanceEndsAt: Type.Optional(NullableInput(DateTime)),
    maxMachines: Type.Optional(MaxMachines),
    domains: Type.Optional(Domains),
    entitlements: Type.Optional(Entitlements),
    billing: Type.Optional(BillingInput),
    metadata: Type.Optional(Metadata),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
);
export type CreateLicenseInput = Static<typeof CreateLicenseBody>;

export const UpdateLicenseBody = Type.Object(
  {
    name: Type.Optional(Name),
    domains: Type.Optional(Domains),
    entitlements: Type.Optional(Entitlements),
    billing: Type.Optional(BillingInput),
    metadata: Type.Optional(Metadata),
    notes: Type.Optional(Notes),
    maxMachines: Type.Optional(MaxMachines),
    startsAt: Type.Optional(DateTime),
    maintenanceEndsAt: Type.Optional(NullableInput(DateTime)),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateLicenseInput = Static<typeof UpdateLicenseBody>;

export const LicenseIdParams = Type.Object({ id: Uuid });

const STATUS_ALT = LICENSE_STATUSES.join('|');
export type LicenseSort = 'createdAt' | '-createdAt' | 'endsAt' | '-endsAt';

export const ListLicensesQuery = Type.Object(
  {
    ...PageQuery,
    status: Type.Optional(
      Type.String({
        pattern: `^(${STATUS_ALT})(,(${STATUS_ALT}))*$`,
        description: `One or more comma-separated statuses: ${LICENSE_STATUSES.join(', ')}`,
      }),
    ),
    productId: Type.Optional(Uuid),
    planId: Type.Optional(Uuid),
    accountId: Type.Optional(Uuid),
    type: Type.Optional(LicenseTypeSchema),
    expiresBefore: Type.Optional(Type.String({ format: 'date-time', description: 'End date strictly before' })),
    expiresAfter: Type.Optional(Type.String({ format: 'date-time', description: 'End date strictly after' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description: 'Search: key (exact or prefix), license name, account name, domain or account CRM id',
      }),
    ),
    sort: Type.Optional(
      StringEnum(
        ['createdAt', '-createdAt', 'endsAt', '-endsAt'],
        'createdAt, -createdAt (default), endsAt or -endsAt (nulls last); default -createdAt',
      ),
    ),
  },
  { additionalProperties: false },
);
export type ListLicensesInput = Static<typeof ListLicensesQuery>;

export const LicenseKeyQuery = Type.Object(
  {
    secretName: Type.Optional(
      Type.String({
        maxLength: 253,
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
        description: 'Kubernetes Secret name (DNS-1123 subdomain); default keyward-license',
      }),
    ),
  },
  { additionalProperties: false },
);

export const LicenseKeyResponse = Type.Object(
  {
    key: Type.String(),
    base64: Type.String({ description: 'Exact base64 of the key: no whitespace, no newline' }),
    kubernetesSecret: Type.String({ description: 'A Secret manifest (YAML)' }),
    kubectl: Type.String({ description: 'The kubectl command creating the same Secret' }),
  },
  { title: 'LicenseKey' },
);

export const ExtendBody = Type.Object(
  {
    days: Type.Integer({
      minimum: -3650,
      maximum: 3650,
      not: { const: 0 },
      description: 'Days to add to the end date (negative to shorten, e.g. -7 undoes +7); not 0',
    }),
  },
  { additionalProperties: false },
);
export const SetExpiryBody = Type.Object(
  { endsAt: NullableInput(Type.String({ format: 'date-time', description: 'New end date; null = never expires' })) },
  { additionalProperties: false },
);
export const TransferBody = Type.Object({ accountId: Uuid }, { additionalProperties: false });
