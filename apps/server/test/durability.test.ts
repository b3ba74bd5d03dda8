import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createTestDatabase, dbKind, TEST_SECRET, type TestDatabase } from './harness.ts';

/**
 * A write that got its 2xx survives `kill -9` of the server: the real server process (bin/keyward.mjs start) is
 * killed right after the response, started again on the same data, and the record is read back. On PGlite this
 * checks that a commit reaches the data directory before the response is sent; on PostgreSQL, the same for the
 * server's commit path.
 */

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const BIN = path.join(REPO, 'apps/server/bin/keyward.mjs');

let env: Record<string, string>;
let dataDir: string | null = null;
let testDb: TestDatabase | null = null;
const children = new Set<ChildProcess>();

interface Server {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function startServer(): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'start'], { cwd: REPO, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /URL\s+(http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1]!, output: () => output });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${output}`));
    });
  });
}

function kill9(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    if (server.child.exitCode !== null || server.child.signalCode !== null) return resolve();
    server.child.once('exit', () => resolve());
    server.child.kill('SIGKILL');
  });
}

const api = (server: Server, method: string, url: string, body?: unknown) =>
  fetch(`${server.url}${url}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });

beforeAll(async () => {
  env = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? os.tmpdir(),
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    KEYWARD_BOOTSTRAP_TOKEN: ADMIN_TOKEN,
    KEYWARD_SEED_DEMO: 'false',
  };
  if (dbKind === 'postgres') {
    testDb = await createTestDatabase();
    if (testDb.config.kind !== 'postgres') throw new Error('expected a PostgreSQL test database');
    env.DATABASE_URL = testDb.config.url;
    env.KEYWARD_SECRET = TEST_SECRET; // required with DATABASE_URL (the embedded run generates <data dir>/secret)
    await testDb.database.close(); // the servers use their own pools
  } else {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-durability-'));
    env.KEYWARD_DATA_DIR = dataDir;
  }
});

afterAll(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (testDb) await testDb.drop().catch(() => {});
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`durability on ${dbKind}: a 2xx write survives kill -9`, () => {
  it('keeps every acknowledged write across kill -9 and restart', async () => {
    const written: { id: string; code: string }[] = [];
    let server = await startServer();
    for (let round = 1; round <= 3; round++) {
      // One write, then (from round 2) a burst, each acknowledged before the kill.
      const count = round === 1 ? 1 : 3;
      for (let i = 0; i < count; i++) {
        const code = `DUR${round}X${i}`;
        const res = await api(server, 'POST', '/v1/products', { code, name: `Durable ${round}.${i}` });
        expect(res.status, await res.clone().text()).toBe(201);
        written.push({ id: ((await res.json()) as { id: string }).id, code });
      }
      await kill9(server);
      server = await startServer();
      for (const w of written) {
        const res = await api(server, 'GET', `/v1/products/${w.id}`);
        expect(res.status, `${w.code} after kill -9 in round ${round}`).toBe(200);
        expect(((await res.json()) as { code: string }).code).toBe(w.code);
      }
    }
    // The restarted server did not create or print another admin token.
    expect(server.output()).not.toContain('shown once');
    await kill9(server);
  });
});
