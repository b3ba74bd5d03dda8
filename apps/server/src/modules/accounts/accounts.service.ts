import { isDeepStrictEqual } from 'node:util';
import { assertAdmin, assertCanWrite, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { AccountRow, Contact } from '../../platform/db/schema.ts';
import { conflict, forbidden, isForeignKeyViolation, isUniqueViolation, notFound } from '../../platform/errors.ts';
import { decodeCheckedCursor, isIsoDate, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { presentAccount } from './accounts.presenter.ts';
import * as repo from './accounts.repository.ts';
import type {
  AccountDto,
  CreateAccountInput,
  ListAccountsInput,
  UpdateAccountInput,
  UpsertAccountInput,
} from './accounts.schemas.ts';

export interface AccountsDeps {
  db: Db;
  clock: Clock;
}

type Trx = Db;

const accountNotFound = () => notFound('ACCOUNT_NOT_FOUND', 'Account');
const sharedAccount = () =>
  forbidden(
    'This account holds licenses of other products: a product token may change only accounts whose licenses are ' +
      'all of its product (an admin token or a dashboard user can change it)',
  );
const crmIdTaken = (crmId: string | null | undefined) =>
  conflict('ACCOUNT_CRM_ID_TAKEN', `Another account already has the CRM id ${crmId ?? ''}`);

/** Host names lower-cased and deduplicated (first-seen order). */
const normalizeDomains = (domains: string[]) => [...new Set(domains.map((d) => d.toLowerCase()))];
const normalizeContacts = (contacts: Array<Omit<Contact, 'role'> & { role?: string }>): Contact[] =>
  contacts.map((c) => ({ name: c.name, email: c.email, role: c.role ?? '' }));

/** The editable columns of an account, as stored. */
interface AccountFields {
  name: string;
  email_domains: string[];
  contacts: Contact[];
  crm_id: string | null;
  notes: string;
}

export interface UpsertResult {
  created: boolean;
  account: AccountDto;
}

export class AccountsService {
  constructor(private readonly deps: AccountsDeps) {}

  /**
   * Product tokens may create accounts (accounts are the vendor's shared customer records, docs/adr/0007); read-only
   * tokens may not.
   */
  async create(ctx: RequestContext, input: CreateAccountInput): Promise<AccountDto> {
    assertCanWrite(ctx.actor);
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const row = await repo.insertAccount(trx, this.newAccountValues(input, input.crmId ?? null));
        return this.auditCreated(trx, ctx, row);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw crmIdTaken(input.crmId);
      throw err;
    }
  }

  async get(ctx: RequestContext, id: string): Promise<AccountDto> {
    const row = await repo.findAccount(this.deps.db, id, productScope(ctx.actor));
    if (!row) throw accountNotFound();
    return presentAccount(row);
  }

  async getByCrmId(ctx: RequestContext, crmId: string): Promise<AccountDto> {
    const row = await repo.findAccountByCrmId(this.deps.db, crmId, productScope(ctx.actor));
    if (!row) throw accountNotFound();
    return presentAccount(row);
  }

  async list(ctx: RequestContext, input: ListAccountsInput): Promise<Page<AccountDto>> {
    const limit = input.limit ?? 50;
    const sort = input.sort ?? 'createdAt';
    const rows = await repo.listAccounts(this.deps.db, {
      limit,
      sort,
      after: decodeCheckedCursor(
        input.cursor,
        (c) => c.v !== null && isUuid(c.id) && (sort === 'name' || isIsoDate(c.v)),
      ),
      scope: productScope(ctx.actor),
      q: input.q,
      crmId: input.crmId,
      createdAfter: input.createdAfter ? new Date(input.createdAfter) : undefined,
      createdBefore: input.createdBefore ? new Date(input.createdBefore) : undefined,
    });
    return toPage(rows, limit, presentAccount, (r) => ({
      v: sort === 'name' ? r.sort_key : r.created_at.toISOString(),
      id: r.id,
    }));
  }

  async update(ctx: RequestContext, id: string, input: UpdateAccountInput): Promise<AccountDto> {
    assertCanWrite(ctx.actor);
    try {
      return await this.deps.db.transaction().execute(async (trx) => {
        const current = await repo.findAccountForUpdate(trx, id, productScope(ctx.actor));
        if (!current) throw accountNotFound();
        return this.applyChanges(trx, ctx, current, input);
      });
    } catch (err) {
      if (isUniqueViolation(err)) throw crmIdTaken(input.crmId);
      throw err;
    }
  }

  /**
   * Creates the account with this CRM id, or updates it when it exists (fields left out keep their value), so a
   * CRM sync keeps accounts 1:1. Safe under concurrent calls: the insert does nothing on a CRM id conflict, and
   * then the (now committed) row is locked and updated instead.
   */
  async upsertByCrmId(ctx: RequestContext, crmId: string, input: UpsertAccountInput): Promise<UpsertResult> {
    assertCanWrite(ctx.actor);
    const scope = productScope(ctx.actor);
    return this.deps.db.transaction().execute(async (trx) => {
      for (let attempt = 0; attempt < 3; attempt++) {
        const current = await repo.findAccountByCrmId(trx, crmId, scope, { lock: true });
        if (current) return { created: false, account: await this.applyChanges(trx, ctx, current, input) };
        const row = await repo.insertAccountUnlessCrmIdExists(trx, this.newAccountValues(input, crmId));
        if (row) return { created: true, account: await this.auditCreated(trx, ctx, row) };
        // Another request created it in the meantime: loop to update that one.
      }
      throw conflict('ACCOUNT_CRM_ID_BUSY', 'The account with this CRM id changed concurrently; retry');
    });
  }

  /** Only admin tokens delete accounts, and only accounts without licenses. */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    assertAdmin(ctx.actor);
    const hasLicenses = () =>
      conflict('ACCOUNT_HAS_LICENSES', 'This account has licenses; delete or move them to another account first');
    try {
      await this.deps.db.transaction().execute(async (trx) => {
        const current = await repo.findAccountForUpdate(trx, id, null);
        if (!current) throw accountNotFound();
        if ((await repo.countAccountLicenses(trx, id)) > 0) throw hasLicenses();
        await repo.deleteAccount(trx, id);
        await recordAudit(trx, ctx, this.deps.clock, {
          action: 'account.deleted',
          targetType: 'account',
          targetId: id,
          accountId: id,
          before: presentAccount(current),
        });
      });
    } catch (err) {
      // A license was created between the count and the delete (licenses.account_id is ON DELETE RESTRICT).
      if (isForeignKeyViolation(err)) throw hasLicenses();
      throw err;
    }
  }

  private newAccountValues(input: UpsertAccountInput, crmId: string | null) {
    const now = this.deps.clock.now();
    return {
      name: input.name,
      email_domains: normalizeDomains(input.emailDomains ?? []),
      contacts: JSON.stringify(normalizeContacts(input.contacts ?? [])),
      crm_id: crmId,
      notes: input.notes ?? '',
      created_at: now,
      updated_at: now,
    };
  }

  private async auditCreated(trx: Trx, ctx: RequestContext, row: AccountRow): Promise<AccountDto> {
    const after = presentAccount({ ...row, license_count: 0 });
    await recordAudit(trx, ctx, this.deps.clock, {
      action: 'account.created',
      targetType: 'account',
      targetId: row.id,
      accountId: row.id,
      after,
    });
    return after;
  }

  /**
   * Applies the given fields to a locked account; a request that changes nothing writes nothing (and is answered
   * with the account even for a product token that may not change it, so find-or-create by CRM id keeps working).
   */
  private async applyChanges(
    trx: Trx,
    ctx: RequestContext,
    current: repo.AccountWithCount,
    input: UpdateAccountInput,
  ): Promise<AccountDto> {
    const before = presentAccount(current);
    const next: AccountFields = {
      name: input.name ?? current.name,
      email_domains: input.emailDomains ? normalizeDomains(input.emailDomains) : current.email_domains,
      contacts: input.contacts ? normalizeContacts(input.contacts) : before.contacts,
      crm_id: input.crmId === undefined ? current.crm_id : input.crmId,
      notes: input.notes ?? current.notes,
    };
    const unchanged =
      next.name === current.name &&
      next.crm_id === current.crm_id &&
      next.notes === current.notes &&
      isDeepStrictEqual(next.email_domains, current.email_domains) &&
      isDeepStrictEqual(next.contacts, before.contacts);
    if (unchanged) return before;
    // ADR 0007: a product token changes only accounts no other product holds a license in (the row is locked).
    const scope = productScope(ctx.actor);
    if (scope !== null && (await repo.holdsOtherProductsLicenses(trx, current.id, scope))) throw sharedAccount();
    const row = await repo.updateAccount(trx, current.id, {
      ...next,
      contacts: JSON.stringify(next.contacts),
      updated_at: this.deps.clock.now(),
    });
    const after = presentAccount({ ...row, license_count: current.license_count });
    await recordAudit(trx, ctx, this.deps.clock, {
      action: 'account.updated',
      targetType: 'account',
      targetId: current.id,
      accountId: current.id,
      before,
      after,
    });
    return after;
  }
}
