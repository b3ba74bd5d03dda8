import { sign as cryptoSign, type KeyObject } from 'node:crypto';
import { sql } from 'kysely';
import { systemContext } from '../../platform/auth/actor.ts';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import { AppError, isDatabaseUnavailable } from '../../platform/errors.ts';
import { recordAudit } from '../audit/audit.write.ts';
import { decryptPrivateKey, encryptPrivateKey, endorsementMessage, generateSigningKeyPair } from './key-crypto.ts';
import type { Signature, Signer } from './signer.ts';
import type { PublicKeyRow } from './signing.presenter.ts';
import * as repo from './signing.repository.ts';

/** Serializes first-key creation and rotation across every process sharing the database. */
const SIGNING_KEYS_LOCK_ID = 4_815_162_351;

/** How long a process trusts its idea of the active kid before asking the database again (rotation elsewhere). */
export const ACTIVE_KID_TTL_MS = 30_000;

export interface KeyStoreDeps {
  db: Db;
  clock: Clock;
  /** KEYWARD_SECRET (platform/crypto/secret.ts). */
  secret: string;
}

export interface CreatedKey {
  row: PublicKeyRow;
  privateKey: KeyObject;
}

export const lockSigningKeys = (trx: Db) => sql`select pg_advisory_xact_lock(${SIGNING_KEYS_LOCK_ID})`.execute(trx);

/** The key that vouches for a new key: the active key it replaces (docs/license-files.md, "Key chain"). */
export interface Endorser {
  kid: string;
  privateKey: KeyObject;
}

/**
 * Generates a key pair and stores it (private key encrypted) as the active key, signed by `endorser` when there is
 * one. Call with the lock held.
 */
export async function insertNewActiveKey(
  trx: Db,
  clock: Clock,
  secret: string,
  endorser: Endorser | null = null,
): Promise<CreatedKey> {
  const pair = generateSigningKeyPair();
  const publicKey = pair.publicKey.toString('base64');
  const endorsement = endorser
    ? cryptoSign(null, endorsementMessage(endorser.kid, pair.kid, publicKey), endorser.privateKey).toString('base64url')
    : null;
  const row = await repo.insertKey(trx, {
    kid: pair.kid,
    public_key: publicKey,
    private_key_enc: encryptPrivateKey(secret, pair.kid, pair.privateKey),
    created_at: clock.now(),
    active: true,
    retired_at: null,
    endorsed_by: endorser?.kid ?? null,
    endorsement,
  });
  return { row, privateKey: pair.privateKey };
}

export const signingKeyUnreadable = (kid: string) =>
  new AppError(
    'SIGNING_KEY_UNREADABLE',
    500,
    `Signing key ${kid} cannot be decrypted with this KEYWARD_SECRET: the secret changed since the key was made ` +
      '(or <data dir>/secret was replaced). Restore the previous secret, or run `keyward keys rotate` to start ' +
      'signing with a new key (what the old keys signed still verifies with their public keys).',
  );

/**
 * The instance's signing keys as a {@link Signer}: signs with the active key. Decrypted private keys are cached per
 * process; the active kid is re-read at most every {@link ACTIVE_KID_TTL_MS}, so a rotation made by another process
 * is picked up within that time (the previous key stays valid for verification meanwhile). While the database cannot
 * be reached, the key in hand keeps signing (so 503 answers are signed too).
 */
export class SigningKeyStore implements Signer {
  readonly #keys = new Map<string, KeyObject>();
  #active: { kid: string; checkedAt: number } | null = null;
  #loading: Promise<string> | null = null;

  constructor(private readonly deps: KeyStoreDeps) {}

  async sign(message: Uint8Array): Promise<Signature> {
    const kid = await this.activeKid();
    const key = await this.privateKey(kid);
    return { kid, signature: cryptoSign(null, message, key) };
  }

  /** The kid that signs now (creating the first key if there is none). */
  activeKid(): Promise<string> {
    const active = this.#active;
    const now = this.deps.clock.now().getTime();
    if (active && now >= active.checkedAt && now - active.checkedAt < ACTIVE_KID_TTL_MS) {
      return Promise.resolve(active.kid);
    }
    this.#loading ??= this.#loadActive().finally(() => {
      this.#loading = null;
    });
    return this.#loading;
  }

  /**
   * At start: makes sure a key exists and that this process's secret decrypts the active one (else throws
   * SIGNING_KEY_UNREADABLE). Returns the active kid.
   */
  async ready(): Promise<string> {
    this.#active = null;
    return this.activeKid();
  }

  /** Creates the first key when no key is active; safe when several processes start at once. */
  async ensureKey(): Promise<{ kid: string; created: boolean }> {
    const { db, clock, secret } = this.deps;
    const result = await db.transaction().execute(async (trx) => {
      await lockSigningKeys(trx);
      const kid = await repo.findActiveKid(trx);
      if (kid) return { kid, created: null };
      const created = await insertNewActiveKey(trx, clock, secret);
      await recordAudit(trx, systemContext('keyward'), clock, {
        action: 'signing_key.created',
        targetType: 'signing_key',
        targetId: created.row.kid,
        after: { kid: created.row.kid, publicKey: created.row.public_key, active: true },
      });
      return { kid: created.row.kid, created };
    });
    if (result.created) this.#keys.set(result.kid, result.created.privateKey);
    return { kid: result.kid, created: result.created !== null };
  }

  /** After a rotation in this process: sign with the new key at once. */
  adopt(created: CreatedKey): void {
    this.#keys.set(created.row.kid, created.privateKey);
    this.#active = { kid: created.row.kid, checkedAt: this.deps.clock.now().getTime() };
  }

  async #loadActive(): Promise<string> {
    const previous = this.#active;
    let kid: string;
    try {
      kid = (await repo.findActiveKid(this.deps.db)) ?? (await this.ensureKey()).kid;
    } catch (err) {
      // The database is away: keep signing with the key this process already holds (it stays published and valid;
      // no rotation can happen meanwhile) so that even the 503 answers stay signed; ask again after the TTL.
      if (!previous || !this.#keys.has(previous.kid) || !isDatabaseUnavailable(err)) throw err;
      kid = previous.kid;
    }
    await this.privateKey(kid); // fail here, not in the middle of a response, when the secret is wrong
    this.#active = { kid, checkedAt: this.deps.clock.now().getTime() };
    return kid;
  }

  async privateKey(kid: string): Promise<KeyObject> {
    const cached = this.#keys.get(kid);
    if (cached) return cached;
    const row = await repo.findPrivateKey(this.deps.db, kid);
    if (!row) throw new Error(`signing key ${kid} does not exist`);
    let key: KeyObject;
    try {
      key = decryptPrivateKey(this.deps.secret, kid, row.private_key_enc);
    } catch {
      throw signingKeyUnreadable(kid);
    }
    this.#keys.set(kid, key);
    return key;
  }
}
