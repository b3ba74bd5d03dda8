import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '../config.ts';

export const SECRET_FILE = 'secret';
const MIN_SECRET_LENGTH = 32;

/**
 * The instance secret (KEYWARD_SECRET) signing keys are encrypted under. Configured → used as is. Otherwise:
 * with a persistent embedded database, generated once into `<dataDir>/secret` (mode 0600) and reused; with an
 * in-memory database (tests), a random secret for this process (its keys die with the database). PostgreSQL
 * without a configured secret is refused: several processes share that database and must share the secret.
 */
export function resolveSecret(config: Config): string {
  if (config.secret) return config.secret;
  if (config.database.kind === 'postgres') {
    throw new ConfigError('KEYWARD_SECRET', 'is required with DATABASE_URL: every server process must share it');
  }
  if (config.database.dataDir === null) return generateSecret();
  return loadOrCreateSecretFile(config.dataDir);
}

const generateSecret = () => randomBytes(32).toString('base64url');

/**
 * Reads `<dir>/secret`, creating it first if it does not exist. Creation is atomic and never overwrites: the secret
 * is written and synced to a private temporary file (0600), then hard-linked to its name — if another process got
 * there first the link fails and its secret is read instead. A crash leaves either no file or a complete one.
 */
export function loadOrCreateSecretFile(dir: string): string {
  const file = path.join(dir, SECRET_FILE);
  const existing = readSecretFile(file);
  if (existing !== null) return existing;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const tmp = path.join(dir, `.${SECRET_FILE}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const fd = fs.openSync(tmp, 'wx', 0o600);
  try {
    fs.fchmodSync(fd, 0o600); // in case the umask is unusual: owner read/write only
    fs.writeSync(fd, `${generateSecret()}\n`);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  try {
    fs.linkSync(tmp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
  syncDir(dir);
  const created = readSecretFile(file);
  if (created === null) throw new Error(`Could not create ${file}`);
  return created;
}

function readSecretFile(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const secret = text.trim();
  if (secret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError(
      'KEYWARD_SECRET',
      `file ${file} must hold at least ${MIN_SECRET_LENGTH} characters (restore it from a backup, or set KEYWARD_SECRET)`,
    );
  }
  return secret;
}

/** Makes the new directory entry durable (best effort: not every platform can fsync a directory). */
function syncDir(dir: string): void {
  try {
    const fd = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    // e.g. Windows: directories cannot be opened for fsync
  }
}
