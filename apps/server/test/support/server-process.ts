import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { ADMIN_TOKEN } from '../harness.ts';

/**
 * Real server processes for multi-process tests on one PostgreSQL (`*.pg.test.ts`): `test/support/serve.ts` as a
 * child with the system clock, the admin token of the harness, and the given environment on top.
 */
const SERVE = fileURLToPath(new URL('./serve.ts', import.meta.url));
/** Generous: a busy 2-core CI machine can take a while to load tsx and the app. */
const START_TIMEOUT_MS = 90_000;

export interface ServerProcess {
  child: ChildProcess;
  url: string;
}

export function startServerProcess(databaseUrl: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', SERVE], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_SIZE: '10',
      KEYWARD_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
      KEYWARD_SEED_DEMO: 'false',
      KEYWARD_RATE_LIMIT_PER_IP: '1000000',
      KEYWARD_RATE_LIMIT_PER_KEY: '1000000',
      LOG_LEVEL: 'silent',
      KEYWARD_JOBS: 'false',
      HOST: '127.0.0.1',
      PORT: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL'); // never leave a half-started server behind
      reject(new Error(`server did not start within ${START_TIMEOUT_MS / 1000} s: ${err}`));
    }, START_TIMEOUT_MS);
    child.stderr?.on('data', (chunk) => {
      err += chunk;
    });
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{"port"'));
      if (line) {
        clearTimeout(timer);
        resolve({ child, url: `http://127.0.0.1:${JSON.parse(line).port}` });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}: ${err}`));
    });
  });
}

/** SIGTERM, SIGKILL after 10 s; resolves once the process is gone. */
export function stopServerProcess(server: ServerProcess): Promise<void> {
  if (server.child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.child.kill('SIGKILL'), 10_000);
    server.child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    server.child.kill('SIGTERM');
  });
}
