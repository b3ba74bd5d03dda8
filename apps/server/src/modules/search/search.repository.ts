import { sql } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { LicenseStatus } from '../licenses/license-status.ts';
import { licenseStatusSql } from '../licenses/license-status-sql.ts';

export interface AccountHitRow {
  id: string;
  name: string;
  crm_id: string | null;
  email_domains: string[];
  match_field: 'name' | 'crmId' | 'domain' | 'contactEmail';
  match_value: string;
}

export interface LicenseHitRow {
  id: string;
  key: string;
  name: string;
  status: LicenseStatus;
  product_code: string;
  account_id: string;
  account_name: string;
  ends_at: Date | null;
  match_field: 'key' | 'name' | 'domain';
  match_value: string;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, '\\$&');

/**
 * Accounts whose name, CRM id, an email domain or a contact email contains the text, with the first field that
 * matched. Name prefixes rank first, then other name matches, then the rest; ties by name.
 */
export async function searchAccounts(db: Db, text: string, limit: number): Promise<AccountHitRow[]> {
  const contains = `%${escapeLike(text)}%`;
  const prefix = `${escapeLike(text)}%`;
  const { rows } = await sql<AccountHitRow>`
    select id, name, crm_id, email_domains,
      case when name ilike ${contains} then 'name' when crm_id ilike ${contains} then 'crmId'
        when domain is not null then 'domain' else 'contactEmail' end as match_field,
      case when name ilike ${contains} then name when crm_id ilike ${contains} then crm_id
        else coalesce(domain, email) end as match_value
    from (
      select a.id, a.name, a.crm_id, a.email_domains,
        (select d.v from unnest(a.email_domains) as d(v) where d.v ilike ${contains} limit 1) as domain,
        (select c.v->>'email' from jsonb_array_elements(a.contacts) as c(v)
          where c.v->>'email' ilike ${contains} limit 1) as email
      from accounts a
    ) x
    where name ilike ${contains} or crm_id ilike ${contains} or domain is not null or email is not null
    order by (name ilike ${prefix}) desc, (name ilike ${contains}) desc, lower(name), id
    limit ${limit}`.execute(db);
  return rows;
}

/**
 * Licenses whose key starts with the text, or whose name or a domain contains it (key matches rank first), with
 * their computed status; only the given product's licenses when `scope` is set.
 */
export async function searchLicenses(
  db: Db,
  text: string,
  limit: number,
  o: { now: Date; expiringWindowDays: number; scope: string | null },
): Promise<LicenseHitRow[]> {
  const contains = `%${escapeLike(text)}%`;
  const keyPrefix = `${escapeLike(text)}%`;
  const scope = o.scope === null ? sql`true` : sql`l.product_id = ${o.scope}`;
  const { rows } = await sql<LicenseHitRow>`
    select l.id, l.key, l.name, ${licenseStatusSql(o.now, o.expiringWindowDays)} as status,
      pr.code as product_code, a.id as account_id, a.name as account_name, l.ends_at,
      case when l.key ilike ${keyPrefix} then 'key' when l.name ilike ${contains} then 'name' else 'domain' end
        as match_field,
      case when l.key ilike ${keyPrefix} then l.key when l.name ilike ${contains} then l.name
        else (select d.v from unnest(l.domains) as d(v) where d.v ilike ${contains} limit 1) end as match_value
    from licenses l
      join plans p on p.id = l.plan_id
      join products pr on pr.id = l.product_id
      join accounts a on a.id = l.account_id
    where ${scope} and (l.key ilike ${keyPrefix} or l.name ilike ${contains}
      or exists (select 1 from unnest(l.domains) as d(v) where d.v ilike ${contains}))
    order by (l.key ilike ${keyPrefix}) desc, l.created_at desc, l.id
    limit ${limit}`.execute(db);
  return rows;
}
