import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

/** Staff passwords: at least 12 characters (length beats composition rules); at most 1024 (argon2 input bound). */
export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

/** argon2id at the OWASP baseline (19 MiB, 2 passes, 1 lane): ~0.1 s per check, memory-hard against GPUs. */
const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** A PHC string `$argon2id$v=19$m=…`; the salt is random per hash. Never log the input. */
export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

/** False for a wrong password and for a stored value that is not a valid hash (never throws on bad input). */
export async function verifyPassword(hash: string, password: string): Promise<boolean> {
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false;
  }
}

/** True when a stored hash was made with other parameters than today's (it is re-hashed at the next sign-in). */
export function needsRehash(hash: string): boolean {
  try {
    return argon2.needsRehash(hash, ARGON2_OPTIONS);
  } catch {
    return true;
  }
}

let dummyHash: Promise<string> | null = null;

const dummy = (): Promise<string> => {
  dummyHash ??= hashPassword(randomBytes(16).toString('hex')).catch((err: unknown) => {
    dummyHash = null;
    throw err;
  });
  return dummyHash;
};

/**
 * Makes the hash verifyAgainstNothing checks against now (the sign-in service does at start), so that the first
 * sign-in with an unknown email is not slower than one with a known email by a hash computation.
 */
export function prepareDummyHash(): void {
  dummy().catch(() => undefined);
}

/**
 * Spends the same work as a real check when there is no hash to check (unknown email, disabled user), so the
 * answer time does not tell whether an account exists.
 */
export async function verifyAgainstNothing(password: string): Promise<void> {
  await verifyPassword(await dummy(), password);
}

/** A password for a generated first admin: 24 base64url characters (144 bits). */
export function generatePassword(): string {
  return randomBytes(18).toString('base64url');
}

export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}
