import { type Static, type TUnsafe, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';

/** Text without NUL characters (PostgreSQL text and jsonb cannot hold them; they would otherwise be a 500). */
const Text = (opts: { minLength?: number; maxLength: number; description?: string; default?: string }) =>
  Type.String({ ...opts, pattern: '^[^\\u0000]*$' });

const crmIdOptions = {
  minLength: 1,
  maxLength: 128,
  pattern: '^[^\\u0000]*$',
  description: 'The id of this account in the CRM (unique: one account per CRM record)',
  examples: ['0015g00000XyZ12AAF'],
};
export const CrmId = Type.String(crmIdOptions);

/** A CRM id or null. A type list, not anyOf: ajv's coercion would turn null into '' inside an anyOf. */
const NullableCrmId = Type.Unsafe<string | null>({ ...crmIdOptions, type: ['string', 'null'] }) as TUnsafe<
  string | null
> & {
  type: ['string', 'null'];
};

export const EmailDomain = Type.String({
  maxLength: 253,
  pattern: '^([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$',
  description: 'A host name such as acme.com (stored lower-case)',
  examples: ['acme.com'],
});

export const Contact = Type.Object(
  {
    name: Text({ minLength: 1, maxLength: 200 }),
    email: Type.String({ format: 'email', maxLength: 320 }),
    role: Type.Optional(Text({ maxLength: 200, default: '', description: 'Free text, e.g. "billing"' })),
  },
  { additionalProperties: false },
);

const AccountName = Text({ minLength: 1, maxLength: 200 });
const EmailDomains = Type.Array(EmailDomain, { maxItems: 100, description: 'Lower-cased and deduplicated' });
const Contacts = Type.Array(Contact, { maxItems: 50 });
const Notes = Text({ maxLength: 10_000 });

export const Account = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    name: Type.String(),
    emailDomains: Type.Array(Type.String()),
    contacts: Type.Array(
      Type.Object({ name: Type.String(), email: Type.String(), role: Type.String() }, { additionalProperties: false }),
    ),
    crmId: Type.Union([Type.String(), Type.Null()]),
    notes: Type.String(),
    licenseCount: Type.Integer({ description: 'Licenses of this account (of the token’s product for product tokens)' }),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { title: 'Account' },
);
export type AccountDto = Static<typeof Account>;

export const CreateAccountBody = Type.Object(
  {
    name: AccountName,
    emailDomains: Type.Optional(EmailDomains),
    contacts: Type.Optional(Contacts),
    crmId: Type.Optional(NullableCrmId),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
);
export type CreateAccountInput = Static<typeof CreateAccountBody>;

export const UpdateAccountBody = Type.Object(
  {
    name: Type.Optional(AccountName),
    emailDomains: Type.Optional(EmailDomains),
    contacts: Type.Optional(Contacts),
    crmId: Type.Optional(NullableCrmId),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateAccountInput = Static<typeof UpdateAccountBody>;

/** Upsert by CRM id: the CRM id is in the path; fields left out keep their stored value on update. */
export const UpsertAccountBody = Type.Object(
  {
    name: AccountName,
    emailDomains: Type.Optional(EmailDomains),
    contacts: Type.Optional(Contacts),
    notes: Type.Optional(Notes),
  },
  { additionalProperties: false },
);
export type UpsertAccountInput = Static<typeof UpsertAccountBody>;

export const AccountIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const CrmIdParams = Type.Object({ crmId: CrmId });

export const AccountSort = Type.Unsafe<'createdAt' | '-createdAt' | 'name'>({
  type: 'string',
  enum: ['createdAt', '-createdAt', 'name'],
  default: 'createdAt',
  description: 'Sort order: createdAt (oldest first), -createdAt (newest first) or name (case-insensitive)',
}) as TUnsafe<'createdAt' | '-createdAt' | 'name'> & { type: 'string'; enum: ['createdAt', '-createdAt', 'name'] };

export const ListAccountsQuery = Type.Object(
  {
    ...PageQuery,
    q: Type.Optional(
      Text({ maxLength: 200, description: 'Search name, email domains, CRM id and contact emails (case-insensitive)' }),
    ),
    crmId: Type.Optional(CrmId),
    createdAfter: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after (inclusive)' })),
    createdBefore: Type.Optional(Type.String({ format: 'date-time', description: 'Created before (exclusive)' })),
    sort: Type.Optional(AccountSort),
  },
  { additionalProperties: false },
);
export type ListAccountsInput = Static<typeof ListAccountsQuery>;
