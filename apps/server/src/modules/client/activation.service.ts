import type { RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError } from '../../platform/errors.ts';
import type { Metrics } from '../../platform/metrics.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { findLicenseByKey } from '../licenses/licenses.read.ts';
import { heartbeatCutoff, nextHeartbeatDueAt } from '../machines/machine-liveness.ts';
import { presentMachine } from '../machines/machines.presenter.ts';
import * as repo from './client.repository.ts';
import type {
  ActivateInput,
  ActivationResultDto,
  HeartbeatInput,
  HeartbeatResultDto,
  MachineKeyInput,
} from './client.schemas.ts';
import { assertNonce, assertUsable, keyOf, licenseNotFound } from './client-access.ts';
import { effectiveMaxMachines, policyOf, presentClientLicense } from './client-license.ts';

export interface ActivationDeps {
  db: Db;
  clock: Clock;
  metrics: Metrics;
  expiringWindowDays: number;
}

/** Who calls the client API: the holder of a license key, from an IP address. */
export interface ClientRequest {
  ip: string;
  requestId: string;
}

const machineNotFound = () =>
  new AppError('MACHINE_NOT_FOUND', 404, 'No machine with this fingerprint is activated on the license; activate it');

function licenseContext(l: repo.ClientLicensePolicy, client: ClientRequest): RequestContext {
  return {
    actor: { kind: 'license', id: l.id, name: 'license key', role: 'license', productId: l.product_id },
    requestId: client.requestId,
  };
}

/** Machine activation by license key. The seat limit holds across processes: the license row lock serialises. */
export class ActivationService {
  constructor(private readonly deps: ActivationDeps) {}

  async activate(client: ClientRequest, input: ActivateInput): Promise<{ created: boolean } & ActivationResultDto> {
    const key = keyOf(input.key);
    const now = this.deps.clock.now();
    try {
      const result = await this.deps.db.transaction().execute(async (trx) => {
        // The license row lock serialises every activation of this license, in every process.
        const license = await repo.lockLicenseByKey(trx, key);
        if (!license) throw licenseNotFound();
        assertNonce(license, input.nonce);
        assertUsable(license, 'activate', now);
        const ctx = licenseContext(license, client);
        const audit = { targetType: 'machine' as const, productId: license.product_id, licenseId: license.id };
        const cutoff = heartbeatCutoff(license.plan_heartbeat_interval_seconds, now);
        if (cutoff) {
          for (const dead of await repo.deleteDeadMachines(trx, license.id, cutoff)) {
            const before = presentMachine(dead);
            await recordAudit(trx, ctx, this.deps.clock, {
              ...audit,
              action: 'machine.culled',
              targetId: dead.id,
              before,
            });
          }
        }
        const details = { hostname: input.hostname ?? null, platform: input.platform ?? null, ip: client.ip };
        // Read after the lock (and the culling), in a statement of its own: it sees every committed activation.
        const { total: count, fpId } = await repo.machinesForActivation(trx, license.id, input.fingerprint);
        const updated = fpId && (await repo.updateMachine(trx, fpId, { ...details, last_heartbeat_at: now }));
        if (updated) return { created: false, license, machine: updated, count };
        const max = effectiveMaxMachines(license);
        if (max !== null && count >= max) {
          throw new AppError(
            'TOO_MANY_MACHINES',
            409,
            `All ${max} seat${max === 1 ? ' is' : 's are'} taken; deactivate a machine first`,
          );
        }
        const machine = await repo.insertMachine(trx, {
          license_id: license.id,
          fingerprint: input.fingerprint,
          ...details,
          created_at: now,
          last_heartbeat_at: null,
        });
        const after = presentMachine(machine);
        await recordAudit(trx, ctx, this.deps.clock, {
          ...audit,
          action: 'machine.activated',
          targetId: machine.id,
          after,
        });
        return { created: true, license, machine, count: count + 1 };
      });
      this.deps.metrics.activations.inc({ result: result.created ? 'created' : 'existing' });
      return {
        created: result.created,
        machine: presentMachine(result.machine),
        license: presentClientLicense(result.license, result.count, now, this.deps.expiringWindowDays),
      };
    } catch (err) {
      this.deps.metrics.activations.inc({ result: err instanceof AppError ? err.code : 'error' });
      throw err;
    }
  }

  async heartbeat(_client: ClientRequest, input: HeartbeatInput): Promise<HeartbeatResultDto> {
    const key = keyOf(input.key);
    const now = this.deps.clock.now();
    const found = await findLicenseByKey(this.deps.db, key);
    if (!found) throw licenseNotFound();
    const license = policyOf(found);
    assertNonce(license, input.nonce);
    assertUsable(license, 'heartbeat', now);
    const interval = license.plan_heartbeat_interval_seconds;
    const cutoff = heartbeatCutoff(interval, now);
    const machine = await repo.touchLiveMachine(this.deps.db, license.id, input.fingerprint, now, cutoff);
    if (!machine) {
      // Unknown, or dead: a dead machine is culled and the client has to activate again (its seat may be gone).
      if (cutoff) await repo.deleteDeadMachines(this.deps.db, license.id, cutoff, input.fingerprint);
      throw machineNotFound();
    }
    return {
      machine: presentMachine(machine),
      nextHeartbeatDueAt: nextHeartbeatDueAt(now, interval)?.toISOString() ?? null,
    };
  }

  /**
   * Frees the machine's seat. The DELETE decides: of concurrent deactivations of one machine (in any process) only the
   * one whose statement removed the row answers 204 and writes `machine.deactivated`; the others find no row and get
   * 404 MACHINE_NOT_FOUND, like a deactivation after it (docs/client-api.md).
   */
  async deactivate(client: ClientRequest, input: MachineKeyInput): Promise<void> {
    const key = keyOf(input.key);
    const now = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      const found = await findLicenseByKey(trx, key);
      if (!found) throw licenseNotFound();
      const license = policyOf(found);
      assertUsable(license, 'deactivate', now);
      const machine = await repo.deleteMachineByFingerprint(trx, license.id, input.fingerprint);
      if (!machine) throw machineNotFound();
      await recordAudit(trx, licenseContext(license, client), this.deps.clock, {
        action: 'machine.deactivated',
        targetType: 'machine',
        targetId: machine.id,
        productId: license.product_id,
        licenseId: license.id,
        before: presentMachine(machine),
      });
    });
  }
}
