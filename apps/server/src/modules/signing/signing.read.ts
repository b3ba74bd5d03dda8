import type { Db } from '../../platform/db/database.ts';
import { presentPublicKey } from './signing.presenter.ts';
import type { PublicKeyDto } from './signing.schemas.ts';

/** Read functions other modules may use (e.g. to verify what was signed): public keys only, never private ones. */

export const PUBLIC_COLUMNS = [
  'kid',
  'algorithm',
  'public_key',
  'created_at',
  'active',
  'retired_at',
  'endorsed_by',
  'endorsement',
] as const;

/** Every key: the active one first, then the retired ones (newest first) that still verify what they signed. */
export async function listPublicKeys(db: Db): Promise<PublicKeyDto[]> {
  const rows = await db
    .selectFrom('signing_keys')
    .select(PUBLIC_COLUMNS)
    .orderBy('active', 'desc')
    .orderBy('created_at', 'desc')
    .orderBy('retired_at', (ob) => ob.desc().nullsFirst())
    .orderBy('kid')
    .execute();
  return rows.map(presentPublicKey);
}

export async function findPublicKey(db: Db, kid: string): Promise<PublicKeyDto | null> {
  const row = await db.selectFrom('signing_keys').select(PUBLIC_COLUMNS).where('kid', '=', kid).executeTakeFirst();
  return row ? presentPublicKey(row) : null;
}
