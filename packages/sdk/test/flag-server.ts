/**
 * Test-only: a small real HTTP server (node:http, port 0) answering the client API's flag and entitlement calls
 * with signed responses, whose answers a test changes on the fly (new bundle, failing, back up).
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EntitlementsState, FlagBundle } from '../src/entitlements-types.ts';
import { keysJson, signResponse, type TestKey } from './spec-fixtures.ts';

export interface FlagServerState {
  bundle: FlagBundle;
  entitlements: EntitlementsState;
  /** Answer this status (with an error body) instead of the data, e.g. 503. */
  failWith: number | null;
}

export interface FlagServer {
  url: string;
  state: FlagServerState;
  /** Every request, in order: method and path. */
  requests: { method: string; path: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

export async function startFlagServer(key: TestKey, state: FlagServerState): Promise<FlagServer> {
  const requests: FlagServer['requests'] = [];
  const server: Server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const body = await bodyOf(req);
    requests.push({ method: req.method ?? 'GET', path, body });
    const send = (status: number, value: unknown, sign: boolean) => {
      const text = JSON.stringify(value);
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (sign) {
        const ts = new Date().toISOString();
        const nonce = body.nonce as string | undefined;
        headers['keyward-signature'] = signResponse(key, { method: 'POST', path, ts, nonce, body: text });
      }
      res.writeHead(status, headers).end(text);
    };
    if (path === '/v1/keys') return send(200, keysJson(key), false);
    if (state.failWith !== null) {
      return send(state.failWith, { error: { code: 'UNAVAILABLE', message: 'down for a test' } }, false);
    }
    if (path === '/v1/client/flags')
      return send(200, { ...state.bundle, computedAt: new Date().toISOString(), evaluated: [] }, true);
    if (path === '/v1/client/entitlements') return send(200, state.entitlements, true);
    send(404, { error: { code: 'NOT_FOUND', message: path } }, false);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    state,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

/** Polls `check` every 5 ms until it holds (real timers; for background refreshes). */
export async function until(check: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
