import type { FlagBundle, FlagState } from '@keyward/sdk';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, unprocessable } from '../../platform/errors.ts';
import type { ClientRequest } from '../client/activation.service.ts';
import { assertNonce, keyOf, licenseNotFound } from '../client/client-access.ts';
import { graceEndsAt } from '../licenses/license-status.ts';
import { isMachineDead } from '../machines/machine-liveness.ts';
import { findLicenseFacts, findMachine, type LicenseFacts } from './customers.repository.ts';
import { mergeContext } from './flag-context.ts';
import { customerFlags, evaluateAll, licenseCustomer } from './flags.read.ts';
import type { ClientFlagsInput } from './toggles.schemas.ts';

export interface ClientFlagsDeps {
  db: Db;
  clock: Clock;
}

export interface ClientFlagsResult extends FlagBundle {
  computedAt: string;
  evaluated: FlagState[];
}

const refused = (code: string, message: string) => new AppError(code, 403, message);

/**
 * Like the entitlements check: the software may read its flags while it may run — refused (403) when revoked,
 * suspended, not yet started, or past its grace period with expiration strategy revoke.
 */
function assertReadable(l: LicenseFacts, now: Date): void {
  if (l.revoked) throw refused('LICENSE_REVOKED', 'The license has been revoked');
  if (l.suspended) throw refused('LICENSE_SUSPENDED', 'The license is suspended');
  if (l.starts_at > now) throw refused('LICENSE_NOT_YET_VALID', `The license starts on ${l.starts_at.toISOString()}`);
  const graceEnd = graceEndsAt(l, l.plan_grace_days);
  if (graceEnd && graceEnd <= now && l.plan_expiration_strategy === 'revoke') {
    throw refused('LICENSE_EXPIRED', `The license expired on ${l.ends_at?.toISOString()}`);
  }
}

/** Client API: a license's flags by key — the bundle the SDK caches and evaluates, plus the flags evaluated here. */
export class ClientFlagsService {
  constructor(private readonly deps: ClientFlagsDeps) {}

  async forClient(client: ClientRequest, input: ClientFlagsInput): Promise<ClientFlagsResult> {
    const { db } = this.deps;
    const key = keyOf(input.key);
    const now = this.deps.clock.now();
    const facts = await findLicenseFacts(db, { key });
    if (!facts) throw licenseNotFound();
    assertNonce(facts, input.nonce);
    assertReadable(facts, now);
    if (input.fingerprint !== undefined) {
      const machine = await findMachine(db, facts.id, input.fingerprint);
      if (!machine || isMachineDead(machine, facts.plan_heartbeat_interval_seconds, now)) {
        throw unprocessable('MACHINE_NOT_FOUND', 'No live machine with this fingerprint is activated on the license', [
          { field: '/body/fingerprint', message: 'is not an activated machine of the license; activate it first' },
        ]);
      }
    } else if (facts.plan_require_fingerprint) {
      throw unprocessable('FINGERPRINT_REQUIRED', "The license's plan requires a machine fingerprint", [
        { field: '/body/fingerprint', message: 'is required by the plan' },
      ]);
    }
    const state = await customerFlags(db, licenseCustomer(facts));
    const context = mergeContext(
      state.properties,
      {
        ...input.context,
        remoteAddress: input.context?.remoteAddress ?? client.ip,
      },
      now,
    );
    return {
      computedAt: now.toISOString(),
      features: [...state.features],
      segments: [...state.segments],
      context: state.properties,
      evaluated: evaluateAll(state, context),
    };
  }
}
