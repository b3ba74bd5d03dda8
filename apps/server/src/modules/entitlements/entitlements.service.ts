import { assertProductVisible, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, badRequest, notFound, unprocessable } from '../../platform/errors.ts';
import { findAccountById } from '../accounts/accounts.read.ts';
import type { ClientRequest } from '../client/activation.service.ts';
import { assertNonce } from '../client/client-access.ts';
import { checkLicenseKey } from '../licenses/license-key.ts';
import { graceEndsAt } from '../licenses/license-status.ts';
import { isMachineDead } from '../machines/machine-liveness.ts';
import { effectiveValue } from '../properties/effective.ts';
import { accountOverrideCandidate, effectivePropertiesOf, findPropertyDef } from '../properties/properties.read.ts';
import { entitlementsStateOf, refsOf } from './entitlements.read.ts';
import * as repo from './entitlements.repository.ts';
import type { ClientEntitlementsInput, ExplainInput, PropertyExplanationDto } from './entitlements.schemas.ts';
import {
  type CheckContext,
  type EntitlementsState,
  type FlagsReader,
  noFlags,
  noUsage,
  type UsageReader,
} from './entitlements.types.ts';

export interface EntitlementsDeps {
  db: Db;
  clock: Clock;
  expiringWindowDays: number;
  /** Usage of metered properties (modules/usage/usage.read.ts); none when not given. */
  usage?: UsageReader | undefined;
  /** The license's evaluated flags (modules/flags/flags.read.ts); none when not given. */
  flags?: FlagsReader | undefined;
}

const licenseNotFound = () => notFound('LICENSE_NOT_FOUND', 'License');
const propertyNotFound = () => notFound('PROPERTY_NOT_FOUND', 'Property');
const refused = (code: string, message: string) => new AppError(code, 403, message);

function keyOf(rawKey: string): string {
  const check = checkLicenseKey(rawKey);
  if (check.kind === 'malformed') {
    throw badRequest('MALFORMED_KEY', 'The license key is mistyped: its check character does not match', [
      { field: '/body/key', message: 'has a wrong check character' },
    ]);
  }
  return check.key;
}

/**
 * The client may read its entitlements while its software may run: refused (403) when revoked, suspended, not yet
 * started, or past its grace period with expiration strategy revoke — like activation and check-out. An expired
 * license with strategy restrict, maintain or allow gets its state (status and trial say it has ended).
 */
function assertCheckAllowed(l: repo.CheckSource, now: Date): void {
  if (l.revoked) throw refused('LICENSE_REVOKED', 'The license has been revoked');
  if (l.suspended) throw refused('LICENSE_SUSPENDED', 'The license is suspended');
  if (l.starts_at > now) throw refused('LICENSE_NOT_YET_VALID', `The license starts on ${l.starts_at.toISOString()}`);
  const graceEnd = graceEndsAt(l, l.plan_grace_days);
  if (graceEnd && graceEnd <= now && l.plan_expiration_strategy === 'revoke') {
    throw refused('LICENSE_EXPIRED', `The license expired on ${l.ends_at?.toISOString()}`);
  }
}

/**
 * "What may this customer do, and why": the one check call (admin by license id, client by key) and the explain of
 * one property. A constant number of queries whatever the number of properties: the license (1), properties and
 * their layers (2), plus the usage and flags readers.
 */
export class EntitlementsService {
  readonly #usage: UsageReader;
  readonly #flags: FlagsReader;

  constructor(private readonly deps: EntitlementsDeps) {
    this.#usage = deps.usage ?? noUsage;
    this.#flags = deps.flags ?? noFlags;
  }

  async forLicense(ctx: RequestContext, licenseId: string, context: CheckContext = {}): Promise<EntitlementsState> {
    const source = await repo.findCheckSource(this.deps.db, { id: licenseId });
    if (!source) throw licenseNotFound();
    assertProductVisible(ctx.actor, source.product_id, licenseNotFound());
    return this.#state(source, context, this.deps.clock.now());
  }

  async forClient(client: ClientRequest, input: ClientEntitlementsInput): Promise<EntitlementsState> {
    const key = keyOf(input.key);
    const now = this.deps.clock.now();
    const source = await repo.findCheckSource(this.deps.db, { key });
    if (!source) throw licenseNotFound();
    assertNonce(source, input.nonce);
    assertCheckAllowed(source, now);
    if (input.fingerprint !== undefined) {
      const machine = await repo.findMachine(this.deps.db, source.id, input.fingerprint);
      if (!machine || isMachineDead(machine, source.plan_heartbeat_interval_seconds, now)) {
        throw unprocessable('MACHINE_NOT_FOUND', 'No live machine with this fingerprint is activated on the license', [
          { field: '/body/fingerprint', message: 'is not an activated machine of the license; activate it first' },
        ]);
      }
    } else if (source.plan_require_fingerprint) {
      throw unprocessable('FINGERPRINT_REQUIRED', "The license's plan requires a machine fingerprint", [
        { field: '/body/fingerprint', message: 'is required by the plan' },
      ]);
    }
    const context: CheckContext = { ...input.context, remoteAddress: input.context?.remoteAddress ?? client.ip };
    return this.#state(source, context, now);
  }

  #state(source: repo.CheckSource, context: CheckContext, now: Date): Promise<EntitlementsState> {
    return entitlementsStateOf(this.deps.db, source, now, {
      expiringWindowDays: this.deps.expiringWindowDays,
      usage: this.#usage,
      flags: this.#flags,
      context,
    });
  }

  /**
   * Why a property has its value for a license (every layer) or an account (account override > default only: plan
   * values and license overrides depend on the license).
   */
  async explain(ctx: RequestContext, propertyId: string, input: ExplainInput): Promise<PropertyExplanationDto> {
    const { db } = this.deps;
    const property = await findPropertyDef(db, propertyId);
    if (!property) throw propertyNotFound();
    assertProductVisible(ctx.actor, property.productId, propertyNotFound());
    if ((input.licenseId === undefined) === (input.accountId === undefined)) {
      throw unprocessable('EXPLAIN_TARGET_INVALID', 'Give exactly one of licenseId and accountId', [
        { field: '/querystring/licenseId', message: 'exactly one of licenseId and accountId is required' },
      ]);
    }
    const now = this.deps.clock.now();
    const summary = {
      id: property.id,
      key: property.key,
      name: property.name,
      type: property.type,
      productId: property.productId,
      unit: property.unit,
    };
    if (input.accountId !== undefined) {
      const account = await findAccountById(db, input.accountId);
      if (!account) {
        throw unprocessable('ACCOUNT_NOT_FOUND', 'The account does not exist', [
          { field: '/querystring/accountId', message: 'is not a known account' },
        ]);
      }
      const candidate = await accountOverrideCandidate(db, property.id, account.id);
      const e = effectiveValue(property, { accountOverride: candidate }, now);
      return {
        property: summary,
        scope: { licenseId: null, accountId: account.id },
        value: e.value,
        source: e.source,
        enforcement: e.enforcement,
        trace: e.trace.filter((t) => t.source.kind === 'account_override' || t.source.kind === 'default'),
        usage: null,
        note:
          'Explained for an account: only its account override and the property default are considered. Plan ' +
          "values and license overrides depend on the license (explain with licenseId); a license's value may differ.",
      };
    }
    const licenseMissing = () =>
      unprocessable('LICENSE_NOT_FOUND', 'The license does not exist', [
        { field: '/querystring/licenseId', message: 'is not a known license' },
      ]);
    const source = await repo.findCheckSource(db, { id: input.licenseId as string });
    if (!source) throw licenseMissing();
    assertProductVisible(ctx.actor, source.product_id, licenseMissing());
    if (source.product_id !== property.productId) {
      throw unprocessable('PROPERTY_PRODUCT_MISMATCH', `The property ${property.key} is not of the license's product`, [
        { field: '/querystring/licenseId', message: "is a license of another product than the property's" },
      ]);
    }
    const refs = refsOf(source);
    const [e] = await effectivePropertiesOf(db, refs, now, [property.key]);
    if (!e) throw propertyNotFound(); // deleted meanwhile
    const usage = property.type === 'number' && property.metered ? await this.#usage(refs, [e], now) : new Map();
    return {
      property: summary,
      scope: { licenseId: source.id, accountId: source.account_id },
      value: e.value,
      source: e.source,
      enforcement: e.enforcement,
      trace: e.trace,
      usage: usage.get(property.id) ?? null,
      note: null,
    };
  }
}
