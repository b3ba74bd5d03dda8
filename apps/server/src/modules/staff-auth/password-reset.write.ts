import { createHash, randomBytes } from 'node:crypto';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../../platform/clock.ts';
import type { Db } from '../../platform/db/database.ts';
import type { UserRow } from '../../platform/db/schema.ts';

/** A reset (or invitation) link works for one hour, once. */
export const RESET_TTL_MS = 60 * 60 * 1000;

export interface QueuedMail {
  id: string;
  to: string;
  subject: string;
  body: string;
}

export const hashResetToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');

/** Writes a mail to the outbox (the notifications issue adds SMTP delivery; until then it is only logged). */
export async function queueMail(
  trx: Db,
  clock: Clock,
  mail: { to: string; subject: string; body: string },
): Promise<QueuedMail> {
  const row = await trx
    .insertInto('outbox_mail')
    .values({ ...mail, created_at: clock.now(), sent_at: null })
    .returning(['id', 'to', 'subject', 'body'])
    .executeTakeFirstOrThrow();
  return row;
}

/** Logs a queued mail after its transaction committed: until SMTP exists, the log is how the link gets out. */
export function logQueuedMail(log: FastifyBaseLogger, mail: QueuedMail): void {
  log.info({ mail: { id: mail.id, to: mail.to, subject: mail.subject, body: mail.body } }, 'mail queued (outbox)');
}

/**
 * Issues a one-time password link for a user (32 random bytes, stored as SHA-256, valid one hour) and queues the
 * mail. Earlier unused links of the user stop working. Call inside the transaction of the change that asks for it.
 */
export async function issuePasswordLink(
  trx: Db,
  clock: Clock,
  user: Pick<UserRow, 'id' | 'email' | 'name'>,
  origin: string,
  purpose: 'reset' | 'invite',
): Promise<{ mail: QueuedMail; link: string }> {
  const now = clock.now();
  const token = randomBytes(32).toString('base64url');
  await trx.deleteFrom('password_resets').where('user_id', '=', user.id).where('used_at', 'is', null).execute();
  await trx
    .insertInto('password_resets')
    .values({
      token_hash: hashResetToken(token),
      user_id: user.id,
      created_at: now,
      expires_at: new Date(now.getTime() + RESET_TTL_MS),
      used_at: null,
    })
    .execute();
  const link = `${origin}/reset-password?token=${token}`;
  const mail =
    purpose === 'invite'
      ? {
          subject: 'Your Keyward account',
          body: `Hello ${user.name},\n\nAn account was created for you on Keyward. Set your password here (the link works once, for one hour):\n\n${link}\n`,
        }
      : {
          subject: 'Reset your Keyward password',
          body: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset your Keyward password. Set a new one here (the link works once, for one hour):\n\n${link}\n\nIf you did not ask for this, ignore this mail; your password stays as it is.\n`,
        };
  return { mail: await queueMail(trx, clock, { to: user.email, ...mail }), link };
}
