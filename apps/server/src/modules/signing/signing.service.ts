import { assertAdmin, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { decryptPrivateKey } from './key-crypto.ts';
import { type Endorser, insertNewActiveKey, lockSigningKeys, type SigningKeyStore } from './key-store.ts';
import { presentPublicKey } from './signing.presenter.ts';
import { listPublicKeys } from './signing.read.ts';
import * as repo from './signing.repository.ts';
import type { PublicKeySetDto, RotationResultDto } from './signing.schemas.ts';

/** The decrypted private key of a stored key, or null when this secret cannot decrypt it. */
function readableKey(secret: string, key: { kid: string; private_key_enc: string }): Endorser | null {
  try {
    return { kid: key.kid, privateKey: decryptPrivateKey(secret, key.kid, key.private_key_enc) };
  } catch {
    return null;
  }
}

export interface SigningDeps {
  db: Db;
  clock: Clock;
  secret: string;
  store: SigningKeyStore;
}

/** Signing keys as a use case: publish the public keys, rotate (admin, audited). Signing itself: SigningKeyStore. */
export class SigningService {
  constructor(private readonly deps: SigningDeps) {}

  async listKeys(): Promise<PublicKeySetDto> {
    return { keys: await listPublicKeys(this.deps.db) };
  }

  /**
   * Makes a new active key; the previous one is retired but stays listed, so what it signed keeps verifying. The
   * previous key signs the new one (the key chain), so verifiers that pinned it can follow. Needs no old private key:
   * when the secret that encrypted the old key is lost, the new key is made without that signature (this is the way
   * out of SIGNING_KEY_UNREADABLE) and pinned verifiers must be given the new key.
   */
  async rotate(ctx: RequestContext): Promise<RotationResultDto> {
    assertAdmin(ctx.actor);
    const { db, clock, secret, store } = this.deps;
    const { created, previousKid } = await db.transaction().execute(async (trx) => {
      await lockSigningKeys(trx);
      const previous = await repo.findActiveKey(trx);
      const endorser = previous ? readableKey(secret, previous) : null;
      const previousKid = await repo.retireActiveKey(trx, clock.now());
      const created = await insertNewActiveKey(trx, clock, secret, endorser);
      await recordAudit(trx, ctx, clock, {
        action: 'signing_key.rotated',
        targetType: 'signing_key',
        targetId: created.row.kid,
        before: previousKid === null ? null : { activeKid: previousKid },
        after: { activeKid: created.row.kid, publicKey: created.row.public_key, endorsedBy: endorser?.kid ?? null },
      });
      return { created, previousKid };
    });
    store.adopt(created);
    return { key: presentPublicKey(created.row), previousKid };
  }
}
