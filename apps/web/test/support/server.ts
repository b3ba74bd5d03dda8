import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

export const ADMIN_EMAIL = 'admin@keyward.test';
export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
}

/** A real `keyward start` process on a free port with its own data directory and demo data. */
export interface TestServer {
  url: string;
  /** The bootstrap admin API token. */
  token: string;
  /** A JSON request to the admin API with the bootstrap token (or the given bearer token). */
  api<T = unknown>(method: string, path: string, body?: unknown, token?: string): Promise<ApiResponse<T>>;
  /** The same call for test set-up: the body of a 2xx, otherwise it throws with the status and the error. */
  ok<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  /** Everything the server printed (for failure messages). */
  output(): string;
  stop(): Promise<void>;
}

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
const START_TIMEOUT_MS = 120_000;

export async function startServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'keyward-browser-'));
  const token = `kw_test_${randomBytes(24).toString('hex')}`;
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, [path.join(repoRoot, 'apps/server/bin/keyward.mjs'), 'start'], {
    cwd: repoRoot,
    env: {
      ...inherited,
      NO_COLOR: '1',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      KEYWARD_DATA_DIR: dataDir,
      KEYWARD_BOOTSTRAP_TOKEN: token,
      KEYWARD_ADMIN_EMAIL: ADMIN_EMAIL,
      KEYWARD_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KEYWARD_SEED_DEMO: 'true',
      // Every test signs in from 127.0.0.1: keep the per-IP limit out of the way (failed sign-ins are still
      // throttled per email and address).
      KEYWARD_SIGN_IN_RATE_LIMIT_PER_IP: '100000',
      KEYWARD_SIGN_IN_RATE_LIMIT_PER_EMAIL: '100000',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    out += chunk.toString('utf8');
  });

  const url = await new Promise<string>((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`keyward start did not come up in time:\n${out}`)), START_TIMEOUT_MS);
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
      reject(err);
    };
    const onData = () => {
      const match = /Keyward is running[\s\S]*?URL\s+(http:\/\/\S+)/.exec(out.replace(ANSI, ''));
      if (settled || !match?.[1]) return;
      settled = true;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => fail(new Error(`keyward start exited (${code}) before listening:\n${out}`)));
  });

  const api = async <T>(method: string, apiPath: string, body?: unknown, bearer = token) => {
    const res = await fetch(`${url}${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${bearer}`,
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? null : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };

  const ok = async <T>(method: string, apiPath: string, body?: unknown) => {
    const res = await api<T>(method, apiPath, body);
    if (res.status < 200 || res.status > 299) {
      throw new Error(`${method} ${apiPath} → ${res.status}: ${JSON.stringify(res.body)}`);
    }
    return res.body;
  };

  return {
    url,
    token,
    api,
    ok,
    output: () => out,
    stop: () => stopProcess(child, dataDir),
  };
}

async function stopProcess(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
