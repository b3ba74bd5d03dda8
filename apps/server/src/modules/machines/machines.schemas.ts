import { type Static, Type } from '@sinclair/typebox';
import { PageQuery } from '../../platform/http/pagination.ts';

const Nullable = <T extends import('@sinclair/typebox').TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Machine = Type.Object(
  {
    id: Type.String({ format: 'uuid' }),
    licenseId: Type.String({ format: 'uuid' }),
    fingerprint: Type.String(),
    hostname: Nullable(Type.String()),
    platform: Nullable(Type.String()),
    ip: Nullable(Type.String({ description: 'Client IP address of the last activation' })),
    createdAt: Type.String({ format: 'date-time' }),
    lastHeartbeatAt: Nullable(Type.String({ format: 'date-time' })),
  },
  { title: 'Machine' },
);
export type MachineDto = Static<typeof Machine>;

export const MachineIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
export const LicenseIdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });

export const ListMachinesQuery = Type.Object(
  {
    ...PageQuery,
    licenseId: Type.Optional(Type.String({ format: 'uuid' })),
    fingerprint: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
  },
  { additionalProperties: false },
);
export type ListMachinesInput = Static<typeof ListMachinesQuery>;

export const ListLicenseMachinesQuery = Type.Object({ ...PageQuery }, { additionalProperties: false });
export type ListLicenseMachinesInput = Static<typeof ListLicenseMachinesQuery>;
