import type { Generated } from 'kysely';

/** Table types of migration 007 (offline licensing hardening) that have no older table to live in. */

/** Fingerprint-less license files checked out by key, counted against plans.max_unbound_files until they expire. */
export interface UnboundCheckoutsTable {
  id: Generated<string>;
  license_id: string;
  kid: string;
  issued_at: Date;
  expires_at: Date;
}
