import { createHash, randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

/** A new API token secret: `kw_` + 40 base62 characters (≈238 bits). Shown once, stored as a SHA-256 hash. */
export function generateTokenSecret(): string {
  const bytes = randomBytes(64);
  let out = '';
  for (const b of bytes) {
    // 62*4 = 248: rejection sampling keeps the distribution uniform.
    if (b < 248) out += ALPHABET[b % 62];
    if (out.length === 40) break;
  }
  return out.length === 40 ? `kw_${out}` : generateTokenSecret();
}

/** High-entropy secrets need no slow hash: SHA-256 is the right tool and keeps auth cheap on every request. */
export function hashTokenSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function tokenDisplayPrefix(secret: string): string {
  return secret.slice(0, 10);
}
