import { assertCanWrite, assertProductVisible, productScope, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { decodeCheckedCursor, isIsoDate, isUuid, type Page, toPage } from '../../platform/http/pagination.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { presentMachine } from './machines.presenter.ts';
import * as repo from './machines.repository.ts';
import type { ListLicenseMachinesInput, ListMachinesInput, MachineDto } from './machines.schemas.ts';

export interface MachinesDeps {
  db: Db;
  clock: Clock;
}

const machineNotFound = () => notFound('MACHINE_NOT_FOUND', 'Machine');
const licenseNotFound = () => notFound('LICENSE_NOT_FOUND', 'License');

/** Admin use cases on activated machines (the client API activates and deactivates them by license key). */
export class MachinesService {
  constructor(private readonly deps: MachinesDeps) {}

  async list(ctx: RequestContext, input: ListMachinesInput): Promise<Page<MachineDto>> {
    const limit = input.limit ?? 50;
    const rows = await repo.listMachines(this.deps.db, {
      limit,
      after: decodeCheckedCursor(input.cursor, (c) => c.v !== null && isIsoDate(c.v) && isUuid(c.id)),
      licenseId: input.licenseId,
      fingerprint: input.fingerprint,
      productId: productScope(ctx.actor),
    });
    return toPage(rows, limit, presentMachine, (r) => ({ v: r.created_at.toISOString(), id: r.id }));
  }

  async listForLicense(ctx: RequestContext, licenseId: string, input: ListLicenseMachinesInput) {
    const productId = await repo.findLicenseProduct(this.deps.db, licenseId);
    if (!productId) throw licenseNotFound();
    assertProductVisible(ctx.actor, productId, licenseNotFound());
    return this.list(ctx, { ...input, licenseId });
  }

  async get(ctx: RequestContext, id: string): Promise<MachineDto> {
    const row = await repo.findMachineById(this.deps.db, id);
    if (!row) throw machineNotFound();
    assertProductVisible(ctx.actor, row.product_id, machineNotFound());
    return presentMachine(row);
  }

  /**
   * Frees the machine's seat. The DELETE decides: when deletes or client deactivations of one machine race, only the
   * request whose statement removed the row answers 204 and writes the audit event; the others get 404
   * MACHINE_NOT_FOUND.
   */
  async remove(ctx: RequestContext, id: string): Promise<void> {
    assertCanWrite(ctx.actor);
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await repo.findMachineById(trx, id);
      if (!row) throw machineNotFound();
      assertProductVisible(ctx.actor, row.product_id, machineNotFound());
      if (!(await repo.deleteMachine(trx, id))) throw machineNotFound();
      await recordAudit(trx, ctx, this.deps.clock, {
        action: 'machine.deleted',
        targetType: 'machine',
        targetId: id,
        productId: row.product_id,
        licenseId: row.license_id,
        before: presentMachine(row),
      });
    });
  }
}
