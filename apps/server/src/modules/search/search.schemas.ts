import { type Static, Type } from '@sinclair/typebox';
import { LICENSE_STATUSES } from '../licenses/license-status.ts';

export const SearchQuery = Type.Object(
  {
    q: Type.Optional(
      Type.String({
        maxLength: 200,
        pattern: '^[^\\u0000]*$',
        description:
          'Text to find: account name, email domain, CRM id, contact email; license key (prefix), name, domain. ' +
          'Empty or missing: no results.',
      }),
    ),
    limit: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 20, default: 5, description: 'Most results per group (1–20)' }),
    ),
  },
  { additionalProperties: false },
);
export type SearchInput = Static<typeof SearchQuery>;

const Match = (fields: string[]) =>
  Type.Object(
    {
      field: Type.Unsafe<string>({ type: 'string', enum: fields, description: 'What matched the query' }),
      value: Type.String({ description: 'The matching text (e.g. the domain or contact email that matched)' }),
    },
    { description: 'Why this result matched' },
  );

export const AccountHit = Type.Object({
  id: Type.String({ format: 'uuid' }),
  name: Type.String(),
  crmId: Type.Union([Type.String(), Type.Null()]),
  emailDomains: Type.Array(Type.String()),
  match: Match(['name', 'crmId', 'domain', 'contactEmail']),
});

export const LicenseHit = Type.Object({
  id: Type.String({ format: 'uuid' }),
  key: Type.String(),
  name: Type.String(),
  status: Type.Unsafe<string>({ type: 'string', enum: LICENSE_STATUSES }),
  productCode: Type.String(),
  account: Type.Object({ id: Type.String({ format: 'uuid' }), name: Type.String() }),
  endsAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  match: Match(['key', 'name', 'domain']),
});

export const SearchResults = Type.Object(
  { accounts: Type.Array(AccountHit), licenses: Type.Array(LicenseHit) },
  { title: 'SearchResults' },
);
export type SearchResultsDto = Static<typeof SearchResults>;
export type AccountHitDto = Static<typeof AccountHit>;
export type LicenseHitDto = Static<typeof LicenseHit>;
