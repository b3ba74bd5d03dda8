import type { Insertable } from 'kysely';
import type { Db } from '../../platform/db/database.ts';
import type { SigningKeysTable } from '../../platform/db/schema.ts';

import type { PublicKeyRow } from './signing.presenter.ts';
import { PUBLIC_COLUMNS } from './signing.read.ts';

/** SQL for signing_keys (writes, and the encrypted private key for the key store). */

export async function findActiveKid(db: Db): Promise<string | null> {
  const row = await db.selectFrom('signing_keys').select('kid').where('active', '=', true).executeTakeFirst();
  return row?.kid ?? null;
}

/** The active key with its encrypted private key (rotation: it signs the key that replaces it). */
export function findActiveKey(db: Db): Promise<{ kid: string; private_key_enc: string } | undefined> {
  return db.selectFrom('signing_keys').select(['kid', 'private_key_enc']).where('active', '=', true).executeTakeFirst();
}

export function findPrivateKey(db: Db, kid: string): Promise<{ private_key_enc: string } | undefined> {
  return db.selectFrom('signing_keys').select('private_key_enc').where('kid', '=', kid).executeTakeFirst();
}

export function insertKey(db: Db, row: Insertable<SigningKeysTable>): Promise<PublicKeyRow> {
  return db.insertInto('signing_keys').values(row).returning(PUBLIC_COLUMNS).executeTakeFirstOrThrow();
}

/** Retires the active key (if any); returns its kid. */
export async function retireActiveKey(db: Db, at: Date): Promise<string | null> {
  const row = await db
    .updateTable('signing_keys')
    .set({ active: false, retired_at: at })
    .where('active', '=', true)
    .returning('kid')
    .executeTakeFirst();
  return row?.kid ?? null;
}
