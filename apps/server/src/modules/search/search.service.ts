import { productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import * as repo from './search.repository.ts';
import type { SearchInput, SearchResultsDto } from './search.schemas.ts';

export interface SearchDeps {
  db: Db;
  clock: Clock;
  expiringWindowDays: number;
}

/**
 * The dashboard's global search. Accounts are shared customer records (every token sees them, as in
 * GET /v1/accounts); licenses are confined to a product token's product.
 */
export class SearchService {
  constructor(private readonly deps: SearchDeps) {}

  async search(ctx: RequestContext, input: SearchInput): Promise<SearchResultsDto> {
    const text = (input.q ?? '').trim();
    if (!text) return { accounts: [], licenses: [] };
    const limit = input.limit ?? 5;
    const { db, clock, expiringWindowDays } = this.deps;
    const [accounts, licenses] = await Promise.all([
      repo.searchAccounts(db, text, limit),
      repo.searchLicenses(db, text, limit, { now: clock.now(), expiringWindowDays, scope: productScope(ctx.actor) }),
    ]);
    return {
      accounts: accounts.map((a) => ({
        id: a.id,
        name: a.name,
        crmId: a.crm_id,
        emailDomains: a.email_domains,
        match: { field: a.match_field, value: a.match_value },
      })),
      licenses: licenses.map((l) => ({
        id: l.id,
        key: l.key,
        name: l.name,
        status: l.status,
        productCode: l.product_code,
        account: { id: l.account_id, name: l.account_name },
        endsAt: l.ends_at ? new Date(l.ends_at).toISOString() : null,
        match: { field: l.match_field, value: l.match_value },
      })),
    };
  }
}
