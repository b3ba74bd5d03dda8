import type { MachineRow } from '../../platform/db/schema.ts';
import type { MachineDto } from './machines.schemas.ts';

export function presentMachine(row: MachineRow): MachineDto {
  return {
    id: row.id,
    licenseId: row.license_id,
    fingerprint: row.fingerprint,
    hostname: row.hostname,
    platform: row.platform,
    ip: row.ip,
    createdAt: row.created_at.toISOString(),
    lastHeartbeatAt: row.last_heartbeat_at?.toISOString() ?? null,
  };
}
