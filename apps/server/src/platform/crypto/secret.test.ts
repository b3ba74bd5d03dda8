import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../app.ts';
import { ConfigError, loadConfig } from '../config.ts';
import { loadOrCreateSecretFile, resolveSecret, SECRET_FILE } from './secret.ts';

const run = promisify(execFile);
const SECRET_TS = fileURLToPath(new URL('./secret.ts', import.meta.url));
const dirs: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-secret-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
});

describe('KEYWARD_SECRET', () => {
  it('is generated once into <data dir>/secret with mode 0600, then reused', () => {
    const dir = path.join(tempDir(), 'nested', 'data');
    const secret = loadOrCreateSecretFile(dir);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = path.join(dir, SECRET_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${secret}\n`);
    expect(loadOrCreateSecretFile(dir)).toBe(secret);
    expect(fs.readdirSync(dir)).toEqual([SECRET_FILE]); // no temporary files left behind
  });

  it('is created atomically: processes racing on an empty data dir all end up with the same secret', async () => {
    const dir = tempDir();
    const script = `import { loadOrCreateSecretFile } from ${JSON.stringify(SECRET_TS)};
      process.stdout.write(loadOrCreateSecretFile(${JSON.stringify(dir)}));`;
    const results = await Promise.all(
      [1, 2, 3].map(() => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script])),
    );
    const secrets = new Set(results.map((r) => r.stdout));
    expect(secrets.size).toBe(1);
    expect(loadOrCreateSecretFile(dir)).toBe([...secrets][0]);
    expect(fs.readdirSync(dir)).toEqual([SECRET_FILE]);
  });

  it('rejects a secret file that is too short instead of using it', () => {
    const dir = tempDir();
    fs.writeFileSync(path.join(dir, SECRET_FILE), 'short\n', { mode: 0o600 });
    expect(() => loadOrCreateSecretFile(dir)).toThrow(ConfigError);
    expect(() => loadOrCreateSecretFile(dir)).toThrow(/KEYWARD_SECRET file .* must hold at least 32 characters/);
  });

  it('comes from the environment when set; is required for PostgreSQL; is per process for in-memory databases', () => {
    const configured = 'k'.repeat(40);
    expect(resolveSecret(loadConfig({ KEYWARD_SECRET: configured }))).toBe(configured);
    const postgres = loadConfig({ KEYWARD_SECRET: configured, DATABASE_URL: 'postgres://u@h/db' });
    expect(() => resolveSecret({ ...postgres, secret: null })).toThrow(
      'Invalid configuration: KEYWARD_SECRET is required with DATABASE_URL: every server process must share it',
    );
    const memory = loadConfig({}, { database: { kind: 'pglite', dataDir: null } });
    expect(resolveSecret(memory)).not.toBe(resolveSecret(memory));
  });

  it('lets an embedded server restart with the keys it made (the secret file is reused)', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ KEYWARD_DATA_DIR: dataDir, LOG_LEVEL: 'silent', KEYWARD_SEED_DEMO: 'false' });
    expect(config.secret).toBeNull();
    const kidOf = async () => {
      const kw = await buildApp(config);
      try {
        await kw.app.ready();
        return (await kw.signer.sign(Buffer.from('x'))).kid;
      } finally {
        await kw.close();
      }
    };
    const first = await kidOf();
    expect(fs.statSync(path.join(dataDir, SECRET_FILE)).mode & 0o777).toBe(0o600);
    expect(await kidOf()).toBe(first);
  });

  it('refuses to build an app on PostgreSQL without a secret, before connecting', async () => {
    const config = { ...loadConfig({ KEYWARD_SECRET: 'k'.repeat(40), DATABASE_URL: 'postgres://u@127.0.0.1:1/x' }) };
    await expect(buildApp({ ...config, secret: null })).rejects.toThrow(/KEYWARD_SECRET is required with DATABASE_URL/);
  });
});
