/** Child processes of the benchmark: started with a port handshake, always stopped (also on errors and signals). */
import { spawn } from 'node:child_process';
import { once } from 'node:events';

const children = new Set();

/**
 * Starts `node <args>` and resolves once it prints a JSON line with a `port` (test/support/serve.ts and
 * bench/support/hello.mjs do). Rejects (and kills the child) if it exits or stays silent for `timeoutMs`.
 */
export async function startChild(name, args, { env = {}, cwd, timeoutMs = 120_000 } = {}) {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const handle = {
    name,
    child,
    get stderr() {
      return stderr;
    },
    port: 0,
    info: {},
  };
  try {
    handle.info = await new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`${name}: no port after ${timeoutMs} ms`)), timeoutMs);
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk) => {
        out += chunk;
        for (const line of out.split('\n')) {
          if (!line.trim().startsWith('{')) continue;
          try {
            const msg = JSON.parse(line);
            if (typeof msg.port === 'number') {
              clearTimeout(timer);
              resolve(msg);
              return;
            }
          } catch {
            /* partial line */
          }
        }
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`${name} exited (${code ?? signal}) before listening:\n${stderr}`));
      });
    });
  } catch (err) {
    await stopChild(handle);
    throw err;
  }
  handle.port = handle.info.port;
  return handle;
}

/** SIGTERM, then SIGKILL after `graceMs`. Resolves when the child is gone. */
export async function stopChild(handle, graceMs = 15_000) {
  const { child } = handle;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** Kills whatever is still running (exit path). */
export function killAllChildren() {
  for (const child of children) child.kill('SIGKILL');
}

/** Runs fn(handle) with a started child and always stops it. */
export async function withChild(name, args, options, fn) {
  const handle = await startChild(name, args, options);
  try {
    return await fn(handle);
  } finally {
    await stopChild(handle);
  }
}
