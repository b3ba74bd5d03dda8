import type { LicenseFilePayload } from '@keyward/sdk';
import { assertCanWrite, assertProductVisible, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, badRequest, notFound, unprocessable } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.write.ts';
import type { ClientRequest } from '../client/activation.service.ts';
import { assertNonce } from '../client/client-access.ts';
import { checkLicenseKey } from '../licenses/license-key.ts';
import { graceEndsAt } from '../licenses/license-status.ts';
import { isMachineDead } from '../machines/machine-liveness.ts';
import type { Signer } from '../signing/signer.ts';
import { buildLicenseFile } from './license-file.format.ts';
import * as repo from './license-files.repository.ts';
import type { CheckOutInput, ClientCheckOutInput, LicenseFileDto } from './license-files.schemas.ts';
import { licenseFilePayload } from './license-payload.ts';
import { fileEncryption, fileTtl, unboundFileLimit } from './offline-policy.ts';

/**
 * What a license may do, computed at check-out (entitlements with usage, and the flag definitions narrowed to this
 * license) so the software can answer offline with the SDK's engine. Wired in app.ts from the entitlements and flags
 * read functions.
 */
export type OfflineStateReader = (
  licenseId: string,
  now: Date,
) => Promise<Pick<LicenseFilePayload, 'entitlements' | 'flags'>>;

export interface LicenseFilesDeps {
  db: Db;
  clock: Clock;
  signer: Signer;
  expiringWindowDays: number;
  offlineState?: OfflineStateReader | undefined;
}

const licenseNotFound = () => notFound('LICENSE_NOT_FOUND', 'License');
const refused = (code: string, message: string) => new AppError(code, 403, message);

/** The client may check out a file when it could activate: same refusals and codes as /v1/machines/activate. */
function assertCheckOutAllowed(l: repo.LicenseFileSource, now: Date): void {
  if (l.revoked) throw refused('LICENSE_REVOKED', 'The license has been revoked');
  if (l.suspended) throw refused('LICENSE_SUSPENDED', 'The license is suspended');
  if (l.starts_at > now) throw refused('LICENSE_NOT_YET_VALID', `The license starts on ${l.starts_at.toISOString()}`);
  const graceEnd = graceEndsAt(l, l.plan_grace_days);
  const strategy = l.plan_expiration_strategy;
  if (graceEnd && graceEnd <= now && (strategy === 'restrict' || strategy === 'revoke')) {
    throw refused('LICENSE_EXPIRED', `The license expired on ${l.ends_at?.toISOString()}`);
  }
}

function keyOf(rawKey: string): string {
  const check = checkLicenseKey(rawKey);
  if (check.kind === 'malformed') {
    throw badRequest('MALFORMED_KEY', 'The license key is mistyped: its check character does not match', [
      { field: '/body/key', message: 'has a wrong check character' },
    ]);
  }
  return check.key;
}

/** License files (offline licensing): signed, optionally encrypted and machine-bound snapshots of a license. */
export class LicenseFilesService {
  constructor(private readonly deps: LicenseFilesDeps) {}

  /**
   * Admin check-out: any license the token can see, whatever its status (the file states it). May go beyond the
   * plan's maxOfflineSeconds (up to 10 years); the audit event says so.
   */
  async checkOut(ctx: RequestContext, licenseId: string, input: CheckOutInput = {}): Promise<LicenseFileDto> {
    assertCanWrite(ctx.actor);
    const source = await repo.findLicenseFileSource(this.deps.db, { id: licenseId });
    if (!source) throw licenseNotFound();
    assertProductVisible(ctx.actor, source.product_id, licenseNotFound());
    return this.#issue(ctx, source, input, false);
  }

  /**
   * Client check-out: the license key is the credential; refused like an activation would be, within the plan's
   * offline limits (maxOfflineSeconds, maxUnboundFiles, requireNonce).
   */
  async clientCheckOut(client: ClientRequest, input: ClientCheckOutInput): Promise<LicenseFileDto> {
    const key = keyOf(input.key);
    const source = await repo.findLicenseFileSource(this.deps.db, { key });
    if (!source) throw licenseNotFound();
    assertNonce(source, input.nonce);
    assertCheckOutAllowed(source, this.deps.clock.now());
    const ctx: RequestContext = {
      actor: { kind: 'license', id: source.id, name: 'license key', role: 'license', productId: source.product_id },
      requestId: client.requestId,
    };
    return this.#issue(ctx, source, input, true);
  }

  async #issue(
    ctx: RequestContext,
    source: repo.LicenseFileSource,
    input: CheckOutInput,
    byKey: boolean,
  ): Promise<LicenseFileDto> {
    const { db, clock, signer } = this.deps;
    const now = clock.now();
    const ttlSeconds = fileTtl(source, input.ttlSeconds, byKey);
    const fingerprint = input.fingerprint ?? null;
    const machine = fingerprint === null ? null : await repo.findMachineByFingerprint(db, source.id, fingerprint);
    if (fingerprint !== null && (!machine || isMachineDead(machine, source.plan_heartbeat_interval_seconds, now))) {
      throw unprocessable('MACHINE_NOT_FOUND', 'No live machine with this fingerprint is activated on the license', [
        { field: '/body/fingerprint', message: 'is not an activated machine of the license; activate it first' },
      ]);
    }
    const unboundLimit = unboundFileLimit(source);
    if (!machine && (source.plan_require_fingerprint || (byKey && unboundLimit === 0))) {
      throw unprocessable('FINGERPRINT_REQUIRED', "The license's plan requires machine-bound license files", [
        { field: '/body/fingerprint', message: 'is required by the plan' },
      ]);
    }
    const encryption = input.encrypt ? fileEncryption(source.key, machine?.fingerprint ?? null) : null;
    // Refused early when the limit is already reached (no signing or key derivation for nothing); exact below.
    const unbound = byKey && !machine;
    if (unbound) assertUnboundRoom(unboundLimit, await repo.liveUnboundCheckouts(db, source.id, now));
    const payload: LicenseFilePayload = {
      ...licenseFilePayload(source, {
        now,
        ttlSeconds,
        expiringWindowDays: this.deps.expiringWindowDays,
        machine: machine ?? null,
      }),
      ...(this.deps.offlineState ? await this.deps.offlineState(source.id, now) : {}),
    };
    // Signed before the transaction (the signer may read its keys); a file refused below is never shown.
    const built = await buildLicenseFile(signer, payload, encryption);
    const { issuedAt, expiresAt } = payload.meta;
    const maxOffline = source.plan_max_offline_seconds;
    await db.transaction().execute(async (trx) => {
      if (unbound) {
        await takeUnboundSlot(trx, source.id, unboundLimit, {
          kid: built.kid,
          issuedAt: new Date(issuedAt),
          expiresAt: new Date(expiresAt),
        });
      }
      await recordAudit(trx, ctx, clock, {
        action: 'license.checked_out',
        targetType: 'license',
        targetId: source.id,
        productId: source.product_id,
        accountId: source.account_id,
        licenseId: source.id,
        after: {
          alg: built.alg,
          kid: built.kid,
          bind: built.bind,
          issuedAt,
          expiresAt,
          ttlSeconds,
          status: payload.license.status,
          machine: payload.machine,
          ...(ttlSeconds > maxOffline ? { beyondPlanMaxOffline: true, planMaxOfflineSeconds: maxOffline } : {}),
        },
      });
    });
    return {
      certificate: built.certificate,
      alg: built.alg,
      kid: built.kid,
      bind: built.bind,
      issuedAt,
      expiresAt,
      ttlSeconds,
    };
  }
}

/** 409 TOO_MANY_UNBOUND_FILES when `limit` files are valid already (null: no limit). */
function assertUnboundRoom(limit: number | null, live: { count: number; firstExpiry: Date | null }): void {
  if (limit === null || live.count < limit) return;
  const until = live.firstExpiry ? ` until ${live.firstExpiry.toISOString()}` : '';
  throw new AppError(
    'TOO_MANY_UNBOUND_FILES',
    409,
    `All ${limit} fingerprint-less license file${limit === 1 ? '' : 's'} of this license are valid${until}: ` +
      'bind the file to an activated machine (fingerprint), or wait for one to expire',
  );
}

/**
 * Counts a fingerprint-less file checked out by key against the plan's limit, under the license row lock (so the
 * limit holds across processes); each counts until it expires. null limit: counted, never refused.
 */
async function takeUnboundSlot(
  trx: Db,
  licenseId: string,
  limit: number | null,
  file: { kid: string; issuedAt: Date; expiresAt: Date },
): Promise<void> {
  await repo.lockLicense(trx, licenseId);
  await repo.deleteExpiredUnboundCheckouts(trx, licenseId, file.issuedAt);
  assertUnboundRoom(limit, await repo.liveUnboundCheckouts(trx, licenseId, file.issuedAt));
  await repo.insertUnboundCheckout(trx, {
    license_id: licenseId,
    kid: file.kid,
    issued_at: file.issuedAt,
    expires_at: file.expiresAt,
  });
}
