import { assertAdmin, type RequestContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { insertNewActiveKey, lockSigningKeys, type SigningKeyStore } from './key-store.ts';
import { presentPublicKey } from './signing.presenter.ts';
import { listPublicKeys } from './signing.read.ts';
import * as repo from './signing.repository.ts';
import type { PublicKeySetDto, RotationResultDto } from './signing.schemas.ts';

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
   * Makes a new active key; the previous one is retired but stays listed, so what it signed keeps verifying. Needs
   * no old private key: this is also the way out when the secret that encrypted the old keys is lost.
   */
  async rotate(ctx: RequestContext): Promise<RotationResultDto> {
    assertAdmin(ctx.actor);
    const { db, clock, secret, store } = this.deps;
    const { created, previousKid } = await db.transaction().execute(async (trx) => {
      await lockSigningKeys(trx);
      const previousKid = await repo.retireActiveKey(trx, clock.now());
      const created = await insertNewActiveKey(trx, clock, secret);
      await recordAudit(trx, ctx, clock, {
        action: 'signing_key.rotated',
        targetType: 'signing_key',
        targetId: created.row.kid,
        before: previousKid === null ? null : { activeKid: previousKid },
        after: { activeKid: created.row.kid, publicKey: created.row.public_key },
      });
      return { created, previousKid };
    });
    store.adopt(created);
    return { key: presentPublicKey(created.row), previousKid };
  }
}
