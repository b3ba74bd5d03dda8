import type { Explanation, TraceStep } from '@keyward/sdk/flags';
import { assertProductVisible, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { badRequest, notFound, unprocessable } from '../../platform/errors.ts';
import { findAccountById } from '../accounts/accounts.read.ts';
import { findProductById } from '../products/products.read.ts';
import { findLicenseFacts } from './customers.repository.ts';
import { accountContextProperties, mergeContext } from './flag-context.ts';
import { type Customer, customerFlags, evaluateAll, licenseCustomer } from './flags.read.ts';
import * as repo from './flags.repository.ts';
import { flagNotFound } from './flags.service.ts';
import type { TargetToggle } from './toggles.repository.ts';
import type { CustomerFlagsDto, ExplainFlagInput, FlagExplainResultDto } from './toggles.schemas.ts';

export interface CustomerFlagsDeps {
  db: Db;
  clock: Clock;
}

type ToggleBrief = NonNullable<FlagExplainResultDto['licenseToggle']>;

const brief = (t: TargetToggle | undefined): ToggleBrief | null =>
  t
    ? {
        enabled: t.enabled,
        reason: t.reason,
        authorName: t.author_name,
        authorId: t.author_id,
        updatedAt: t.updated_at.toISOString(),
      }
    : null;

const when = (d: Date) => `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** "Switched on for this license by Jane Doe on 2026-05-02 10:00 UTC: "beta customer"". */
function toggleSentence(t: TargetToggle, what: string): string {
  const reason = t.reason ? `: ${JSON.stringify(t.reason)}` : ' (no reason given)';
  return `Switched ${t.enabled ? 'on' : 'off'} for ${what} by ${t.author_name} on ${when(t.updated_at)}${reason}`;
}

/**
 * The toggle steps of an explanation, in words: who switched the flag for this customer, when and why, and whether
 * it decided (license toggle > account toggle > the flag's strategies; the kill switch and dependencies come first).
 */
export function toggleSteps(
  explanation: Explanation,
  license: TargetToggle | undefined,
  account: TargetToggle | undefined,
  who: 'license' | 'account' | null,
): TraceStep[] {
  const blocked =
    explanation.reason === 'DISABLED'
      ? 'not applied: the flag is off for everyone (kill switch)'
      : explanation.reason === 'PARENT_UNSATISFIED'
        ? 'not applied: a flag it depends on is not satisfied'
        : explanation.reason === 'NOT_FOUND'
          ? 'not applied: no such flag'
          : null;
  const steps: TraceStep[] = [];
  if (license) {
    steps.push({
      subject: 'toggle license',
      outcome: blocked ? 'skip' : 'decide',
      detail: `${toggleSentence(license, 'this license')}${blocked ? ` — ${blocked}` : ''}`,
    });
  }
  if (account) {
    const shadowed = license ? "not applied: the license's own toggle takes precedence" : blocked;
    steps.push({
      subject: 'toggle account',
      outcome: shadowed ? 'skip' : 'decide',
      detail: `${toggleSentence(account, 'this account')}${shadowed ? ` — ${shadowed}` : ''}`,
    });
  }
  if (steps.length === 0) {
    steps.push({
      subject: 'toggles',
      outcome: 'skip',
      detail:
        who === 'license'
          ? "No per-customer toggle for this license or its account: the flag's strategies decide"
          : who === 'account'
            ? "No per-customer toggle for this account: the flag's strategies decide"
            : 'No license or account given: per-customer toggles do not apply',
    });
  }
  return steps;
}

/** What the dashboard's Flags tab shows, and explain: a customer's flags with toggles and evaluated results. */
export class CustomerFlagsService {
  constructor(private readonly deps: CustomerFlagsDeps) {}

  async forLicense(ctx: RequestContext, licenseId: string): Promise<CustomerFlagsDto> {
    const facts = await findLicenseFacts(this.deps.db, { id: licenseId });
    const missing = () => notFound('LICENSE_NOT_FOUND', 'License');
    if (!facts) throw missing();
    assertProductVisible(ctx.actor, facts.product_id, missing());
    return this.#list(licenseCustomer(facts));
  }

  async forAccount(ctx: RequestContext, accountId: string, productId?: string): Promise<CustomerFlagsDto> {
    const account = await findAccountById(this.deps.db, accountId);
    if (!account) throw notFound('ACCOUNT_NOT_FOUND', 'Account');
    if (productId === undefined) {
      throw badRequest('VALIDATION_FAILED', 'Give the product whose flags to list', [
        { field: '/querystring/productId', message: 'is required' },
      ]);
    }
    const productMissing = () =>
      unprocessable('PRODUCT_NOT_FOUND', 'The product does not exist', [
        { field: '/querystring/productId', message: 'is not a known product' },
      ]);
    const product = await findProductById(this.deps.db, productId);
    if (!product) throw productMissing();
    assertProductVisible(ctx.actor, product.id, productMissing());
    return this.#list({
      productId: product.id,
      accountId: account.id,
      licenseId: null,
      properties: accountContextProperties(account),
    });
  }

  async #list(customer: Customer): Promise<CustomerFlagsDto> {
    const now = this.deps.clock.now();
    const state = await customerFlags(this.deps.db, customer);
    const context = mergeContext(state.properties, undefined, now);
    const evaluated = evaluateAll(state, context);
    const rows = new Map((await repo.productFlags(this.deps.db, customer.productId)).map((r) => [r.key, r]));
    const flags = evaluated.flatMap((e) => {
      const row = rows.get(e.key);
      if (!row) return []; // created after the definitions were read
      const license = state.toggles.find((t) => t.flag_key === e.key && t.scope === 'license');
      const account = state.toggles.find((t) => t.flag_key === e.key && t.scope === 'account');
      const deciding = license ?? account;
      return [
        {
          id: row.id,
          key: row.key,
          description: row.description,
          type: row.type,
          enabled: row.enabled,
          version: row.version,
          toggle: {
            state: deciding ? (deciding.enabled ? ('on' as const) : ('off' as const)) : ('none' as const),
            scope: deciding?.scope ?? null,
            reason: deciding?.reason ?? null,
            authorName: deciding?.author_name ?? null,
            updatedAt: deciding?.updated_at.toISOString() ?? null,
          },
          licenseToggle: brief(license),
          accountToggle: brief(account),
          evaluated: e,
        },
      ];
    });
    return {
      computedAt: now.toISOString(),
      productId: customer.productId,
      licenseId: customer.licenseId,
      accountId: customer.accountId as string,
      context,
      flags,
    };
  }

  /** Why the flag is on or off for a license, an account, or a bare context: the engine's trace plus the toggles. */
  async explain(ctx: RequestContext, flagId: string, input: ExplainFlagInput): Promise<FlagExplainResultDto> {
    const { db } = this.deps;
    const flag = await repo.findFlag(db, flagId);
    if (!flag) throw flagNotFound();
    assertProductVisible(ctx.actor, flag.product_id, flagNotFound());
    if (input.licenseId !== undefined && input.accountId !== undefined) {
      throw unprocessable('EXPLAIN_TARGET_INVALID', 'Give at most one of licenseId and accountId', [
        { field: '/body/accountId', message: 'only one of licenseId and accountId may be given' },
      ]);
    }
    const customer = await this.#customerOf(ctx, flag.product_id, input);
    const now = this.deps.clock.now();
    const state = await customerFlags(db, customer);
    const context = mergeContext(state.properties, input.context, now);
    const explanation = state.engine.explain(flag.key, context);
    const license = state.toggles.find((t) => t.flag_key === flag.key && t.scope === 'license');
    const account = state.toggles.find((t) => t.flag_key === flag.key && t.scope === 'account');
    const steps = [
      ...toggleSteps(
        explanation,
        license,
        account,
        customer.licenseId ? 'license' : customer.accountId ? 'account' : null,
      ),
      ...explanation.steps,
    ];
    return {
      flag: { id: flag.id, key: flag.key, productId: flag.product_id, version: flag.version },
      licenseId: customer.licenseId,
      accountId: customer.accountId,
      context,
      licenseToggle: brief(license),
      accountToggle: brief(account),
      explanation: { ...explanation, steps },
    };
  }

  async #customerOf(ctx: RequestContext, productId: string, input: ExplainFlagInput): Promise<Customer> {
    if (input.licenseId !== undefined) {
      const missing = () =>
        unprocessable('LICENSE_NOT_FOUND', 'The license does not exist', [
          { field: '/body/licenseId', message: 'is not a known license' },
        ]);
      const facts = await findLicenseFacts(this.deps.db, { id: input.licenseId });
      if (!facts) throw missing();
      assertProductVisible(ctx.actor, facts.product_id, missing());
      if (facts.product_id !== productId) {
        throw unprocessable('FLAG_PRODUCT_MISMATCH', "The license is of another product than the flag's", [
          { field: '/body/licenseId', message: "is a license of another product than the flag's" },
        ]);
      }
      return licenseCustomer(facts);
    }
    if (input.accountId !== undefined) {
      const account = await findAccountById(this.deps.db, input.accountId);
      if (!account) {
        throw unprocessable('ACCOUNT_NOT_FOUND', 'The account does not exist', [
          { field: '/body/accountId', message: 'is not a known account' },
        ]);
      }
      return { productId, accountId: account.id, licenseId: null, properties: accountContextProperties(account) };
    }
    // A bare context: no customer, no toggles.
    return { productId, accountId: null, licenseId: null, properties: {} };
  }
}
